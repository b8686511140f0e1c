/** while, for(;;) and do…while loops with tensor conditions, JS counters, zero-trip loops. */
import * as tf from '@tensorflow/tfjs-core';
import type { StagedCase, Tf } from './common.ts';

const T: Tf = { ...tf };
const v = (...xs: number[]) => tf.tensor1d(xs);
const f32 = (n: number) => tf.scalar(n);
const i32 = (n: number) => tf.scalar(n, 'int32');

export const cases: StagedCase[] = [
  {
    name: 'while_halve_counter',
    fn: (x: any, n: number) => {
      let i = 0;
      while (T.sum(x) > 1 && i < n) {
        x = x * 0.5;
        i++;
      }
      return [x, i];
    },
    inputs: () => [
      [v(1, 1, 1, 1), 10],
      [v(1, 1, 1, 1), 2],
      [v(0.1, 0.1), 10],
    ],
  },
  {
    name: 'while_zero_iterations',
    fn: (x: any) => {
      let steps = 0;
      while (T.sum(x) > 100) {
        x = x - 1;
        steps += 1;
      }
      return [x, steps];
    },
    inputs: () => [[v(1, 2, 3)], [v(60, 50)]],
  },
  {
    name: 'while_scalar_double_until',
    fn: (x: any) => {
      while (x < 1000) {
        x = x * 2;
      }
      return x;
    },
    inputs: () => [[f32(1)], [f32(3)], [f32(5000)]],
  },
  {
    name: 'while_max_decay',
    fn: (x: any) => {
      let n = 0;
      while (T.max(T.abs(x)) > 0.01) {
        x = x * 0.7;
        n = n + 1;
      }
      return [x, n];
    },
    inputs: () => [[v(1, -2, 0.5)], [v(0.001)]],
  },
  {
    name: 'while_two_tensor_vars',
    fn: (a: any, b: any) => {
      while (T.sum(a) < T.sum(b)) {
        a = a + 1;
        b = b - 0.5;
      }
      return [a, b];
    },
    inputs: () => [
      [v(0, 0), v(5, 5)],
      [v(9, 9), v(1, 1)],
    ],
  },
  {
    name: 'while_js_counter_bound_first',
    fn: (x: any, n: number) => {
      let i = 0;
      while (i < n && T.sum(x) < 50) {
        x = x + i;
        i++;
      }
      return [x, i];
    },
    inputs: () => [
      [v(1, 2), 20],
      [v(1, 2), 0],
      [v(1, 2), 3],
    ],
  },
  {
    name: 'while_counter_after_loop_divided',
    fn: (x: any) => {
      let i = 0;
      while (T.sum(x) > 1) {
        x = x / 2;
        i++;
      }
      return i / 2;
    },
    inputs: () => [[v(3, 4)], [v(0.5)]],
  },
  {
    name: 'while_counter_used_in_body_float_math',
    fn: (x: any) => {
      let i = 0;
      let acc = T.zerosLike(x);
      while (i < 4 && T.sum(acc) < 100) {
        acc = acc + x * (i + 1);
        i++;
      }
      return acc;
    },
    inputs: () => [[v(1, 2)], [v(30, 30)]],
  },
  {
    name: 'while_accumulate_float_scalar',
    fn: (x: any) => {
      let total = T.scalar(0);
      while (x > 0) {
        total = total + x;
        x = x - 1;
      }
      return total;
    },
    inputs: () => [[f32(4)], [f32(0)], [f32(2.5)]],
  },
  {
    name: 'for_tensor_test',
    fn: (x: any) => {
      let i = 0;
      for (; T.sum(x) < 10; i++) {
        x = x + 1;
      }
      return [x, i];
    },
    inputs: () => [[v(1, 2)], [v(10, 10)]],
  },
  {
    name: 'for_let_counter_tensor_bound',
    fn: (n: any) => {
      let s = T.scalar(0);
      for (let i = 0; i < n; i++) {
        s = s + 1.5;
      }
      return s;
    },
    inputs: () => [[i32(0)], [i32(4)]],
  },
  {
    name: 'for_with_tensor_update',
    fn: (x: any) => {
      let n = 0;
      for (let y = x; y > 1; y = y / 3) {
        n++;
      }
      return n;
    },
    inputs: () => [[f32(100)], [f32(0.5)]],
  },
  {
    name: 'do_while_tensor_condition',
    fn: (x: any) => {
      let n = 0;
      do {
        x = x - 3;
        n++;
      } while (x > 0);
      return [x, n];
    },
    inputs: () => [[f32(10)], [f32(-5)], [f32(3)]],
  },
  {
    name: 'do_while_vector_sum',
    fn: (x: any) => {
      do {
        x = x * 1.5;
      } while (T.sum(x) < 10);
      return x;
    },
    inputs: () => [[v(1, 1)], [v(20, 20)]],
  },
  {
    name: 'while_nested_tensor_loops',
    fn: (x: any) => {
      let outer = 0;
      let inner = 0;
      while (x > 1) {
        let y = x;
        while (y > 1) {
          y = y - 1;
          inner++;
        }
        x = x / 2;
        outer++;
      }
      return [outer, inner];
    },
    inputs: () => [[f32(8)], [f32(1)]],
  },
  {
    name: 'while_with_if_inside',
    fn: (x: any) => {
      let i = 0;
      while (i < 6) {
        if (T.sum(x) > 5) {
          x = x - 2;
        } else {
          x = x + 3;
        }
        i++;
      }
      return x;
    },
    inputs: () => [[v(1, 1)], [v(10, 10)]],
  },
  {
    name: 'while_js_loop_tensor_body_condition_unrolled',
    fn: (x: any) => {
      let i = 0;
      while (i < 3) {
        x = T.sum(x) > 0 ? x - 1 : x + 1;
        i++;
      }
      return x;
    },
    inputs: () => [[v(0.5, 0.25)], [v(-3)]],
  },
  {
    name: 'while_condition_on_loop_carried_bool',
    fn: (x: any) => {
      let going = T.sum(x) > 0;
      while (going) {
        x = x - 1;
        going = T.sum(x) > 0;
      }
      return x;
    },
    inputs: () => [[v(2, 3)], [v(-1)]],
  },
  {
    name: 'while_shape_preserving_matrix',
    fn: (x: any) => {
      while (T.sum(x) < 100) {
        x = x * 2 + 1;
      }
      return x;
    },
    inputs: () => [
      [
        tf.tensor2d([
          [1, 2],
          [3, 4],
        ]),
      ],
      [
        tf.tensor2d([
          [100, 0],
          [0, 0],
        ]),
      ],
    ],
  },
  {
    name: 'while_int32_tensor_counter',
    fn: (n: any) => {
      let i = T.scalar(0, 'int32');
      let s = T.scalar(0, 'int32');
      while (i < n) {
        s = s + i;
        i = i + T.scalar(1, 'int32');
      }
      return [i, s];
    },
    inputs: () => [[i32(0)], [i32(5)]],
  },
  {
    name: 'while_many_loop_vars',
    fn: (x: any) => {
      let a = x;
      let b = x * 2;
      let c = x * 3;
      let k = 0;
      while (T.sum(a) < 30) {
        const t = a;
        a = b;
        b = c;
        c = t + b;
        k++;
      }
      return [a, b, c, k];
    },
    inputs: () => [[v(1, 1)], [v(20, 20)]],
  },
  {
    name: 'while_unused_counter_not_returned',
    fn: (x: any) => {
      let i = 0;
      while (T.sum(x) > 0.5) {
        x = x * 0.25;
        i = i + 1;
      }
      return x;
    },
    inputs: () => [[v(4, 4)], [v(0.1)]],
  },
  {
    name: 'while_in_nested_function',
    fn: (x: any) => {
      const grow = (t: any) => {
        while (T.sum(t) < 10) {
          t = t * 3;
        }
        return t;
      };
      return grow(x) + grow(x + 1);
    },
    inputs: () => [[v(1)], [v(20)]],
  },
  {
    name: 'while_condition_assign_outside_vars_only',
    fn: (x: any, y: any) => {
      while (T.sum(x) < 10) {
        x = x + y;
      }
      return [x, y];
    },
    inputs: () => [
      [v(1, 1), v(1, 2)],
      [v(11), v(1)],
    ],
  },
  {
    name: 'while_compound_assignment_ops',
    fn: (x: any) => {
      let n = 0;
      while (x > 0.1) {
        x *= 0.5;
        x -= 0.01;
        n += 2;
      }
      return [x, n];
    },
    inputs: () => [[f32(3)], [f32(0)]],
  },
];
