/**
 * The model step, written as plain TypeScript: a basic RNN cell h = tanh(x·U + h·W + b) over a
 * time-major sequence, whose state stops changing past each example's length. Importing autograph-ts
 * opts this module in: autograph-ts/vite gives `rnn` converted twins when Vite serves it.
 * Edit it: the dev server reloads the page with the new code, its IR and its timings.
 */
import * as tfc from '@tensorflow/tfjs-core';
import 'autograph-ts';

/** tfjs with members typed `any`: TypeScript cannot type `+` or `<` on tensors. */
const tf: { [K in keyof typeof tfc]: any } = tfc;

export const FEATURES = 50;
export const HIDDEN = 256;

export function makeRnn(U: any, W: any, b: any, batch: number) {
  const one = tf.scalar(1, 'int32');
  return function rnn(xs: any, lengths: any) {
    let h = tf.zeros([batch, HIDDEN]);
    let t = tf.scalar(0, 'int32');
    for (const x of xs) {
      const next = tf.tanh(tf.matMul(x, U) + tf.matMul(h, W) + b);
      h = tf.where(t < lengths, next, h);
      t = t + one;
    }
    return h;
  };
}
