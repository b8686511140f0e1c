/** if/else and ?: on tensor conditions: reductions, scalar comparisons, nesting, both branches traced. */
import * as tf from '@tensorflow/tfjs-core';
import type { StagedCase, Tf } from './common.ts';

const T: Tf = { ...tf };
const v = (...xs: number[]) => tf.tensor1d(xs);
const m = (rows: number[][]) => tf.tensor2d(rows);
const f32 = (n: number) => tf.scalar(n);
const vecs = (...rows: number[][]) => rows.map((r) => [v(...r)]);

export const cases: StagedCase[] = [
  {
    name: 'if_sum_positive',
    fn: (x: any) => {
      let y: any;
      if (T.sum(x) > 0) {
        y = x * 2;
      } else {
        y = -x;
      }
      return y;
    },
    inputs: () => vecs([1, 2, 3], [-1, -2, 1]),
  },
  {
    name: 'if_max_threshold',
    fn: (x: any) => {
      if (T.max(x) > 3) {
        x = x - T.max(x);
      }
      return x;
    },
    inputs: () => vecs([1, 5, 2], [1, 2, 3]),
  },
  {
    name: 'if_min_negative',
    fn: (x: any) => {
      let y = x;
      if (T.min(x) < 0) {
        y = x - T.min(x);
      }
      return y;
    },
    inputs: () => vecs([1, -5, 2], [1, 2, 3]),
  },
  {
    name: 'if_mean_vs_scalar_param',
    fn: (x: any, t: any) => {
      let r: any;
      if (T.mean(x) > t) {
        r = T.scalar(1);
      } else {
        r = T.scalar(-1);
      }
      return r;
    },
    inputs: () => [
      [v(1, 2, 3), f32(1)],
      [v(1, 2, 3), f32(3)],
    ],
  },
  {
    name: 'if_scalar_param_compare',
    fn: (a: any, b: any) => {
      let r: any;
      if (a > b) {
        r = a - b;
      } else {
        r = b - a;
      }
      return r;
    },
    inputs: () => [
      [f32(5), f32(2)],
      [f32(2), f32(5)],
    ],
  },
  {
    name: 'if_without_else_two_outputs',
    fn: (x: any) => {
      let a = x;
      let b = x * 0;
      if (T.sum(x) > 2) {
        a = a + 1;
        b = b - 1;
      }
      return [a, b];
    },
    inputs: () => vecs([1, 1, 1], [0, 0, 1]),
  },
  {
    name: 'if_else_if_chain',
    fn: (x: any) => {
      const s = T.sum(x);
      let r: any;
      if (s > 10) {
        r = x * 3;
      } else if (s > 0) {
        r = x * 2;
      } else if (s > -10) {
        r = x;
      } else {
        r = x * 0;
      }
      return r;
    },
    inputs: () => vecs([5, 6, 7], [1, 1, 1], [-1, -2, -3], [-10, -20, 0]),
  },
  {
    name: 'nested_if_else_chain',
    fn: (x: any) => {
      let r = x;
      if (T.sum(x) > 0) {
        if (T.max(x) > 4) {
          r = r * 10;
        } else {
          r = r + 10;
        }
      } else {
        if (T.min(x) < -4) {
          r = r / 10;
        } else {
          r = r - 10;
        }
      }
      return r;
    },
    inputs: () => vecs([1, 5], [1, 2], [-1, -5], [-1, -2]),
  },
  {
    name: 'nested_if_three_deep',
    fn: (a: any, b: any, c: any) => {
      let r = 0;
      if (a > 0) {
        if (b > 0) {
          if (c > 0) {
            r = 7;
          } else {
            r = 6;
          }
        } else {
          r = 4;
        }
      }
      return r;
    },
    inputs: () => [
      [f32(1), f32(1), f32(1)],
      [f32(1), f32(1), f32(-1)],
      [f32(1), f32(-1), f32(1)],
      [f32(-1), f32(1), f32(1)],
    ],
  },
  {
    name: 'ternary_on_sum',
    fn: (x: any) => (T.sum(x) > 0 ? x + 1 : x - 1),
    inputs: () => vecs([1, 2], [-3, 1]),
  },
  {
    name: 'ternary_nested',
    fn: (x: any) => (x > 10 ? x * 2 : x > 0 ? x + 100 : -x),
    inputs: () => [[f32(20)], [f32(5)], [f32(-5)]],
  },
  {
    name: 'ternary_in_assignment_chain',
    fn: (x: any) => {
      const s = T.sum(x);
      const a = s > 0 ? s : -s;
      const b = a > 5 ? T.scalar(1) : T.scalar(0);
      return [a, b];
    },
    inputs: () => vecs([3, 4], [-1, -1], [1, 2]),
  },
  {
    name: 'ternary_numbers_same_dtype',
    fn: (x: any) => (T.sum(x) > 0 ? 1 : -1),
    inputs: () => vecs([1], [-1]),
  },
  {
    name: 'if_assigns_js_number_both_branches',
    fn: (x: any) => {
      let k: any;
      if (T.max(x) > 2) {
        k = 2.5;
      } else {
        k = 0.5;
      }
      return x * k;
    },
    inputs: () => vecs([1, 3], [1, 1]),
  },
  {
    name: 'if_same_js_value_both_branches_stays_js',
    fn: (x: any) => {
      let k = 3;
      let y = x;
      if (T.sum(x) > 0) {
        k = 4;
        y = y + 1;
      } else {
        k = 4;
        y = y - 1;
      }
      return [y, k];
    },
    inputs: () => vecs([1], [-1]),
  },
  {
    name: 'if_matrix_condition_on_sum',
    fn: (x: any) => {
      if (T.sum(x) > 0) {
        x = T.transpose(x);
      } else {
        x = T.neg(T.transpose(x));
      }
      return x;
    },
    inputs: () => [
      [
        m([
          [1, 2],
          [3, 4],
        ]),
      ],
      [
        m([
          [-1, -2],
          [-3, 4],
        ]),
      ],
    ],
  },
  {
    name: 'if_bool_tensor_param',
    fn: (flag: any, x: any) => {
      let y = x;
      if (flag) {
        y = x * 2;
      }
      return y;
    },
    inputs: () => [
      [tf.scalar(true, 'bool'), v(1, 2)],
      [tf.scalar(false, 'bool'), v(1, 2)],
    ],
  },
  {
    name: 'if_numeric_scalar_truthiness',
    fn: (c: any, x: any) => {
      let y = x;
      if (c) {
        y = y + 1;
      } else {
        y = y - 1;
      }
      return y;
    },
    inputs: () => [
      [f32(0), v(1)],
      [f32(2), v(1)],
      [tf.scalar(0, 'int32'), v(1)],
      [tf.scalar(-3, 'int32'), v(1)],
    ],
  },
  {
    name: 'if_sequential_dependent',
    fn: (x: any) => {
      if (T.sum(x) > 0) {
        x = x - 5;
      }
      if (T.sum(x) > 0) {
        x = x - 5;
      }
      return x;
    },
    inputs: () => vecs([20], [7], [-1]),
  },
  {
    name: 'if_with_local_consts_in_branches',
    fn: (x: any) => {
      let out: any;
      if (T.sum(x) > 0) {
        const a = x * 2;
        const b = a + 1;
        out = b * b;
      } else {
        const c = x - 1;
        out = c * c;
      }
      return out;
    },
    inputs: () => vecs([1, 2], [-1, -2]),
  },
  {
    name: 'if_js_param_and_tensor_condition',
    fn: (x: any, mode: number) => {
      let y = x;
      if (mode > 0) {
        if (T.sum(x) > 0) {
          y = y * mode;
        }
      } else {
        y = y + mode;
      }
      return y;
    },
    inputs: () => [
      [v(1, 2), 3],
      [v(-1, -2), 3],
      [v(1, 2), -1],
    ],
  },
  {
    name: 'if_equality_of_scalars',
    fn: (a: any, b: any) => {
      let r = a;
      if (a == b) {
        r = a * 100;
      }
      return r;
    },
    inputs: () => [
      [f32(2), f32(2)],
      [f32(2), f32(3)],
    ],
  },
  {
    name: 'if_strict_inequality_of_scalars',
    fn: (a: any, b: any) => {
      let r = a;
      if (a !== b) {
        r = a - b;
      }
      return r;
    },
    inputs: () => [
      [f32(2), f32(2)],
      [f32(2), f32(3)],
    ],
  },
  {
    name: 'if_returns_object',
    fn: (x: any) => {
      let lo = x;
      let hi = x;
      if (T.sum(x) > 0) {
        hi = x * 2;
      } else {
        lo = x * 2;
      }
      return { lo, hi };
    },
    inputs: () => vecs([1, 2], [-1, -2]),
  },
  {
    name: 'if_condition_from_argmax',
    fn: (x: any) => {
      let r = x;
      if (T.argMax(x) > 1) {
        r = x * -1;
      }
      return r;
    },
    inputs: () => vecs([1, 2, 3], [3, 2, 1]),
  },
  {
    name: 'if_in_nested_function',
    fn: (x: any) => {
      const clip = (t: any) => {
        if (T.max(t) > 1) {
          return t / T.max(t);
        }
        return t;
      };
      return clip(x) + clip(x * 3);
    },
    inputs: () => vecs([0.1, 0.2], [1, 2]),
  },
  {
    name: 'if_float_vs_int_scalar',
    fn: (x: any, n: any) => {
      let y = x;
      if (T.sum(x) > n) {
        y = y * 2;
      }
      return y;
    },
    inputs: () => [
      [v(1, 2), tf.scalar(2, 'int32')],
      [v(1, 2), tf.scalar(5, 'int32')],
    ],
  },
  {
    name: 'if_int_tensor_branches',
    fn: (x: any) => {
      let y: any;
      if (T.sum(x) > 0) {
        y = x * 2;
      } else {
        y = x * -1;
      }
      return y;
    },
    inputs: () => [[tf.tensor1d([1, 2], 'int32')], [tf.tensor1d([-1, -2], 'int32')]],
  },
];
