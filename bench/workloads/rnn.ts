/**
 * Paper Table 1 (released rnn_benchmark.py): a basic RNN cell h = tanh(x_t U + h W + b), hidden 256,
 * features 50, batch × sequence length. Inputs are uniform in [0, 1) and zero past each example's
 * length (the first example has the full length T, the others uniform in [T/2, T)); the state stops
 * changing past an example's length. The time loop runs over the time-major input tensor, so the
 * staged graph has a real loop. Result: the final state. Throughput: examples (batch rows) per second.
 */
import * as tfjs from '@tensorflow/tfjs-core';
// Under the loader, importing autograph-ts converts this module's functions (run.ts stages them).
import 'autograph-ts';
import { rnnGraph, type RnnWeights } from '../handbuilt/rnn.ts';
import { type AnyTf, type Case, type Config, paperLengths, Rng, type Workload } from '../harness.ts';

/** tfjs, typed so that operators on tensors type-check. */
const tf: AnyTf = tfjs;

const FEATURES = 50;
const HIDDEN = 256;

/** The benchmark's program: ordinary TypeScript over tensors, with a native for…of time loop. */
function makeRnn(U: any, W: any, b: any, one: any, batch: number) {
  return function rnn(xs: any, lens: any) {
    let h: any = tf.zeros([batch, HIDDEN]);
    let t: any = tf.scalar(0, 'int32');
    for (const x of xs) {
      const next = tf.tanh(tf.matMul(x, U) + tf.matMul(h, W) + b);
      h = tf.where(t < lens, next, h);
      t = t + one;
    }
    return h;
  };
}

function build(config: Config): Case {
  const [B, T] = [config.B as number, config.T as number];
  const rng = new Rng(17);
  const w: RnnWeights = {
    U: rng.normal(FEATURES * HIDDEN, 1 / Math.sqrt(FEATURES)),
    W: rng.normal(HIDDEN * HIDDEN, 1 / Math.sqrt(HIDDEN)),
    b: rng.normal(HIDDEN, 0.1),
  };
  const lens = paperLengths(rng, B, T);
  const xs = rng.uniform(T * B * FEATURES);
  for (let t = 0; t < T; t++)
    for (let i = 0; i < B; i++)
      if (t >= lens[i]!) xs.fill(0, (t * B + i) * FEATURES, (t * B + i + 1) * FEATURES);
  const weights = [
    tf.tensor2d(w.U, [FEATURES, HIDDEN]),
    tf.tensor2d(w.W, [HIDDEN, HIDDEN]),
    tf.tensor1d(w.b),
    tf.scalar(1, 'int32'),
  ] as const;
  const args = [tf.tensor3d(xs, [T, B, FEATURES]), tf.tensor2d(lens, [B, 1], 'int32')];
  return {
    label: `B=${B} T=${T}`,
    params: { batch: B, seqLen: T, hidden: HIDDEN, features: FEATURES },
    program: makeRnn(...weights, B),
    args,
    outputs: ['float'],
    handbuilt: rnnGraph({ T, B, F: FEATURES, H: HIDDEN }, w, xs, lens),
    examples: B,
    describe: () => `${T} steps`,
    tensors: [...weights, ...args],
  };
}

export const rnn: Workload = {
  name: 'rnn',
  title: 'RNN (Table 1)',
  eagerTarget: 5,
  configs: (quick) =>
    quick ? [{ B: 32, T: 64 }] : [32, 64, 128].flatMap((B) => [64, 128].map((T) => ({ B, T }))),
  build,
};
