/**
 * `npm start`: one program, converted at load time, run on plain JS numbers and on eager tfjs
 * tensors. The converted code is printed so you can see what the operators and statements became.
 */
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
}

await main();
