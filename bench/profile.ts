/**
 * Where the staged graph's time goes, against the hand-built one, for one workload configuration:
 *
 *   node --import ./dist/loader/register.js bench/profile.ts rnn [config index] [reps]
 *
 * Prints (1) the median of session.run alone for both models and of the whole staged call (so the
 * tfjs wrapping around session.run shows), and (2) ONNX Runtime's own profile (enableProfiling): kernel
 * time and calls per run by op type, staged lowering vs hand-built. Profiling slows every kernel by a
 * roughly constant amount, so compare the two columns, not the absolute numbers. For a workload with a
 * driver (Case.drive: a JS loop of staged calls), the "whole call" is one staged call of the program.
 */
import { readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as ag from 'autograph-ts';
import { ort } from './handbuilt/onnx.ts';

/** ONNX Runtime's defaults, as both the staged sessions and the hand-built ones get them. */
const sessionOptions = () => ({});
import { formatMs, markdownTable, summarize } from './harness.ts';
import { WORKLOADS } from './workloads/index.ts';

type Session = Awaited<ReturnType<typeof ort.InferenceSession.create>>;
type Feeds = Record<string, InstanceType<typeof ort.Tensor>>;

async function medianMs(reps: number, fn: () => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  return summarize(samples).median;
}

/** Runs `bytes` `reps` times under ORT's profiler; kernel µs and calls per run, by op type. */
async function profileOps(bytes: Uint8Array, feeds: () => Feeds, reps: number, tag: string) {
  const prefix = path.join(os.tmpdir(), `autograph-bench-${process.pid}-${tag}`);
  const session = await ort.InferenceSession.create(bytes, {
    ...sessionOptions(),
    enableProfiling: true,
    profileFilePrefix: prefix,
  });
  for (let i = 0; i < reps; i++) await session.run(feeds());
  session.endProfiling();
  const file = (await readdir(os.tmpdir())).find((f) => f.startsWith(path.basename(prefix)));
  const events = JSON.parse(await readFile(path.join(os.tmpdir(), file!), 'utf8')) as {
    cat: string;
    name: string;
    dur: number;
    args?: { op_name?: string };
  }[];
  await rm(path.join(os.tmpdir(), file!));
  const ops = new Map<string, { us: number; calls: number }>();
  for (const e of events) {
    if (e.cat !== 'Node' || !e.name.endsWith('_kernel_time')) continue;
    const op = e.args?.op_name ?? '?';
    const entry = ops.get(op) ?? { us: 0, calls: 0 };
    ops.set(op, { us: entry.us + e.dur / reps, calls: entry.calls + 1 / reps });
  }
  ops.delete('Loop'); // its time is its body's nodes
  return ops;
}

async function main() {
  const [name, index = '0', repsArg = '20'] = process.argv.slice(2);
  const w = WORKLOADS.find((x) => x.name === name);
  if (!w)
    throw new Error(`usage: bench/profile.ts <${WORKLOADS.map((x) => x.name).join('|')}> [config] [reps]`);
  await tf.setBackend('cpu');
  const c = w.build(w.configs(false)[Number(index)]!);
  const reps = Number(repsArg);
  const staged = ag.stage(c.program, { executor: 'onnx' });
  const stagedBytes = staged.exportOnnxBytes(...c.args);
  // the tensors of the arguments, arrays and objects of them flattened in order: the model's inputs
  const inputs: tf.Tensor[] = [];
  const flatten = (x: unknown): void => {
    if (x instanceof tf.Tensor) inputs.push(x);
    else if (Array.isArray(x)) x.forEach(flatten);
    else if (x && typeof x === 'object') Object.values(x).forEach(flatten);
  };
  c.args.forEach(flatten);
  // a workload without a hand-built graph (the gradient workloads) is profiled alone
  const hand = c.handbuilt;
  const handFeeds = () => hand!.feeds() as Feeds;
  const sessions: Session[] = await Promise.all(
    [stagedBytes, ...(hand ? [hand.bytes] : [])].map((b) => ort.InferenceSession.create(b, sessionOptions())),
  );
  // The inputs after the arguments' are the tf.Variables the graph reads (training workloads): fed
  // zeros of their shapes here, since which variable each is is internal to the staged function; the
  // run time of these dense graphs does not depend on the values.
  const extra = sessions[0]!.inputMetadata.slice(inputs.length).map((m) => {
    if (!m.isTensor) throw new Error(`input ${m.name} is not a tensor`);
    const shape = m.shape.map(Number);
    const size = shape.reduce((a, b) => a * b, 1);
    const data =
      m.type === 'int32'
        ? new Int32Array(size)
        : m.type === 'bool'
          ? new Uint8Array(size)
          : new Float32Array(size);
    return [m.name, new ort.Tensor(m.type as 'float32', data as Float32Array, shape)] as const;
  });
  const stagedFeeds = (): Feeds => ({
    ...Object.fromEntries(
      inputs.map((t, i) => [
        `input${i}`,
        new ort.Tensor(t.dtype as 'float32', t.dataSync() as Float32Array, t.shape),
      ]),
    ),
    ...Object.fromEntries(extra),
  });
  c.reset?.();
  await staged(...c.args).then(tf.dispose);
  const runs = {
    'staged: session.run': await medianMs(reps, () => sessions[0]!.run(stagedFeeds())),
    'staged: whole call': await medianMs(reps, async () => tf.dispose(await staged(...c.args))),
    ...(hand ? { 'hand-built: session.run': await medianMs(reps, () => sessions[1]!.run(handFeeds())) } : {}),
  };
  console.log(`${w.title} ${c.label}, median of ${reps}:`);
  for (const [k, v] of Object.entries(runs)) console.log(`  ${k.padEnd(24)} ${formatMs(v)} ms`);
  const [a, b] = [
    await profileOps(stagedBytes, stagedFeeds, reps, 'staged'),
    hand
      ? await profileOps(hand.bytes, handFeeds, reps, 'hand')
      : new Map<string, { us: number; calls: number }>(),
  ];
  const opNames = [...new Set([...a.keys(), ...b.keys()])].sort(
    (x, y) => (b.get(y)?.us ?? 0) + (a.get(y)?.us ?? 0) - (b.get(x)?.us ?? 0) - (a.get(x)?.us ?? 0),
  );
  const cell = (e?: { us: number; calls: number }) =>
    e ? `${e.calls.toFixed(0)} / ${e.us.toFixed(0)}` : '–';
  const total = (m: typeof a) =>
    [...m.values()].reduce((s, e) => ({ us: s.us + e.us, calls: s.calls + e.calls }), { us: 0, calls: 0 });
  console.log('\nONNX Runtime profile per run (node calls / kernel µs), profiler overhead included:\n');
  console.log(
    markdownTable(
      ['op', 'staged', 'hand-built'],
      [
        ...opNames.map((op) => [op, cell(a.get(op)), cell(b.get(op))]),
        ['total', cell(total(a)), cell(total(b))],
      ],
    ),
  );
  tf.dispose(c.tensors);
}

await main().catch((e: Error) => {
  console.error(e);
  process.exit(1);
});
