/**
 * `npm start`: the whole pipeline. Part 1 converts ordinary functions at load time and runs them on
 * plain JS numbers and on eager tfjs tensors, printing the converted code. Part 2 stages an RNN
 * whose time loop is a native `for…of` over a tensor: the IR, the same results eager, on the tfjs
 * executor and on ONNX Runtime, their timings, and the model written as an .onnx file.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as ag from 'autograph-ts';

// TypeScript cannot type operators on tensors, so values that may be tensors are typed `any`.

/** Steps of the Collatz sequence: a data-dependent while loop with a branch. */
export function collatzSteps(n: any): any {
  let steps = 0;
  while (n > 1) {
    if (n % 2 == 0) n = n / 2;
    else n = 3 * n + 1;
    steps++;
  }
  return steps;
}

/** Index of the first row whose sum passes `limit`, with an early return from a for…of loop. */
export function firstRowAbove(rows: any, limit: number): number {
  let index = 0;
  for (const row of rows) {
    let total = 0;
    for (const x of row) {
      if (x < 0) continue;
      total += x;
    }
    if (total > limit) return index;
    index++;
  }
  return -1;
}

/** A basic RNN cell over a sequence [time, batch, features]; the time loop is staged as a while. */
export function rnn(xs: any, U: any, W: any, b: any): any {
  let h: any = tf.zeros([xs.shape[1], W.shape[0]]);
  for (const x of xs) {
    const input: any = tf.matMul(x, U);
    h = tf.tanh(input + tf.matMul(h, W) + b);
  }
  return h;
}

const show = (v: unknown) =>
  v instanceof tf.Tensor ? `tensor ${JSON.stringify(v.arraySync())}` : JSON.stringify(v);

async function main() {
  await tf.setBackend('cpu');
  console.log('=== converted code of collatzSteps ===');
  console.log(ag.toCode(collatzSteps));
  console.log('\n=== converted code of firstRowAbove ===');
  console.log(ag.toCode(firstRowAbove));

  const collatz = ag.convert(collatzSteps);
  console.log('\n=== collatzSteps: original vs converted, JS numbers vs eager tensors ===');
  for (const n of [1, 6, 27, 97]) {
    const t = tf.scalar(n, 'int32');
    console.log(
      `n=${String(n).padEnd(3)} original ${show(collatzSteps(n))}  converted ${show(collatz(n))}  converted on tf.scalar ${show(collatz(t))}`,
    );
  }

  const first = ag.convert(firstRowAbove);
  const rows = [
    [1, -2, 3],
    [4, 5, -6],
    [7, 8, 9],
  ];
  console.log('\n=== firstRowAbove: nested array vs tf.tensor2d ===');
  for (const limit of [2, 8, 20, 100]) {
    console.log(
      `limit=${String(limit).padEnd(3)} original ${show(firstRowAbove(rows, limit))}  converted ${show(first(rows, limit))}  converted on tensor ${show(first(tf.tensor2d(rows), limit))}`,
    );
  }

  console.log('\n=== a tensor condition must hold one value ===');
  try {
    collatz(tf.tensor1d([3, 4]));
  } catch (e) {
    console.log(`${(e as Error).name}: ${(e as Error).message}`);
  }
  await staging();
}

/** Median milliseconds of `runs` calls of `f` (after one untimed call). */
async function time(f: () => unknown, runs: number): Promise<number> {
  await f();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await f();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[runs >> 1]!;
}

async function staging() {
  const [steps, batch, features, hidden] = [64, 16, 32, 64];
  const xs = tf.randomNormal([steps, batch, features], 0, 1, 'float32', 1);
  const U = tf.randomNormal([features, hidden], 0, 0.2, 'float32', 2);
  const W = tf.randomNormal([hidden, hidden], 0, 0.1, 'float32', 3);
  const b = tf.zeros([hidden]);
  const onOrt = ag.stage(rnn); // ONNX Runtime is the default executor
  const onTfjs = ag.stage(rnn, { executor: 'tfjs' });

  console.log(`\n=== rnn staged: the IR for xs float32[${steps},${batch},${features}] ===`);
  console.log(onOrt.graph(xs, U, W, b));

  const eager = onOrt.eager(xs, U, W, b) as tf.Tensor;
  const fromOrt = (await onOrt(xs, U, W, b)) as tf.Tensor;
  const fromTfjs = (await onTfjs(xs, U, W, b)) as tf.Tensor;
  const gap = (t: tf.Tensor) => tf.max(tf.abs(tf.sub(t, eager))).dataSync()[0]!;
  console.log('\n=== the same h three ways ===');
  console.log(`max |staged on ONNX Runtime - eager| = ${gap(fromOrt).toExponential(1)}`);
  console.log(`max |staged on tfjs executor - eager| = ${gap(fromTfjs).toExponential(1)}`);

  const runs = 20;
  const dispose = (t: unknown) => tf.dispose(t as tf.Tensor);
  const eagerMs = await time(() => tf.tidy(() => onOrt.eager(xs, U, W, b)), runs);
  const tfjsMs = await time(async () => dispose(await onTfjs(xs, U, W, b)), runs);
  const ortMs = await time(async () => dispose(await onOrt(xs, U, W, b)), runs);
  console.log(`\n=== timings, median of ${runs} calls (npm run bench measures properly) ===`);
  console.log(`eager tfjs (cpu backend)   ${eagerMs.toFixed(2).padStart(8)} ms`);
  console.log(`staged, tfjs executor      ${tfjsMs.toFixed(2).padStart(8)} ms`);
  console.log(
    `staged, ONNX Runtime       ${ortMs.toFixed(2).padStart(8)} ms   (${(eagerMs / ortMs).toFixed(1)}x eager)`,
  );

  mkdirSync('out', { recursive: true });
  const path = join('out', 'rnn.onnx');
  await onOrt.exportOnnx([xs, U, W, b], path);
  console.log(
    `\nwrote ${path}: inputs input0..input3 (xs, U, W, b), output output0 (h); load it with onnxruntime-node or -web`,
  );
  tf.dispose([xs, U, W, b, eager, fromOrt, fromTfjs]);
  await onOrt.dispose();
  await onTfjs.dispose();
}

await main();
