/**
 * Scalar control flow: Collatz step counts, a data-dependent while loop whose trip count is the
 * longest trajectory. The batch form (what matters) updates an int32 vector of starting values with
 * elementwise `where` until no value exceeds 1 (starting values uniform in [1, 10000): 261 steps at
 * most); the scalar form is the textbook loop with an `if`, on one float32 value (6171: 261 steps,
 * its trajectory stays below 2^24, so float32 is exact).
 */
import * as tfjs from '@tensorflow/tfjs-core';
// Under the loader, importing autograph-ts converts this module's functions (run.ts stages them).
import 'autograph-ts';
import { collatzBatchGraph, collatzScalarGraph } from '../handbuilt/collatz.ts';
import { type AnyTf, type Case, type Config, Rng, type Workload } from '../harness.ts';

/** tfjs, typed so that operators on tensors type-check. */
const tf: AnyTf = tfjs;

/** int32 constants: JS numbers are float32 in tfjs and would turn the int32 math into float32. */
function makeCollatzBatch(one: any, two: any, three: any) {
  return function collatzBatch(n: any) {
    let steps: any = tf.zerosLike(n);
    while (tf.any(n > one)) {
      const active = n > one;
      const next = tf.where(tf.equal(tf.mod(n, two), tf.zerosLike(n)), tf.floorDiv(n, two), n * three + one);
      n = tf.where(active, next, n);
      steps = steps + tf.cast(active, 'int32');
    }
    return steps;
  };
}

/** The textbook form (as examples/showcase.ts): native `if` and arithmetic on one number. */
function collatzScalar(n: any) {
  let steps = 0;
  while (n > 1) {
    if (n % 2 == 0) n = n / 2;
    else n = 3 * n + 1;
    steps++;
  }
  return steps;
}

function buildBatch(size: number): Case {
  const start = new Rng(31).ints(size, 1, 10000);
  const constants = [tf.scalar(1, 'int32'), tf.scalar(2, 'int32'), tf.scalar(3, 'int32')] as const;
  const args = [tf.tensor1d(start, 'int32')];
  return {
    label: `batch ${size}`,
    params: { form: 'batch', size },
    program: makeCollatzBatch(...constants),
    args,
    outputs: ['exact'],
    handbuilt: collatzBatchGraph(start),
    examples: size,
    describe: (out) => `${Math.max(...Array.from(out[0]!, Number))} steps`,
    tensors: [...constants, ...args],
  };
}

function buildScalar(start: number): Case {
  const args = [tf.scalar(start)];
  return {
    label: `scalar n=${start}`,
    params: { form: 'scalar', start },
    program: collatzScalar,
    args,
    outputs: ['exact'],
    handbuilt: collatzScalarGraph(start),
    describe: (out) => `${Number(out[0]![0])} steps`,
    tensors: args,
  };
}

export const collatz: Workload = {
  name: 'collatz',
  title: 'Collatz',
  eagerTarget: 20,
  configs: (quick): Config[] =>
    quick
      ? [{ form: 'batch', size: 1024 }]
      : [
          { form: 'batch', size: 1024 },
          { form: 'batch', size: 64 },
          { form: 'scalar', start: 6171 },
        ],
  build: (c) => (c.form === 'batch' ? buildBatch(c.size as number) : buildScalar(c.start as number)),
};
