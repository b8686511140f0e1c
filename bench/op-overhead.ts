/**
 * `npm run bench:ops`: what one small tensor op costs on each way of running a staged graph, the
 * per-op saving of the compiled-JS executor's direct kernel calls (issue 15). A chain of CHAIN
 * elementwise ops (`x * 1.0001 + 0.5`, alternating) on a float32[SIZE] tensor, staged once, then run
 * eagerly (the converted function under tf.tidy), on the tfjs executor and as compiled JS, on the cpu
 * and wasm backends. Compiled JS runs twice: traced with a dynamic length (`ag.spec([null])`: every op a
 * direct kernel call) and with the static shape (a small one is a typed array, one JS loop per op).
 * Reports the median µs per op over interleaved repetitions.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import * as ag from 'autograph-ts';

const CHAIN = 200;
const SIZES = [4, 1024, 8192];
const REPS = 60;

/** CHAIN ops: a multiply and an add, CHAIN / 2 times. */
function chain(x: any) {
  for (let i = 0; i < 100; i++) x = x * 1.0001 + 0.5;
  return x;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function measure(backend: string, size: number): Promise<Record<string, number>> {
  await tf.setBackend(backend);
  const x = tf.tensor1d(Array.from({ length: size }, (_, i) => i / size));
  const ways: Record<string, () => Promise<tf.Tensor>> = {};
  const onTfjs = ag.stage(chain, { executor: 'tfjs' });
  const onJs = ag.stage(chain, { executor: 'js', inputSignature: [ag.spec([null])] });
  const onJsStatic = ag.stage(chain, { executor: 'js' });
  ways.eager = async () => tf.tidy(() => onTfjs.eager(x) as tf.Tensor);
  ways['staged-tfjs'] = () => onTfjs(x);
  ways['staged-js'] = () => onJs(x);
  ways['staged-js static'] = () => onJsStatic(x);
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(ways).map((k) => [k, []]));
  for (const run of Object.values(ways)) for (let i = 0; i < 5; i++) (await run()).dispose();
  for (let r = 0; r < REPS; r++) {
    for (const [name, run] of Object.entries(ways)) {
      const t0 = performance.now();
      const out = await run();
      out.dataSync();
      samples[name]!.push(((performance.now() - t0) * 1000) / CHAIN);
      out.dispose();
    }
  }
  await Promise.all([onTfjs.dispose(), onJs.dispose(), onJsStatic.dispose()]);
  x.dispose();
  return Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
}

const rows: string[] = [
  '| backend | float32[n] | eager µs/op | staged-tfjs µs/op | staged-js (kernels) µs/op | saving µs/op | staged-js (static shape) µs/op |',
];
rows.push('| --- | --- | --- | --- | --- | --- | --- |');
for (const backend of ['cpu', 'wasm']) {
  for (const size of SIZES) {
    const m = await measure(backend, size);
    const f = (v: number) => v.toFixed(2);
    rows.push(
      `| ${backend} | ${size} | ${f(m.eager!)} | ${f(m['staged-tfjs']!)} | ${f(m['staged-js']!)} | ${f(m['staged-tfjs']! - m['staged-js']!)} | ${f(m['staged-js static']!)} |`,
    );
  }
}
console.log(rows.join('\n'));
