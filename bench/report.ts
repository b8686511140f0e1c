/**
 * The benchmark's report: per configuration the variants' medians and spreads, the ratios the issue
 * asks for, and the targets (reported, not asserted): staged-ORT / hand-built-ORT ≤ 1.05 everywhere,
 * eager-wasm / staged-ORT ≥ each workload's speed-up target. Written as bench/results.json and
 * bench/RESULTS.md.
 */
import { execSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import {
  type Budget,
  formatMs,
  formatRate,
  formatRatio,
  formatStats,
  markdownTable,
  MIN_SAMPLE_MS,
  ratio,
  type HandbuiltVariant,
  type Stats,
  type Variant,
} from './harness.ts';
import { formatLoops, type GraphStats } from './onnx-stats.ts';

/** Staged-ORT may be at most this much slower than the hand-built graph. */
export const PARITY_TARGET = 1.05;

export interface VariantResult extends Stats {
  /** The first call: tracing, lowering and session creation for the staged variants. */
  firstCallMs: number;
  leakedTensorsPerCall: number;
}

export interface CaseResult {
  workload: string;
  title: string;
  label: string;
  params: Record<string, number | string | boolean>;
  examples?: number;
  /** What the run did (trip counts, early stops). */
  run: string;
  eagerTarget?: number;
  overheadTargetUs?: number;
  /**
   * Every variant that ran; the hand-built one is absent where the workload has no hand-built graph,
   * and a variant that failed is absent (its error is in `failed`).
   */
  variants: Partial<Record<Variant, VariantResult>>;
  /** The variants whose first or warm calls threw, with the error's first line. */
  failed?: Partial<Record<Variant, string>>;
  /** tf.memory().numTensors around the timed calls. */
  tensors: { before: number; after: number };
  /** The staged ONNX model's loops (absent where staged-onnx failed). */
  graphs: { staged?: GraphStats; handbuilt?: GraphStats };
}

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  onnxruntime: string;
  tfjs: string;
  /** The autograph-ts source measured: commit, and whether src/ had uncommitted changes. */
  commit: string;
  date: string;
  quick: boolean;
  budget: Budget;
  durationSeconds: number;
}

/** `abc1234` or `abc1234+src changes` (src/ is edited while benchmarks run). */
function commit(): string {
  try {
    const git = (args: string) =>
      execSync(`git ${args}`, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return `${git('rev-parse --short HEAD').trim()}${git('status --porcelain -- src').trim() ? '+src changes' : ''}`;
  } catch {
    return 'unknown';
  }
}

export function machineInfo(
  tfjsVersion: string,
  durationSeconds: number,
  quick: boolean,
  budget: Budget,
): Machine {
  const ortVersion = (createRequire(import.meta.url)('onnxruntime-node/package.json') as { version: string })
    .version;
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    onnxruntime: ortVersion,
    tfjs: tfjsVersion,
    commit: commit(),
    date: new Date().toISOString(),
    quick,
    budget,
    durationSeconds: Math.round(durationSeconds),
  };
}

/** What staged adds to a hand-built call, in µs (difference of medians). */
const overheadUs = (staged: Stats | undefined, hand: Stats | undefined) =>
  staged && hand ? (staged.median - hand.median) * 1000 : undefined;

/** The ratios of medians; those against the hand-built graph are undefined where there is none. */
function ratios(r: CaseResult) {
  const v = r.variants;
  const stagedOverHand = ratio(v['staged-onnx'], v['handbuilt-onnx']);
  const stagedOverHand1t = ratio(v['staged-onnx-1t'], v['handbuilt-onnx-1t']);
  const eagerWasmOverStaged = ratio(v['eager-wasm'], v['staged-onnx']);
  return {
    stagedOverHandbuilt: stagedOverHand,
    stagedOverHandbuilt1t: stagedOverHand1t,
    eagerCpuOverStaged: ratio(v['eager-cpu'], v['staged-onnx']),
    eagerWasmOverStaged,
    stagedTfjsOverStaged: ratio(v['staged-tfjs'], v['staged-onnx']),
    eagerWasmOverStagedJs: ratio(v['eager-wasm'], v['staged-js']),
    eagerWasmOverStagedJsWasm: ratio(v['eager-wasm'], v['staged-js-wasm']),
    overheadUs: overheadUs(v['staged-onnx'], v['handbuilt-onnx']),
    overheadUs1t: overheadUs(v['staged-onnx-1t'], v['handbuilt-onnx-1t']),
    targets: {
      ...(stagedOverHand === undefined || r.overheadTargetUs !== undefined
        ? {}
        : { parity: stagedOverHand <= PARITY_TARGET && stagedOverHand1t! <= PARITY_TARGET }),
      ...(r.overheadTargetUs === undefined
        ? {}
        : {
            overhead:
              Math.max(
                overheadUs(v['staged-onnx'], v['handbuilt-onnx'])!,
                overheadUs(v['staged-onnx-1t'], v['handbuilt-onnx-1t'])!,
              ) <= r.overheadTargetUs,
          }),
      ...(r.eagerTarget === undefined || eagerWasmOverStaged === undefined
        ? {}
        : { eagerSpeedup: eagerWasmOverStaged >= r.eagerTarget }),
    },
  };
}

/** Where a workload has no hand-built graph. */
const NOT_APPLICABLE = 'n/a';

/** Examples per second of each variant (medians), where the workload counts examples. */
const throughput = (r: CaseResult) =>
  r.examples === undefined
    ? undefined
    : Object.fromEntries(Object.entries(r.variants).map(([v, s]) => [v, (r.examples! * 1000) / s!.median]));

const machineLine = (m: Machine) =>
  `${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}; Node ${m.node}, onnxruntime-node ${m.onnxruntime}, ` +
  `tfjs ${m.tfjs}; autograph-ts ${m.commit}; ${m.date.slice(0, 10)}${m.quick ? ' (--quick)' : ''}, ${m.durationSeconds} s`;

const mark = (ok: boolean | undefined) => (ok === undefined ? '' : ok ? ' ✓' : ' ✗');

const parityCell = (r: number | undefined, targeted = true) =>
  r === undefined ? NOT_APPLICABLE : formatRatio(r) + (targeted ? mark(r <= PARITY_TARGET) : '');

/** The results table: one row per configuration. */
export function table(results: CaseResult[]): string {
  const header = [
    'workload',
    'config',
    'run',
    'eager-cpu ms',
    'eager-wasm ms',
    'staged-tfjs ms',
    'staged-js ms',
    'staged-js-wasm ms',
    'staged-ORT ms',
    'hand-built ORT ms',
    'staged / hand-built',
    '1 thread: staged-ORT ms',
    '1 thread: hand-built ms',
    '1 thread: staged / hand-built',
    'eager-cpu / staged',
    'eager-wasm / staged',
    'eager-wasm / staged-js',
    'eager-wasm / staged-js-wasm',
    'staged-ORT ex/s',
    'first call ms',
  ];
  const rows = results.map((r) => {
    const v = r.variants;
    const q = ratios(r);
    // a variant that failed says so (its error is listed under the table's run)
    const stats = (variant: Variant) => (r.failed?.[variant] ? 'FAILED' : formatStats(v[variant]));
    const staged = v['staged-onnx'];
    return [
      r.title,
      r.label,
      r.run,
      stats('eager-cpu'),
      stats('eager-wasm'),
      stats('staged-tfjs'),
      stats('staged-js'),
      stats('staged-js-wasm'),
      stats('staged-onnx'),
      v['handbuilt-onnx'] ? formatStats(v['handbuilt-onnx']) : NOT_APPLICABLE,
      parityCell(q.stagedOverHandbuilt, r.overheadTargetUs === undefined),
      stats('staged-onnx-1t'),
      v['handbuilt-onnx-1t'] ? formatStats(v['handbuilt-onnx-1t']) : NOT_APPLICABLE,
      parityCell(q.stagedOverHandbuilt1t, r.overheadTargetUs === undefined),
      formatRatio(q.eagerCpuOverStaged),
      formatRatio(q.eagerWasmOverStaged) + mark(q.targets.eagerSpeedup),
      formatRatio(q.eagerWasmOverStagedJs),
      formatRatio(q.eagerWasmOverStagedJsWasm),
      r.examples && staged ? formatRate((r.examples * 1000) / staged.median) : '–',
      staged ? formatMs(staged.firstCallMs) : '–',
    ];
  });
  return markdownTable(header, rows);
}

/** The eager-wasm / staged-ORT target over a workload's configurations; unmeasured ones (a variant failed) named. */
function eagerVerdict(qs: ReturnType<typeof ratios>[], target: number): string {
  const values = qs.map((q) => q.eagerWasmOverStaged).filter((x) => x !== undefined);
  const unmeasured = qs.length - values.length;
  if (!values.length) return `; eager-wasm/staged not measured (a variant failed) — ≥ ${target}× **not met**`;
  const missed = qs.filter((q) => q.targets.eagerSpeedup === false).length;
  return (
    `; eager-wasm/staged ${formatRatio(Math.min(...values))}–${formatRatio(Math.max(...values))} — ≥ ${target}× ` +
    (missed ? `**missed** in ${missed} of ${qs.length}` : 'met') +
    (unmeasured ? `; **not measured** in ${unmeasured} of ${qs.length} (a variant failed)` : '')
  );
}

/** Per workload: whether each target holds in every configuration. */
export function verdicts(results: CaseResult[]): string[] {
  const byWorkload = new Map<string, CaseResult[]>();
  for (const r of results) byWorkload.set(r.title, [...(byWorkload.get(r.title) ?? []), r]);
  const lines: string[] = [];
  for (const [title, rs] of byWorkload) {
    const qs = rs.map(ratios);
    const missed = (pick: (q: ReturnType<typeof ratios>) => boolean | undefined) =>
      qs.filter((q) => pick(q) === false).length;
    const range = (pick: (q: ReturnType<typeof ratios>) => number | undefined) => {
      const values = qs.map(pick).filter((x) => x !== undefined);
      if (!values.length) return undefined;
      return `${formatRatio(Math.min(...values))}–${formatRatio(Math.max(...values))}`;
    };
    const parity = missed((q) => q.targets.parity);
    const withHandbuilt = qs.filter((q) => q.stagedOverHandbuilt !== undefined).length;
    const target = rs[0]!.overheadTargetUs;
    if (target !== undefined) {
      const us = (pick: (q: ReturnType<typeof ratios>) => number | undefined) =>
        qs.map((q) => `${pick(q)!.toFixed(1)} µs`).join(', ');
      lines.push(
        `- **${title}**: staged-ORT − bare session.run ${us((q) => q.overheadUs)} (1 thread: ${us((q) => q.overheadUs1t)}) — ≤ ${target} µs ` +
          (missed((q) => q.targets.overhead) ? '**missed**' : 'met'),
      );
      continue;
    }
    lines.push(
      `- **${title}**: ` +
        (withHandbuilt
          ? `staged/hand-built ${range((q) => q.stagedOverHandbuilt)} (1 thread: ${range((q) => q.stagedOverHandbuilt1t)}) — ≤ ${PARITY_TARGET} at both ` +
            (parity ? `**missed** in ${parity} of ${withHandbuilt}` : 'met')
          : 'staged/hand-built n/a (no hand-built graph)') +
        (rs[0]!.eagerTarget === undefined ? '' : eagerVerdict(qs, rs[0]!.eagerTarget)),
    );
  }
  return lines;
}

/** Loop-body sizes of the staged lowering against the hand-built graph (once per distinct line). */
function graphLines(results: CaseResult[]): string[] {
  const lines = results.map(
    (r) =>
      `- ${r.title}: staged ${r.graphs.staged ? formatLoops(r.graphs.staged) : 'failed'} vs ` +
      (r.graphs.handbuilt ? `hand-built ${formatLoops(r.graphs.handbuilt)}` : 'no hand-built graph'),
  );
  return [...new Set(lines)];
}

function leakLines(results: CaseResult[]): string[] {
  return results.flatMap((r) =>
    Object.entries(r.variants)
      .filter(([, v]) => v!.leakedTensorsPerCall !== 0)
      .map(
        ([name, v]) => `- ${r.title} ${r.label}: ${name} leaks ${v!.leakedTensorsPerCall} tensors per call`,
      )
      .concat(
        r.tensors.after !== r.tensors.before
          ? [
              `- ${r.title} ${r.label}: numTensors ${r.tensors.before} → ${r.tensors.after} over the timed calls`,
            ]
          : [],
      ),
  );
}

/** The variants that failed, with their errors. */
function failureLines(results: CaseResult[]): string[] {
  return results.flatMap((r) =>
    Object.entries(r.failed ?? {}).map(([name, why]) => `- ${r.title} ${r.label}: ${name} failed: ${why}`),
  );
}

export function markdown(results: CaseResult[], m: Machine): string {
  const leaks = leakLines(results);
  const failures = failureLines(results);
  return [
    '# Staged-execution benchmark',
    '',
    `Machine: ${machineLine(m)}.`,
    '',
    'Median ms per call ±half the p10–p90 spread; ratios are of medians; ✓/✗: target met or missed (reported,',
    'not asserted). staged = `ag.stage` on ONNX Runtime (staged-tfjs: on the tfjs executor; staged-js, staged-js-wasm:',
    "compiled JS on the cpu, wasm backend's kernels); hand-built = the same",
    'computation written directly as ONNX nodes (bench/handbuilt/), run by ONNX Runtime. Both run with ONNX',
    "Runtime's default session options (intra-op threads on every core: what a user of either gets) and, in the",
    '"1 thread" columns, with one thread each way. How it is measured (bench/run.ts):',
    '',
    '- One process. Per configuration, each variant makes a first call (for staged variants: trace, lowering,',
    '  session creation; reported as "first call", not timed) and two warm calls; every output is then checked',
    '  against eager-cpu (floats within 1e-4 relative + 1e-4 absolute, counts and tokens exactly).',
    '- A call includes reading its outputs: eager = the converted function under `tf.tidy` + `dataSync`;',
    '  staged = `await f(...)` (tfjs tensors in and out); hand-built = `ort.Tensor`s over the input arrays,',
    '  `session.run`, `.data` of the outputs.',
    '- Timed calls interleave round-robin (eager-cpu, staged-tfjs, staged-js, the staged-ORT and hand-built variants, each round starting one',
    '  variant later, so that each follows each other one, and pays for its garbage, equally often); eager-wasm runs',
    `  in ${m.budget.blocks} block(s) between the rounds, because switching the tfjs backend moves the captured weights.`,
    `  Repetitions: about ${m.budget.seconds} s per variant, ${m.budget.minReps} to ${m.budget.maxReps} samples; a sample is`,
    `  one call, or for calls under ${MIN_SAMPLE_MS} ms the mean of a batch of consecutive calls lasting ${MIN_SAMPLE_MS} ms or more`,
    '  (not for calls that reset state between them). The spread is over samples.',
    '',
    table(results),
    '',
    ...(failures.length ? ['Failed variants (left out of the timing):', '', ...failures, ''] : []),
    '## Targets',
    '',
    ...verdicts(results),
    '',
    '## Nodes per loop iteration (staged lowering vs hand-built; overhead-type ops named)',
    '',
    ...graphLines(results),
    '',
    `Tensor leaks (tf.memory().numTensors): ${leaks.length ? '' : 'none.'}`,
    ...leaks,
    '',
  ].join('\n');
}

export function printTable(results: CaseResult[], m: Machine): void {
  console.log(`\n${markdown(results, m)}`);
}

/** Writes bench/results.json, bench/RESULTS.md and the README's table. */
export async function writeReports(results: CaseResult[], m: Machine): Promise<void> {
  const json = {
    machine: m,
    targets: {
      stagedOverHandbuilt: `<= ${PARITY_TARGET}`,
      eagerWasmOverStaged: 'per workload (eagerTarget)',
    },
    results: results.map((r) => ({ ...r, ratios: ratios(r), examplesPerSecond: throughput(r) })),
  };
  const dir = new URL('./', import.meta.url);
  await writeFile(new URL('results.json', dir), `${JSON.stringify(json, null, 2)}\n`);
  await writeFile(new URL('RESULTS.md', dir), markdown(results, m));
  await updateReadme(results, m);
  console.log('wrote bench/results.json, bench/RESULTS.md and the table in README.md');
}

const README_START = '<!-- bench:start (written by npm run bench) -->';
const README_END = '<!-- bench:end -->';

/** Replaces README's benchmark section, between its markers, by this run's machine, table and verdicts. */
export async function updateReadme(results: CaseResult[], m: Machine): Promise<void> {
  const path = new URL('../README.md', import.meta.url);
  await writeFile(path, withLatestTable(await readFile(path, 'utf8'), results, m));
}

function withLatestTable(readme: string, results: CaseResult[], m: Machine): string {
  const [start, end] = [readme.indexOf(README_START), readme.indexOf(README_END)];
  if (start < 0 || end < start) throw new Error(`README.md has no ${README_START} … ${README_END} section`);
  const section = [
    README_START,
    '',
    `Machine: ${machineLine(m)}.`,
    '',
    table(results),
    '',
    ...verdicts(results),
    '',
  ];
  return readme.slice(0, start) + section.join('\n') + readme.slice(end);
}
