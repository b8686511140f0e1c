/**
 * `npm run bench [-- --quick] [-- --only rnn,collatz]` (or `-- rnn collatz`; `-- --help`): the staged-execution benchmark. For each
 * workload configuration, in this one process: eager tfjs (cpu and wasm backends), `ag.stage` on ONNX
 * Runtime, on the tfjs executor and as compiled JS (on the cpu and on the wasm backend's kernels), and a hand-written ONNX graph on ONNX Runtime. Every variant's
 * output is checked against eager-cpu before timing (a mismatch fails the run), then all are timed with
 * interleaved repetitions. Prints the table; a full run also writes bench/results.json and bench/RESULTS.md.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import * as ag from 'autograph-ts';
import { createSession } from './handbuilt/onnx.ts';
import {
  type Backend,
  batchFor,
  type Budget,
  type Case,
  type Config,
  type HandBuilt,
  type HandbuiltVariant,
  ONE_THREAD,
  mismatch,
  type Outputs,
  repsFor,
  summarize,
  type Timed,
  timeInterleaved,
  type Variant,
  VARIANTS,
  type Workload,
} from './harness.ts';
import { graphStats } from './onnx-stats.ts';
import { type CaseResult, machineInfo, printTable, writeReports } from './report.ts';
import { WORKLOADS } from './workloads/index.ts';

/** Full run: about 10 minutes on a 2-core machine; --quick: about a minute. */
const BUDGETS: Record<'full' | 'quick', Budget> = {
  full: { seconds: 2, minReps: 3, maxReps: 400, blocks: 3 },
  quick: { seconds: 0.4, minReps: 3, maxReps: 60, blocks: 1 },
};
/** Untimed calls after the first one, before estimating the repetitions (and, for fast calls, WARM_MS of them). */
const WARM_CALLS = 2;
const WARM_MS = 50;

interface Options {
  quick: boolean;
  only: string[] | null;
}

const USAGE = `npm run bench [-- --quick] [-- --only NAME[,NAME...]] [-- NAME...]
  --quick   the smallest configuration of each workload, short timing (a smoke run)
  --only    run only these workloads (a bare NAME does the same): ${WORKLOADS.map((w) => w.name).join(', ')}
e.g. npm run bench -- --only tree-lstm --quick, or npm run bench -- tree-lstm`;

function parseArgs(argv: string[]): Options {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    process.exit(0);
  }
  const only = argv.indexOf('--only');
  const unknown = argv.filter(
    (a, i) => a.startsWith('--') && a !== '--quick' && a !== '--only' && i !== only + 1,
  );
  if (unknown.length) throw new Error(`unknown flags ${unknown.join(' ')} (use --quick, --only a,b)`);
  const bare = argv.filter((a, i) => !a.startsWith('--') && (only < 0 || i !== only + 1));
  const listed = only >= 0 ? (argv[only + 1] ?? '').split(',').filter(Boolean) : [];
  const names = only >= 0 || bare.length ? [...listed, ...bare] : null;
  const known = WORKLOADS.map((w) => w.name);
  const bad = names?.filter((n) => !known.includes(n)) ?? [];
  if (bad.length) throw new Error(`unknown workload ${bad.join(', ')}: choose from ${known.join(', ')}`);
  return { quick: argv.includes('--quick'), only: names };
}

// ---------------------------------------------------------------------------------------------
// Variants

/** Reads every tensor of a result (tensors, JS numbers, arrays/objects of them) and frees them. */
function readAndDispose(result: unknown): Outputs {
  const outputs: Outputs = [];
  const walk = (x: unknown) => {
    if (x instanceof tf.Tensor) outputs.push(x.dataSync() as ArrayLike<number>);
    else if (typeof x === 'number' || typeof x === 'boolean') outputs.push([Number(x)]);
    else if (Array.isArray(x)) x.forEach(walk);
    else if (x && typeof x === 'object') Object.values(x).forEach(walk);
  };
  walk(result);
  tf.dispose(result as tf.TensorContainer);
  return outputs;
}

interface Runner extends Timed {
  call(): Promise<Outputs>;
}

/** Eager: the converted function run op by op on the active backend (tidy frees its temporaries). */
function eager(variant: Variant, backend: Backend, c: Case, staged: ag.StagedFunction<any>): Runner {
  const step = async (...args: unknown[]) => tf.tidy(() => staged.eager(...args) as tf.TensorContainer);
  return {
    variant,
    backend,
    call: async () => readAndDispose(c.drive ? await c.drive(step) : await step(...c.args)),
    reset: c.reset,
  };
}

/** ag.stage: one traced graph per signature, run by the given executor; results come back as tensors. */
function staged(variant: Variant, c: Case, f: ag.StagedFunction<any>, backend: Backend = 'cpu'): Runner {
  const step = (...args: unknown[]) => f(...args);
  return {
    variant,
    backend,
    call: async () => readAndDispose(c.drive ? await c.drive(step) : await step(...c.args)),
    reset: c.reset,
  };
}

/**
 * The hand-written graph on ONNX Runtime directly: per call, what any ORT user does (make the input
 * ort.Tensors from the data, run, read the outputs), without the tfjs tensors around the staged path.
 */
function handbuilt(graph: HandBuilt, variant: HandbuiltVariant, options?: typeof ONE_THREAD): Runner {
  let session: ReturnType<typeof createSession> | undefined;
  const call = async () => {
    session ??= createSession(graph.bytes, options); // on the first call, which is reported separately
    const results = await (await session).run(graph.feeds() as any);
    return graph.outputNames.map((n) => results[n]!.data as ArrayLike<number>);
  };
  return { variant, backend: 'cpu', call };
}

/**
 * Makes `backend` the active tfjs backend and moves the case's tensors to it now, outside any timed
 * call (tfjs moves a tensor's data when a kernel of the active backend first touches it; a Reshape
 * touches it without copying on the cpu and wasm backends).
 */
async function switchTo(backend: Backend, tensors: tf.Tensor[]): Promise<void> {
  if (tf.getBackend() === backend) return;
  await tf.setBackend(backend);
  for (const t of tensors) tf.reshape(t, t.shape).dispose();
}

// ---------------------------------------------------------------------------------------------
// One configuration

interface Warm {
  /** The first call: tracing and session creation for the staged variants. */
  first: number;
  /** The last untimed call, to choose the repetitions. */
  warm: number;
  outputs: Outputs;
}

/** A first call slower than this serves as the estimate itself (the eager runs of large configs). */
const SLOW_MS = 1000;

/** First call (tracing, session creation: reported separately), then untimed warm calls. */
async function warmUp(r: Runner, tensors: tf.Tensor[]): Promise<Warm> {
  await switchTo(r.backend, tensors);
  r.reset?.();
  const t0 = performance.now();
  const outputs = await r.call();
  const first = performance.now() - t0;
  // the fastest of the warm calls (at least WARM_CALLS, and WARM_MS of them for fast calls)
  let warm = first;
  let spent = 0;
  for (let i = 0; (i < WARM_CALLS || spent < WARM_MS) && first < SLOW_MS; i++) {
    r.reset?.();
    const t1 = performance.now();
    await r.call();
    const ms = performance.now() - t1;
    spent += ms;
    warm = i === 0 ? ms : Math.min(warm, ms);
  }
  await switchTo('cpu', tensors);
  return { first, warm, outputs };
}

/** Each variant's first output against eager-cpu's (the reference); the mismatches described. */
function check(c: Case, warm: Map<Variant, Warm>): string[] {
  const reference = warm.get('eager-cpu')!.outputs;
  return [...warm].flatMap(([v, { outputs }]) => {
    const why = mismatch(reference, outputs, c.outputs);
    return why ? [`${v}: ${why}`] : [];
  });
}

/** The first line of what a variant threw (its name and message). */
const firstLine = (e: unknown): string =>
  String(e instanceof Error ? `${e.name}: ${e.message}` : e).split('\n')[0]!;

/**
 * One configuration: its result (absent when eager-cpu, the reference, failed or an output did not
 * match) and its failures. A variant whose first or warm calls throw (a program that cannot be staged
 * or run yet) is reported as failed, with its error, and left out of the timing; the others still run.
 */
async function runCase(
  w: Workload,
  config: Config,
  budget: Budget,
): Promise<{ result?: CaseResult; failures: string[] }> {
  const c = w.build(config);
  process.stdout.write(`${w.name} ${c.label}: `);
  const onnx = ag.stage(c.program, { executor: 'onnx' });
  const onnx1t = ag.stage(c.program, { executor: 'onnx', sessionOptions: ONE_THREAD });
  const tfjs = ag.stage(c.program, { executor: 'tfjs' });
  const js = ag.stage(c.program, { executor: 'js' });
  const jsWasm = ag.stage(c.program, { executor: 'js' });
  try {
    const runners: Runner[] = [
      eager('eager-cpu', 'cpu', c, onnx),
      eager('eager-wasm', 'wasm', c, onnx),
      staged('staged-tfjs', c, tfjs),
      staged('staged-js', c, js),
      staged('staged-js-wasm', c, jsWasm, 'wasm'),
      staged('staged-onnx', c, onnx),
      staged('staged-onnx-1t', c, onnx1t),
      ...(c.handbuilt
        ? [handbuilt(c.handbuilt, 'handbuilt-onnx'), handbuilt(c.handbuilt, 'handbuilt-onnx-1t', ONE_THREAD)]
        : []),
    ];
    const warm = new Map<Variant, Warm>();
    const failed = new Map<Variant, string>();
    for (const r of runners) {
      try {
        warm.set(r.variant, await warmUp(r, c.tensors));
      } catch (e) {
        failed.set(r.variant, firstLine(e));
        await switchTo('cpu', c.tensors);
      }
    }
    const failures = [...failed].map(([v, why]) => `${w.name} ${c.label}: ${v} FAILED: ${why}`);
    if (!warm.has('eager-cpu')) {
      console.log('FAILED');
      return { failures };
    }
    const mismatches = check(c, warm);
    if (mismatches.length) {
      console.log('OUTPUT MISMATCH');
      return { failures: [...failures, ...mismatches.map((f) => `${w.name} ${c.label}: ${f}`)] };
    }
    if (failed.size) process.stdout.write(`${[...failed.keys()].join(', ')} FAILED; `);
    for (const r of runners.filter((r) => warm.has(r.variant)))
      r.batch = batchFor(warm.get(r.variant)!.warm, r.reset !== undefined);
    const reps = new Map(
      runners
        .filter((r) => warm.has(r.variant))
        .map((r) => [r.variant, repsFor(warm.get(r.variant)!.warm * r.batch!, budget)]),
    );
    const tensorsBefore = tf.memory().numTensors;
    const { samples, leaks } = await timeInterleaved(
      runners.filter((r) => warm.has(r.variant)),
      reps,
      budget,
      (backend) => switchTo(backend, c.tensors),
      () => tf.memory().numTensors,
    );
    const tensorsAfter = tf.memory().numTensors;
    console.log(`${[...samples.values()].reduce((n, s) => n + s.length, 0)} timed calls`);
    let stagedGraph: ReturnType<typeof graphStats> | undefined;
    try {
      stagedGraph = graphStats(onnx.exportOnnxBytes(...c.args));
    } catch (e) {
      if (!failed.has('staged-onnx')) throw e;
    }
    const result: CaseResult = {
      workload: w.name,
      title: w.title,
      label: c.label,
      params: c.params,
      examples: c.examples,
      run: c.describe?.(warm.get('eager-cpu')!.outputs) ?? '',
      eagerTarget: w.eagerTarget,
      overheadTargetUs: w.overheadTargetUs,
      variants: Object.fromEntries(
        VARIANTS.filter((v) => warm.has(v)).map((v) => [
          v,
          {
            ...summarize(samples.get(v)!),
            firstCallMs: warm.get(v)!.first,
            leakedTensorsPerCall: leaks.get(v)!,
          },
        ]),
      ) as CaseResult['variants'],
      ...(failed.size ? { failed: Object.fromEntries(failed) } : {}),
      tensors: { before: tensorsBefore, after: tensorsAfter },
      graphs: {
        ...(stagedGraph ? { staged: stagedGraph } : {}),
        ...(c.handbuilt ? { handbuilt: graphStats(c.handbuilt.bytes) } : {}),
      },
    };
    return { result, failures };
  } finally {
    await Promise.all([onnx.dispose(), onnx1t.dispose(), tfjs.dispose(), js.dispose(), jsWasm.dispose()]);
    tf.dispose(c.tensors);
  }
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const budget = BUDGETS[options.quick ? 'quick' : 'full'];
  await tf.setBackend('wasm'); // initialises the wasm backend once, outside every timing
  await tf.setBackend('cpu');
  const started = performance.now();
  const results: CaseResult[] = [];
  const failures: string[] = [];
  for (const w of WORKLOADS.filter((w) => !options.only || options.only.includes(w.name))) {
    for (const config of w.configs(options.quick)) {
      const { result, failures: failed } = await runCase(w, config, budget);
      if (result) results.push(result);
      failures.push(...failed);
    }
  }
  const machine = machineInfo(tf.version_core, (performance.now() - started) / 1000, options.quick, budget);
  printTable(results, machine);
  if (failures.length) {
    console.error(
      `\nFAILED variants or OUTPUT MISMATCH against eager-cpu (nothing written):\n  ${failures.join('\n  ')}`,
    );
    process.exit(1);
  }
  // the committed results come from full runs only; --quick and --only are smoke runs
  if (options.quick || options.only)
    console.log('\n(--quick / --only: bench/results.json and RESULTS.md left as they are)');
  else await writeReports(results, machine);
}

// Errors are printed here: the wasm backend's Emscripten module rethrows unhandled ones (with its source).
await main().catch((e: Error) => {
  console.error(e);
  process.exit(1);
});
