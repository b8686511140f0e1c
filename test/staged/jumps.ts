/** break, continue and return inside staged loops and conds (lowered to flags by the converter). */
import * as tf from '@tensorflow/tfjs-core';
import type { StagedCase, Tf } from './common.ts';

const T: Tf = { ...tf };
const v = (...xs: number[]) => tf.tensor1d(xs);
const f32 = (n: number) => tf.scalar(n);

export const cases: StagedCase[] = [
  {
    name: 'break_in_tensor_while',
    fn: (x: any) => {
      let n = 0;
      while (x > 0) {
        x = x - 1;
        n++;
        if (n >= 3) {
          break;
        }
      }
      return [x, n];
    },
    inputs: () => [[f32(10)], [f32(2)], [f32(0)]],
  },
  {
    name: 'continue_in_tensor_while',
    fn: (x: any) => {
      let s = T.scalar(0);
      while (x > 0) {
        x = x - 1;
        if (x % 2 == 0) {
          continue;
        }
        s = s + x;
      }
      return s;
    },
    inputs: () => [[f32(7)], [f32(0)]],
  },
  {
    name: 'continue_on_tensor_condition_js_loop',
    fn: (x: any) => {
      let acc = T.zerosLike(x);
      for (let i = 0; i < 5; i++) {
        x = x - 1;
        if (T.sum(x) < 0) {
          continue;
        }
        acc = acc + x;
      }
      return acc;
    },
    inputs: () => [[v(2, 3)], [v(10)]],
  },
  {
    name: 'break_in_do_while',
    fn: (x: any) => {
      let n = 0;
      do {
        x = x + 2;
        n++;
        if (x > 10) {
          break;
        }
      } while (n < 100);
      return [x, n];
    },
    inputs: () => [[f32(0)], [f32(20)]],
  },
  {
    name: 'break_from_inner_loop_only',
    fn: (x: any) => {
      let total = T.scalar(0);
      let i = 0;
      while (i < 4) {
        let y = x;
        while (y > 0) {
          total = total + 1;
          if (total > 6) {
            break;
          }
          y = y - 1;
        }
        i++;
      }
      return total;
    },
    inputs: () => [[f32(1)], [f32(5)]],
  },
  {
    name: 'early_return_before_loop',
    fn: (x: any) => {
      if (T.sum(x) < 0) {
        return x * 0;
      }
      while (T.sum(x) < 10) {
        x = x + 1;
      }
      return x;
    },
    inputs: () => [[v(-5)], [v(1, 2)]],
  },
  {
    name: 'early_return_in_tensor_loop',
    fn: (x: any) => {
      let y = x;
      while (y < 100) {
        if (y > 50) {
          return y;
        }
        y = y * 3;
      }
      return y + 1;
    },
    inputs: () => [[f32(1)], [f32(60)], [f32(200)]],
  },
  {
    name: 'return_in_both_branches',
    fn: (x: any) => {
      if (T.sum(x) > 0) {
        return x + 1;
      } else {
        return x - 1;
      }
    },
    inputs: () => [[v(1)], [v(-1)]],
  },
  {
    name: 'return_from_nested_ifs_all_paths',
    fn: (a: any, b: any) => {
      if (a > 0) {
        if (b > 0) {
          return a + b;
        }
        return a - b;
      } else if (b > 0) {
        return b - a;
      }
      return a * b;
    },
    inputs: () => [
      [f32(1), f32(2)],
      [f32(1), f32(-2)],
      [f32(-1), f32(2)],
      [f32(-1), f32(-2)],
    ],
  },
  {
    name: 'continue_in_for_tensor_test',
    fn: (x: any) => {
      let skipped = 0;
      let s = T.scalar(0);
      for (let i = 0; i < 8; i++) {
        if (x * i > 10) {
          skipped++;
          continue;
        }
        s = s + i;
      }
      return [s, skipped];
    },
    inputs: () => [[f32(2)], [f32(0)]],
  },
  {
    name: 'break_after_assignments',
    fn: (x: any) => {
      let last = x;
      while (T.sum(x) < 1000) {
        last = x;
        x = x * x + 1;
        if (T.max(x) > 100) {
          break;
        }
      }
      return [last, x];
    },
    inputs: () => [[v(1, 2)], [v(2000)]],
  },
  {
    name: 'switch_on_js_value_tensor_body',
    fn: (x: any, mode: number) => {
      let y = x;
      switch (mode) {
        case 0:
          y = T.sum(x) > 0 ? x : -x;
          break;
        case 1:
          if (T.max(x) > 1) {
            y = x / T.max(x);
          }
          break;
        default:
          y = x * 0;
      }
      return y;
    },
    inputs: () => [
      [v(-1, -2), 0],
      [v(1, 4), 1],
      [v(1, 4), 2],
    ],
  },
  {
    name: 'break_in_while_with_tensor_bound',
    fn: (n: any) => {
      let s = 0;
      let i = 0;
      while (i < n) {
        if (s > 10) {
          break;
        }
        s = s + i;
        i++;
      }
      return [s, i];
    },
    inputs: () => [[tf.scalar(20, 'int32')], [tf.scalar(3, 'int32')], [tf.scalar(0, 'int32')]],
  },
  {
    name: 'break_on_js_counter_in_tensor_while',
    fn: (x: any) => {
      let i = 0;
      while (T.sum(x) < 100) {
        if (i > 3) {
          break;
        }
        x = x * 2;
        i++;
      }
      return [x, i];
    },
    inputs: () => [[v(1, 1)], [v(30, 30)], [v(200)]],
  },
  {
    name: 'continue_in_for_with_tensor_bound',
    fn: (n: any) => {
      let s = 0;
      for (let i = 0; i < n; i++) {
        if (i % 2 == 1) {
          continue;
        }
        s = s + i;
      }
      return s;
    },
    inputs: () => [[tf.scalar(7, 'int32')], [tf.scalar(0, 'int32')]],
  },
];
