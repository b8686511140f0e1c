/**
 * Repro (core gap): a `tf.grad` inside a staged loop body (or branch) that is itself differentiated —
 * second order through staged control flow, as in MAML with a tensor-count inner loop. Eager gives
 * the gradient; staged (both executors) fails with tfjs's "Cannot compute gradient of y=f(x) with
 * respect to x". The same code with a JS-count loop (unrolled) stages fine.
 *
 *   node --import ./dist/loader/register.js bench/repro-grad-in-loop.ts
 */
import * as tfjs from '@tensorflow/tfjs';
import * as ag from 'autograph-ts';
import type { AnyTf } from './harness.ts';

/** Typed so that operators on tensors type-check. */
const tf: AnyTf = tfjs as unknown as AnyTf;

const cube = (q: any) => tf.sum(q * q * q);

/** A while (tensor condition) whose body takes a gradient, differentiated from outside. */
function whileLoop(w: any, steps: any) {
  return tf.grad((u: any) => {
    let v = u;
    let i: any = tf.scalar(0);
    while (i < steps) {
      v = v - 0.1 * tf.grad(cube)(v);
      i = i + 1;
    }
    return tf.sum(v);
  })(w);
}

/** The same with a staged `if`. */
function branch(w: any, flag: any) {
  return tf.grad((u: any) => {
    let v = u;
    if (flag > 0) v = v - 0.1 * tf.grad(cube)(v);
    return tf.sum(v);
  })(w);
}

/** The same loop with a JS trip count: unrolled at trace time (works). */
function unrolled(w: any, steps: number) {
  return tf.grad((u: any) => {
    let v = u;
    for (let i = 0; i < steps; i++) v = v - 0.1 * tf.grad(cube)(v);
    return tf.sum(v);
  })(w);
}

const cases: [string, (...a: any[]) => any, () => unknown[]][] = [
  ['while', whileLoop, () => [tf.tensor([0.5, -0.3]), tf.scalar(3)]],
  ['if', branch, () => [tf.tensor([0.5, -0.3]), tf.scalar(1)]],
  ['unrolled', unrolled, () => [tf.tensor([0.5, -0.3]), 3]],
];
for (const [name, fn, args] of cases) {
  const line = [`${name}: eager ${JSON.stringify(await (ag.convert(fn)(...args()) as tfjs.Tensor).array())}`];
  for (const executor of ['tfjs', 'onnx'] as const) {
    try {
      const staged = ag.stage(fn, { executor });
      line.push(`${executor} ${JSON.stringify(await ((await staged(...args())) as tfjs.Tensor).array())}`);
      await staged.dispose();
    } catch (e) {
      line.push(`${executor} ERROR ${(e as Error).message.split('\n')[0]}`);
    }
  }
  console.log(line.join(' | '));
}
