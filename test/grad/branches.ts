/** if / else, ?:, &&, ||, ! on tensor conditions, and piecewise functions of tensors. */
import * as tf from '@tensorflow/tfjs';
import type { GradCase, Tf } from './common.ts';

const T: Tf = { ...tf };
const v = (...xs: number[]) => tf.tensor1d(xs);
const f32 = (x: number) => tf.scalar(x);
const i32 = (n: number) => tf.scalar(n, 'int32');

export const cases: GradCase[] = [
  {
    name: 'if_sum_positive',
    fn: (x: any) => {
      let y: any;
      if (T.sum(x) > 0) {
        y = T.sum(x * x);
      } else {
        y = T.sum(T.exp(x));
      }
      return y;
    },
    inputs: () => [[v(1, -0.5, 2)], [v(-1, 0.2, -0.4)]],
  },
  {
    name: 'if_else_if_chain_on_mean',
    fn: (x: any) => {
      const m = T.mean(x);
      let y = x;
      if (m < -1) {
        y = T.exp(x);
      } else if (m < 1) {
        y = T.sin(x) * 2;
      } else {
        y = T.log(T.abs(x) + 1);
      }
      return T.sum(y * x);
    },
    inputs: () => [[v(-2, -1.5)], [v(0.3, -0.1)], [v(2, 3.5)]],
  },
  {
    name: 'ternary_on_sum',
    fn: (x: any) => (T.sum(x) > 1 ? T.sum(T.sin(x)) : T.sum(T.cos(x) * x)),
    inputs: () => [[v(1, 0.8)], [v(0.1, 0.2)]],
  },
  {
    name: 'where_mask_argument_piecewise',
    fn: (x: any, mask: any) => T.sum(T.where(mask, x * x, -x * 0.5)),
    inputs: () => [[v(1.5, -0.7, 0.3, -2), tf.tensor1d([1, 0, 1, 0], 'bool')]],
  },
  {
    name: 'and_tensor_conditions',
    fn: (x: any) => {
      let y = x * 2;
      if (T.sum(x) > 0 && T.max(x) < 3) {
        y = y * x;
      }
      return T.sum(y);
    },
    inputs: () => [[v(1, 2)], [v(1, 4)], [v(-1, -2)]],
  },
  {
    name: 'or_tensor_conditions',
    fn: (x: any, y: any) => {
      let r = x + y;
      if (T.sum(x) > 2 || T.sum(y) < -1) {
        r = x * y;
      }
      return T.sum(r * r);
    },
    wrt: [0, 1],
    inputs: () => [
      [v(1.5, 1), v(0.5, 0.2)],
      [v(0.1, 0.2), v(-1, -0.5)],
      [v(0.1, 0.2), v(0.3, 0.4)],
    ],
  },
  {
    name: 'not_condition',
    fn: (x: any) => {
      let y = T.tanh(x);
      if (!(T.sum(x) > 0)) {
        y = y * y;
      }
      return T.sum(y);
    },
    inputs: () => [[v(0.5, 1)], [v(-0.5, -1)]],
  },
  {
    name: 'nested_if',
    fn: (x: any) => {
      let y = x;
      if (T.sum(x) > 0) {
        if (T.max(x) > 2) {
          y = x * 3;
        } else {
          y = T.square(x);
        }
      } else {
        y = T.neg(x);
      }
      return T.sum(T.sin(y));
    },
    inputs: () => [[v(1, 2.5)], [v(1, 0.5)], [v(-1, 0.5)]],
  },
  {
    name: 'if_assigns_two_vars',
    fn: (x: any) => {
      let a = x;
      let b = x * 2;
      if (T.sum(x) < 1) {
        a = b + 1;
        b = a * x;
      } else {
        b = T.exp(a);
      }
      return T.sum(a * b);
    },
    inputs: () => [[v(0.2, 0.3)], [v(1, 0.5)]],
  },
  {
    name: 'if_branch_uses_weight',
    fn: (x: any, w: any) => {
      let y = x;
      if (T.sum(x * w) > 0) {
        y = T.tanh(x * w);
      } else {
        y = x - w;
      }
      return T.sum(y * y);
    },
    wrt: [0, 1],
    inputs: () => [
      [v(1, 2), v(0.5, 0.3)],
      [v(1, 2), v(-0.5, -0.3)],
    ],
  },
  {
    name: 'piecewise_huber_branch',
    fn: (x: any, y: any) => {
      const d = x - y;
      const a = T.sum(T.abs(d));
      let loss: any;
      if (a < 1) {
        loss = T.sum(d * d) * 0.5;
      } else {
        loss = a - 0.5;
      }
      return loss;
    },
    wrt: [0, 1],
    inputs: () => [
      [v(0.2, 0.1), v(0.1, 0.4)],
      [v(2, 0.1), v(0.1, 0.7)],
    ],
  },
  {
    name: 'piecewise_sawtooth_mod',
    fn: (x: any) => {
      const r = x % 1;
      return T.sum(r * r + x);
    },
    inputs: () => [[v(0.3, 1.6, 2.45, -0.7)]],
  },
  {
    name: 'ternary_calls_helper',
    fn: (x: any) => {
      const soft = (u: any) => T.log(T.exp(u) + 1);
      const y = T.mean(x) > 0 ? soft(x) : soft(-x) * 2;
      return T.sum(y);
    },
    inputs: () => [[v(1, -0.5)], [v(-1, 0.5, -0.8)]],
  },
  {
    name: 'branch_on_int32_argument',
    fn: (x: any, k: any) => {
      let y = x;
      if (k > 2) {
        y = x * x * 0.5;
      } else {
        y = T.sin(x);
      }
      return T.sum(y) * T.cast(k, 'float32');
    },
    inputs: () => [
      [v(1, 0.5), i32(3)],
      [v(1, 0.5), i32(1)],
    ],
  },
  {
    name: 'ternary_scalar_tensor_relu_chain',
    fn: (x: any) => {
      const a = x * 2 - 1;
      const b = a > 0 ? a : a * 0.1;
      const c = b * b - 0.5;
      return c > 0 ? c * x : -c;
    },
    inputs: () => [[f32(1.3)], [f32(0.2)], [f32(0.7)]],
  },
];
