/**
 * Shared pieces of the staged-execution benchmark (`npm run bench`): the workload contract, seeded
 * synthetic data, output checks, the interleaved timing schedule, statistics and table formatting.
 * Nothing here knows a particular workload or variant.
 */
import type * as tfjs from '@tensorflow/tfjs-core';

/**
 * tfjs with every member typed `any`, for the workload programs: TypeScript cannot type operators on
 * tensors (`a * b`, `t < n`), which the loader converts.
 */
export type AnyTf = { [K in keyof typeof tfjs]: any };

/** A workload's parameters for one configuration. */
export type Config = Record<string, number | string | boolean>;

/**
 * The ways each workload runs. The ONNX Runtime variants run twice: with ORT's default session options
 * (what a user of either gets: intra-op threads on every core) and with one thread each way (`-1t`).
 */
export const VARIANTS = [
  'eager-cpu',
  'eager-wasm',
  'staged-tfjs',
  'staged-js',
  'staged-js-wasm',
  'staged-onnx',
  'handbuilt-onnx',
  'staged-onnx-1t',
  'handbuilt-onnx-1t',
] as const;
export type Variant = (typeof VARIANTS)[number];
export type HandbuiltVariant = 'handbuilt-onnx' | 'handbuilt-onnx-1t';

/** The session options of the `-1t` variants, staged and hand-built alike. */
export const ONE_THREAD = { intraOpNumThreads: 1, interOpNumThreads: 1 } as const;

/** How an output is checked against eager-cpu: floats within a tolerance, counts and tokens exactly. */
export type OutputKind = 'float' | 'exact';

/** A function's outputs, read back: one flat array per output tensor (or JS number). */
export type Outputs = ArrayLike<number>[];

/** A hand-written ONNX model and the per-call work a user of ONNX Runtime does to feed it. */
export interface HandBuilt {
  bytes: Uint8Array;
  /** Builds the input ort.Tensors from the case's data (part of the timed call). */
  feeds(): Record<string, unknown>;
  /** Output names in the order of the program's flattened outputs. */
  outputNames: string[];
}

/** One configuration of a workload, with its data and both implementations, ready to run. */
export interface Case {
  /** Parameters as shown in the table, e.g. `B=32 T=64`. */
  label: string;
  params: Config;
  /** The autograph-style function (converted by the loader); staged and run eagerly. */
  program: (...args: any[]) => unknown;
  /** Its arguments: tfjs tensors made on the cpu backend, and JS values (part of the trace signature). */
  args: unknown[];
  /** How each flattened output is compared. */
  outputs: OutputKind[];
  /** The hand-written ONNX graph; absent where there is none (the report says n/a). */
  handbuilt?: HandBuilt;
  /** Examples per call, for throughput (examples/s); absent where the notion does not apply. */
  examples?: number;
  /** What the run did, read from eager-cpu's outputs (trip counts, early stops), for the table. */
  describe?(outputs: Outputs): string;
  /** Every tensor the case owns (captured weights, tensor arguments): moved when the backend changes. */
  tensors: tfjs.Tensor[];
  /**
   * For a program with side effects (training: it assigns tf.Variables, an optimizer's slots): puts
   * that state back to where the case starts it. run.ts calls it before every call of every variant
   * (the first call, the warm calls and each timed call), outside the timed region and the tensor
   * census, on the backend that call runs on; so every call starts from the same weights and optimizer
   * state, and every variant's outputs compare with eager-cpu's. Absent: the program is pure.
   */
  reset?(): void;
  /**
   * For a workload whose measured call is a JS loop around the program (one staged call per training
   * step): one measured call runs `drive(step)`, where `step` runs the program once as the variant does
   * (eager: under `tf.tidy`; staged: the staged function), and its result is the call's outputs. The
   * program is traced and exported with `args` (one step's arguments). Absent: a call is
   * `program(...args)`.
   */
  drive?(step: (...args: unknown[]) => Promise<unknown>): Promise<unknown>;
}

export interface Workload {
  /** Short name for `--only`. */
  name: string;
  title: string;
  /** Eager-wasm / staged-ORT speed-up this workload is reported against (none: no target). */
  eagerTarget?: number;
  /**
   * For a graph that is all per-call cost: its target is staged-ORT − hand-built ≤ this many µs (at
   * both thread settings) instead of the parity ratio.
   */
  overheadTargetUs?: number;
  /** Parameter sets: the full grid, or the smallest for `--quick`. */
  configs(quick: boolean): Config[];
  build(config: Config): Case;
}

// ---------------------------------------------------------------------------------------------
// Seeded synthetic data

/** mulberry32: a tiny 32-bit PRNG, so that every run sees the same data. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  /** Uniform floats in [lo, hi). */
  uniform(n: number, lo = 0, hi = 1): Float32Array {
    return Float32Array.from({ length: n }, () => lo + (hi - lo) * this.next());
  }
  /** Normal floats with standard deviation `std` (Box-Muller). */
  normal(n: number, std = 1): Float32Array {
    return Float32Array.from({ length: n }, () => {
      const u = 1 - this.next();
      return std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
    });
  }
  /** A uniform integer in [lo, hi). */
  int(lo: number, hi: number): number {
    return lo + Math.floor((hi - lo) * this.next());
  }
  /** Uniform integers in [lo, hi). */
  ints(n: number, lo: number, hi: number): Int32Array {
    return Int32Array.from({ length: n }, () => this.int(lo, hi));
  }
}

/**
 * Sequence lengths as the paper's benchmarks draw them: the first example has the full length `T` (so
 * the longest is always `T`), the others are uniform in [T/2, T).
 */
export const paperLengths = (rng: Rng, batch: number, T: number): Int32Array =>
  Int32Array.from({ length: batch }, (_, i) => (i === 0 ? T : rng.int(Math.floor(T / 2), T)));

/**
 * Scales a row-major n×n matrix in place to spectral norm `rho` (power iteration on WᵀW), so that
 * x ↦ tanh(Wx + b) is a contraction with rate at most `rho`.
 */
export function scaleToSpectralNorm(w: Float32Array, n: number, rho: number): Float32Array {
  let v = new Float64Array(n).fill(1 / Math.sqrt(n));
  let sigma = 0;
  for (let iter = 0; iter < 200; iter++) {
    const wv = new Float64Array(n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) wv[i]! += w[i * n + j]! * v[j]!;
    const wtwv = new Float64Array(n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) wtwv[j]! += w[i * n + j]! * wv[i]!;
    const norm = Math.hypot(...wtwv);
    sigma = Math.sqrt(norm);
    v = wtwv.map((x) => x / norm);
  }
  return w.map((x) => (x * rho) / sigma);
}

// ---------------------------------------------------------------------------------------------
// Output checks

/** Relative/absolute tolerance mix for float outputs: |a - b| ≤ atol + rtol·|ref|. */
export const TOLERANCE = { rtol: 1e-4, atol: 1e-4 };

/** Why `got` differs from `ref` (null when it agrees). */
export function mismatch(ref: Outputs, got: Outputs, kinds: OutputKind[]): string | null {
  if (got.length !== ref.length) return `${got.length} outputs instead of ${ref.length}`;
  for (let k = 0; k < ref.length; k++) {
    const [r, g] = [ref[k]!, got[k]!];
    if (r.length !== g.length) return `output ${k} has ${g.length} elements instead of ${r.length}`;
    for (let i = 0; i < r.length; i++) {
      const [a, b] = [Number(r[i]), Number(g[i])];
      const ok =
        kinds[k] === 'exact'
          ? a === b
          : Math.abs(a - b) <= TOLERANCE.atol + TOLERANCE.rtol * Math.abs(a) ||
            (Number.isNaN(a) && Number.isNaN(b));
      if (!ok) return `output ${k} (${kinds[k]}) element ${i}: expected ${a}, got ${b}`;
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Timing

/** One variant as the timing loop sees it: a call that runs it once, outputs read and freed. */
export interface Timed {
  variant: Variant;
  /** Which tfjs backend must be active while it runs. */
  backend: Backend;
  call(): Promise<unknown>;
  /** Restores the state a call changes (Case.reset), before each call and outside its timing. */
  reset?(): void;
  /** Calls per sample (a sample is their mean): sub-millisecond calls are timed in batches. */
  batch?: number;
}

/** A sample lasts at least this long: a single sub-millisecond call is dominated by timer and scheduling noise. */
export const MIN_SAMPLE_MS = 2;

/** Calls per sample for a variant whose warm call took `ms` (one where calls must be reset between). */
export const batchFor = (ms: number, resets: boolean): number =>
  resets ? 1 : Math.max(1, Math.ceil(MIN_SAMPLE_MS / Math.max(ms, 1e-3)));

export type Backend = 'cpu' | 'wasm';

export interface Budget {
  /** Seconds of timed calls to aim for per variant and config. */
  seconds: number;
  minReps: number;
  maxReps: number;
  /** How many blocks the calls of a variant on another backend are split into. */
  blocks: number;
}

/** Samples for a variant whose sample (a warm call, or a batch of them) takes `ms`. */
export const repsFor = (ms: number, budget: Budget): number =>
  Math.max(
    budget.minReps,
    Math.min(budget.maxReps, Math.floor((budget.seconds * 1000) / Math.max(ms, 1e-3))),
  );

/** How many of `reps` calls fall in slot `k` of `slots`: spread evenly. */
const share = (k: number, reps: number, slots: number): number =>
  Math.floor(((k + 1) * reps) / slots) - Math.floor((k * reps) / slots);

export interface Timings {
  samples: Map<Variant, number[]>;
  /** Tensors left behind per timed call (tfjs's live tensor count, read outside the timed region). */
  leaks: Map<Variant, number>;
}

/**
 * Times the variants with interleaved repetitions, so that drift in machine load hits them all alike.
 * Variants on the cpu backend (the staged ones run with it active) go round-robin, A B C D A B C D ...:
 * each round runs every variant whose evenly spread share of its repetitions falls in that round. A
 * variant on another tfjs backend cannot join the round-robin: switching the backend per call would
 * move every captured weight between backends inside the timed region (tfjs moves a tensor's data when
 * a kernel of another backend reads it). So its repetitions run in `budget.blocks` blocks placed evenly
 * between the rounds; `switchTo` changes the backend and moves the tensors, outside the timed calls.
 * `census` counts live tensors, before and after each call.
 */
export async function timeInterleaved(
  variants: Timed[],
  reps: Map<Variant, number>,
  budget: Budget,
  switchTo: (backend: Backend) => Promise<void>,
  census: () => number,
): Promise<Timings> {
  const samples = new Map<Variant, number[]>(variants.map((v) => [v.variant, []]));
  const leaked = new Map<Variant, number>(variants.map((v) => [v.variant, 0]));
  const time = async (v: Timed) => {
    v.reset?.();
    const batch = v.batch ?? 1;
    const before = census();
    const t0 = performance.now();
    for (let k = 0; k < batch; k++) await v.call();
    samples.get(v.variant)!.push((performance.now() - t0) / batch);
    leaked.set(v.variant, leaked.get(v.variant)! + (census() - before) / batch);
  };
  const block = async (v: Timed, calls: number) => {
    await switchTo(v.backend);
    for (let k = 0; k < calls; k++) await time(v);
    await switchTo('cpu');
  };
  const main = variants.filter((v) => v.backend === 'cpu');
  const others = variants.filter((v) => v.backend !== 'cpu');
  const rounds = Math.max(...main.map((v) => reps.get(v.variant)!));
  for (let r = 0; r < rounds; r++) {
    // Each round starts one variant later: a call pays for the garbage of the call before it (eager
    // tfjs makes plenty), so every variant follows every other one equally often.
    const order = main.map((_, i) => main[(i + r) % main.length]!);
    for (const v of order) for (let k = share(r, reps.get(v.variant)!, rounds); k > 0; k--) await time(v);
    for (const v of others) {
      const blocks = Math.min(budget.blocks, reps.get(v.variant)!);
      // the blocks whose evenly spread place falls after this round
      for (let j = Math.floor((r * blocks) / rounds); j < Math.floor(((r + 1) * blocks) / rounds); j++)
        await block(v, share(j, reps.get(v.variant)!, blocks));
    }
  }
  const leaks = new Map([...leaked].map(([v, n]) => [v, n / Math.max(1, samples.get(v)!.length)]));
  return { samples, leaks };
}

// ---------------------------------------------------------------------------------------------
// Statistics

export interface Stats {
  n: number;
  median: number;
  p10: number;
  p90: number;
  /** Median absolute deviation from the median. */
  mad: number;
}

/** Linear-interpolation quantile of sorted values. */
function quantile(sorted: number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export function summarize(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const median = quantile(sorted, 0.5);
  const deviations = sorted.map((x) => Math.abs(x - median)).sort((a, b) => a - b);
  return {
    n: sorted.length,
    median,
    p10: quantile(sorted, 0.1),
    p90: quantile(sorted, 0.9),
    mad: quantile(deviations, 0.5),
  };
}

/** Ratio of medians (how many times slower `a` is than `b`). */
export const ratio = (a: Stats | undefined, b: Stats | undefined): number | undefined =>
  a && b ? a.median / b.median : undefined;

// ---------------------------------------------------------------------------------------------
// Formatting

export function formatMs(ms: number): string {
  if (ms >= 100) return ms.toFixed(0);
  if (ms >= 10) return ms.toFixed(1);
  if (ms >= 1) return ms.toFixed(2);
  return ms.toFixed(3);
}

/** A median with its spread: `12.3 ±4%` (half the p10–p90 range, relative to the median). */
export const formatStats = (s: Stats | undefined): string =>
  s ? `${formatMs(s.median)} ±${Math.round((50 * (s.p90 - s.p10)) / s.median)}%` : '–';

export const formatRatio = (r: number | undefined): string =>
  r === undefined ? '–' : r >= 10 ? `${r.toFixed(0)}×` : `${r.toFixed(2)}×`;

export function formatRate(perSecond: number): string {
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toFixed(2)}M`;
  if (perSecond >= 1e3) return `${(perSecond / 1e3).toFixed(1)}k`;
  return perSecond.toFixed(0);
}

export function markdownTable(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
