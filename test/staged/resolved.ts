/** Cases that were pending (see PENDING.md history) and pass since the fixes they waited for. */
import * as tf from '@tensorflow/tfjs-core';
import type { StagedCase, Tf } from './common.ts';

const T: Tf = { ...tf };
const v = (...xs: number[]) => tf.tensor1d(xs);
const m = (rows: number[][]) => tf.tensor2d(rows);
const f32 = (n: number) => tf.scalar(n);
const i32 = (n: number) => tf.scalar(n, 'int32');
const ints = (...ns: number[]) => ns.map((n) => [i32(n)]);
const scale: any = tf.tensor1d([2, 0.5, -1]);

export const cases: StagedCase[] = [
  {
    name: 'closure_weight_used_in_both_branches',
    fn: (x: any) => {
      let y: any;
      if (x > 0) {
        y = scale * x;
      } else {
        y = scale / (x - 1);
      }
      return y;
    },
    scope: { scale },
    inputs: () => [[f32(2)], [f32(-2)]],
  },
  {
    name: 'closure_weight_eager_still_usable_after_trace',
    fn: (x: any) => {
      let y = x;
      if (T.sum(x) > 0) {
        y = x * scale;
      }
      return [y, scale];
    },
    scope: { scale },
    inputs: () => [[v(1, 1, 1)], [v(-1, -1, -1)]],
  },
  {
    name: 'break_on_tensor_condition_js_loop',
    fn: (x: any) => {
      let i = 0;
      while (i < 10) {
        if (T.sum(x) > 8) {
          break;
        }
        x = x + 1;
        i++;
      }
      return [x, i];
    },
    inputs: () => [[v(1, 1)], [v(9)], [v(-20, 0)]],
  },
  {
    name: 'break_and_continue_tensor_loop',
    fn: (x: any) => {
      let s = T.scalar(0);
      let i = 0;
      while (i < 20) {
        i++;
        if (x * i > 30) {
          break;
        }
        if (i % 3 == 0) {
          continue;
        }
        s = s + x * i;
      }
      return [s, i];
    },
    inputs: () => [[f32(2)], [f32(0.5)], [f32(100)]],
  },
  {
    name: 'break_in_for_infinite',
    fn: (x: any) => {
      let n = 0;
      for (;;) {
        n++;
        x = x * 2;
        if (T.max(x) > 50) break;
      }
      return [x, n];
    },
    inputs: () => [[v(1, 2)], [v(100)]],
  },
  {
    name: 'labeled_break_outer',
    fn: (x: any) => {
      let n = 0;
      outer: while (n < 10) {
        let j = 0;
        while (j < 3) {
          if (x * n * j > 8) {
            break outer;
          }
          j++;
        }
        n++;
      }
      return n;
    },
    inputs: () => [[f32(1)], [f32(0)], [f32(4)]],
  },
  {
    name: 'early_return_in_js_loop_tensor_cond',
    fn: (x: any) => {
      const r = x * 0;
      for (let i = 0; i < 3; i++) {
        if (T.sum(x) > 5) {
          return r + i;
        }
        x = x * 2;
      }
      return r - 1;
    },
    inputs: () => [[v(1, 1)], [v(10)], [v(0.1)]],
  },
  {
    name: 'early_return_value_defined_before_loop',
    fn: (x: any) => {
      const fallback = x * -1;
      let i = 0;
      while (i < 5) {
        if (T.sum(x) > 10) {
          return fallback;
        }
        x = x + 3;
        i++;
      }
      return x;
    },
    inputs: () => [[v(1, 1)], [v(-20)]],
  },
  {
    name: 'break_in_for_with_tensor_bound',
    fn: (n: any) => {
      let s = 0;
      for (let i = 0; i < n; i++) {
        if (s > 10) {
          break;
        }
        s = s + i;
      }
      return s;
    },
    inputs: () => [[tf.scalar(20, 'int32')], [tf.scalar(3, 'int32')]],
  },
  {
    name: 'or_of_reductions',
    fn: (x: any) => {
      let r = x;
      if (T.min(x) < -5 || T.max(x) > 5) {
        r = T.clipByValue(x, -5, 5);
      }
      return r;
    },
    inputs: () => [[v(1, 2)], [v(1, 20)], [v(-6, 1)]],
  },
  {
    name: 'for_infinite_with_tensor_break',
    fn: (x: any) => {
      for (;;) {
        if (T.sum(x) > 20) {
          break;
        }
        x = x * 2;
      }
      return x;
    },
    inputs: () => [[v(1, 1)], [v(30)]],
  },
  {
    name: 'concat_fixed_size_in_loop',
    fn: (x: any) => {
      let i = 0;
      while (T.sum(x) < 20 && i < 10) {
        x = T.slice(T.concat([x, x * 2]), [1], [3]);
        i++;
      }
      return [x, i];
    },
    inputs: () => [[v(1, 2, 3)], [v(10, 10, 10)]],
  },
  {
    name: 'stack_and_unstack_results',
    fn: (a: any, b: any) => {
      const s = T.stack([a, b]);
      return T.sum(a) > T.sum(b) ? s : T.reverse(s, 0);
    },
    inputs: () => [
      [v(5, 5), v(1, 1)],
      [v(1, 1), v(5, 5)],
    ],
  },
  {
    name: 'cumulative_sum_step_until',
    fn: (x: any) => {
      let n = 0;
      while (T.max(x) < 100 && n < 10) {
        x = T.cumsum(x);
        n++;
      }
      return [x, n];
    },
    inputs: () => [[v(1, 1, 1)], [v(200)]],
  },
  {
    name: 'loop_cf_break_in_single_while',
    fn: (n: any) => {
      let i = 0;
      while (i < 100) {
        if (i >= n) {
          break;
        }
        i = i + 1;
      }
      return i;
    },
    inputs: () => ints(0, 4),
  },
  {
    name: 'loop_cf_break_in_single_for',
    fn: (n: any) => {
      let s = 0;
      for (let i = 0; i < 10; i++) {
        if (s > n) {
          break;
        }
        s = s + i;
      }
      return s;
    },
    inputs: () => ints(-1, 4, 100),
  },
  {
    name: 'closure_weight_retrace_stale_capture',
    fn: (x: any, k: number) => {
      let y = x;
      if (T.sum(x) > 0) {
        y = x * scale * k;
      }
      return y;
    },
    scope: { scale },
    inputs: () => [
      [v(1, 1, 1), 1],
      [v(-1, -1, -1), 2],
    ],
  },
  // weak typing: a JS integer beside an int32 tensor is int32
  {
    name: 'while_int32_tensor_plus_number',
    fn: (n: any) => {
      let i = T.scalar(0, 'int32');
      while (i < n) {
        i = i + 1;
      }
      return i;
    },
    inputs: () => [[i32(0)], [i32(5)]],
  },
  {
    name: 'argmax_matrix_rows_then_cond',
    fn: (x: any) => {
      const idx = T.argMax(x, 1);
      return T.sum(idx) > 1 ? idx : idx * 0;
    },
    inputs: () => [
      [
        m([
          [1, 2],
          [3, 1],
        ]),
      ],
      [
        m([
          [1, 2],
          [1, 3],
        ]),
      ],
    ],
  },
];
