/**
 * Regression tests for bugs the gradient corpus and the gradient fuzzer found: each staged gradient
 * (both executors) must equal the eager gradient of the converted function.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import * as ag from '../src/index.ts';
import { difference, toArrays } from './staged/compare.ts';
import type { Tf } from './staged/common.ts';

const T: Tf = { ...tf };
const v = (...xs: number[]) => tf.tensor1d(xs);

interface Case {
  name: string;
  /** The loss, differentiated with respect to both arguments. */
  fn: (x: any, y: any) => unknown;
  inputs: () => [tf.Tensor, tf.Tensor];
}

const cases: Case[] = [
  {
    // tfjs's tape passes an adjoint through an int32 cast; staged gradients once dropped it
    name: 'int32_cast_in_loop_carries_adjoint',
    fn: (x: any, y: any) => {
      let b = T.mean(y);
      const j = T.cast(T.sum(x) * 4, 'int32');
      while (b < 1000) b *= T.max(y) - (j + j);
      return b + T.sum(x * y) * 0.001;
    },
    inputs: () => [v(1.375, 1.625, 0.875), v(-0.125, 2.3125, -1.875)],
  },
  {
    // tfjs asks only for the dividend's adjoint of an int32 Mod: the divisor's cannot be computed
    name: 'int32_mod_dividend_adjoint',
    fn: (x: any, y: any) => {
      const c = x - y;
      const j = T.cast(T.sum(x) * 4, 'int32');
      for (const r of x) {
        if (T.sum(r) < 100) x *= (j % 2) + T.exp(T.tanh(c));
      }
      return T.sum(x) + T.sum(x * y) * 0.001;
    },
    inputs: () => [v(-2.3125, -0.25, -0.9375), v(0.5, -1, 2)],
  },
  {
    // DCE dropped a loop value read only as a result of a cond nested two deep
    name: 'loop_value_read_two_conds_deep',
    fn: (x: any, y: any) => {
      const c = x - y;
      const a = T.sum(x) * 0.5;
      let b = T.mean(y);
      const j = T.cast(T.sum(x) * 4, 'int32');
      let f0 = 0;
      while (f0 < 3 && T.sum(y) < 0.55) {
        f0 = f0 + 1;
        if (T.min(y) < 0.25) {
          b = a;
        } else {
          if (a - 1.5 > 0.05) {
            y += (j % 2) - (x - c);
            // biome-ignore lint/correctness/noUnnecessaryContinue: the staged continue flag is the case
            continue;
          }
        }
      }
      return T.sum(-y) + b + T.sum(x * y) * 0.001;
    },
    inputs: () => [v(0.625, -0.25, -1.25), v(0.1875, -0.75, 0.4375)],
  },
  {
    // a list stacked after a staged loop has a dynamic length; the softmax's input meets a static [4]
    name: 'pushed_rows_softmax_times_static',
    fn: (K: any, q: any) => {
      const scores = [];
      for (const k of K) scores.push(T.sum(k * q));
      const p = T.softmax(T.stack(scores));
      return T.sum(p * T.range(0, 4));
    },
    inputs: () => [
      tf.tensor2d([
        [1, 2, 3],
        [0.5, 0.1, 0.2],
        [1, 1, 1],
        [-1, 0, 1],
      ]),
      v(0.3, -0.5, 0.8),
    ],
  },
  {
    // a tf.grad inside a staged loop body, differentiated again: the body's tape was switched off
    name: 'grad_inside_staged_loop_second_order',
    fn: (w: any, steps: any) => {
      const cube = (q: any) => T.sum(q * q * q);
      let u = w;
      let i = T.scalar(0);
      while (i < T.sum(steps)) {
        u = u - 0.1 * T.grad(cube)(u);
        i = i + 1;
      }
      return T.sum(u) + T.sum(steps) * 0.5;
    },
    inputs: () => [v(0.5, -0.3), v(3)],
  },
  {
    // the same inside a staged if
    name: 'grad_inside_staged_if_second_order',
    fn: (w: any, flag: any) => {
      const cube = (q: any) => T.sum(q * q * q);
      let u = w;
      if (T.sum(flag) > 0) u = u - 0.1 * T.grad(cube)(u);
      return T.sum(u * flag);
    },
    inputs: () => [v(0.5, -0.3), v(1)],
  },
  {
    // eager for…of over a one-row tensor: tfjs's gradient of a one-output unstack breaks
    name: 'for_of_one_row_eager_gradient',
    fn: (x: any, y: any) => {
      let z = x;
      for (const r of T.reshape(y, [1, -1])) z = z * r;
      return T.sum(z);
    },
    inputs: () => [v(0.3, 0.7), v(0.5, 0.25)],
  },
  {
    // an inner loop whose trip count changes with the outer iteration: its stacks are ragged
    name: 'nested_inner_trip_count_varies',
    fn: (x: any, y: any) => {
      let z = x;
      let i = T.scalar(0);
      while (i < 3) {
        let j = T.scalar(0);
        while (j < i + 1) {
          z = T.sin(z) + z * y;
          j = j + 1;
        }
        i = i + 1;
      }
      return T.sum(z);
    },
    inputs: () => [v(0.3, 0.7), v(0.5, 0.25)],
  },
];

async function check(c: Case, executor: 'tfjs' | 'onnx' | 'js'): Promise<void> {
  const eagerLoss = ag.convert(c.fn, { form: 'eager', scope: { T } }) as (a: any, b: any) => tf.Scalar;
  const eager = toArrays(tf.grads(eagerLoss)(c.inputs()));
  const staged = ag.stage((a: any, b: any) => T.grads(loss)([a, b]), {
    scope: { T, loss: ag.convert(c.fn, { form: 'graph', scope: { T } }) },
    executor,
  });
  try {
    const got = toArrays(await staged(...c.inputs()));
    const d = difference(eager, got, { abs: 1e-5, rel: 1e-4 });
    expect(d, `${c.name} on ${executor}: ${d}`).toBeNull();
  } finally {
    await staged.dispose();
  }
}

/** The loss a staged program differentiates: given in its scope. */
declare const loss: (...args: any[]) => unknown;

describe('gradient regressions', () => {
  for (const c of cases)
    for (const executor of ['tfjs', 'onnx', 'js'] as const)
      it(`${c.name} (${executor})`, () => check(c, executor));
});
