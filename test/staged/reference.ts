/**
 * Programs re-created from TensorFlow AutoGraph's reference tests (autograph/tests/reference:
 * cond_basic, loop_basic, loop_control_flow, early_return, nested_control_flow, logical_expression),
 * with the Python tensors as tfjs scalars or vectors.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { StagedCase, Tf } from './common.ts';

const T: Tf = { ...tf };
const i32 = (n: number) => tf.scalar(n, 'int32');
const f32 = (n: number) => tf.scalar(n);
const ints = (...ns: number[]) => ns.map((n) => [i32(n)]);
const floats = (...ns: number[]) => ns.map((n) => [f32(n)]);

export const cases: StagedCase[] = [
  // cond_basic
  {
    name: 'cond_basic_if_one_var',
    fn: (n: any) => {
      let i = 0;
      if (i < n) {
        i += 1;
      }
      return i;
    },
    inputs: () => ints(0, 1, 5, -2),
  },
  {
    name: 'cond_basic_if_else_one_var',
    fn: (n: any) => {
      let i: any;
      if (n > 0) {
        i = n;
      } else {
        i = -n;
      }
      return i;
    },
    inputs: () => ints(3, -3, 0),
  },
  {
    name: 'cond_basic_if_two_vars',
    fn: (n: any) => {
      let i = 0;
      let j = 1;
      if (i < n) {
        i += 1;
        j *= 10;
      }
      return [i, j];
    },
    inputs: () => ints(-1, 1),
  },
  {
    name: 'cond_basic_if_else_two_vars',
    fn: (n: any) => {
      let i: any;
      let j: any;
      if (n > 0) {
        i = 1;
        j = 2;
      } else {
        i = -1;
        j = -2;
      }
      return [i, j];
    },
    inputs: () => ints(4, -4),
  },
  {
    name: 'cond_basic_if_else_changes_one_var',
    fn: (n: any) => {
      let i = 0;
      let j = 1;
      if (n > 0) {
        i = n * 2;
      } else {
        j = n * 3;
      }
      return [i, j];
    },
    inputs: () => ints(2, -2),
  },
  {
    name: 'cond_basic_if_else_changes_both_vars',
    fn: (n: any) => {
      let i = n;
      let j = n;
      if (n > 0) {
        i = i * 2;
      } else {
        j = j * 3;
      }
      return [i, j];
    },
    inputs: () => floats(2.5, -2.5),
  },
  {
    name: 'cond_basic_nested_if',
    fn: (n: any) => {
      let i = 0;
      if (n > 0) {
        if (n < 2) {
          i = 1;
        } else {
          i = 2;
        }
      } else {
        i = 3;
      }
      return i;
    },
    inputs: () => ints(1, 5, -1),
  },
  {
    name: 'cond_basic_if_no_else_reassign_param',
    fn: (x: any) => {
      if (x < 0) {
        x = -x;
      }
      return x;
    },
    inputs: () => floats(-3.5, 3.5, 0),
  },
  // loop_basic
  {
    name: 'loop_basic_while_one_var',
    fn: (n: any) => {
      let i = 0;
      while (i < n) {
        i = i + 1;
      }
      return i;
    },
    inputs: () => ints(0, 3, 7),
  },
  {
    name: 'loop_basic_while_two_vars',
    fn: (n: any) => {
      let s = 0;
      let i = 0;
      while (i < n) {
        s = s + i;
        i = i + 1;
      }
      return [s, i];
    },
    inputs: () => ints(0, 4, 10),
  },
  {
    name: 'loop_basic_while_float_accumulator',
    fn: (n: any) => {
      let s = T.scalar(0);
      let i = 0;
      while (i < n) {
        s = s + 0.5;
        i++;
      }
      return s;
    },
    inputs: () => ints(0, 3),
  },
  {
    name: 'loop_basic_for_one_var',
    fn: (n: any) => {
      let s = 0;
      for (let i = 0; i < n; i++) {
        s = s + i;
      }
      return s;
    },
    inputs: () => ints(0, 5),
  },
  {
    name: 'loop_basic_for_two_vars',
    fn: (n: any) => {
      let s1 = 0;
      let s2 = 1;
      for (let i = 0; i < n; i++) {
        s1 = s1 + i;
        s2 = s2 * 2;
      }
      return [s1, s2];
    },
    inputs: () => ints(0, 6),
  },
  {
    name: 'loop_basic_do_while',
    fn: (n: any) => {
      let i = 0;
      do {
        i = i + 2;
      } while (i < n);
      return i;
    },
    inputs: () => ints(0, 5, 10),
  },
  {
    name: 'loop_basic_while_tensor_vector',
    fn: (x: any, n: any) => {
      let i = 0;
      while (i < n) {
        x = x + x;
        i += 1;
      }
      return x;
    },
    inputs: () => [
      [tf.tensor1d([1, 2, 3]), i32(3)],
      [tf.tensor1d([1, 2, 3]), i32(0)],
    ],
  },
  // loop_control_flow
  {
    name: 'loop_cf_continue_in_single_while',
    fn: (n: any) => {
      let i = 0;
      let s = 0;
      while (i < n) {
        i = i + 1;
        if (i % 3 == 0) {
          continue;
        }
        s = s + i;
      }
      return s;
    },
    inputs: () => ints(0, 5, 9),
  },
  {
    name: 'loop_cf_continue_in_single_for',
    fn: (n: any) => {
      let s = 0;
      for (let i = 0; i < n; i++) {
        if (i % 2 == 0) {
          continue;
        }
        s = s + i;
      }
      return s;
    },
    inputs: () => ints(0, 7),
  },
  {
    name: 'loop_cf_break_and_continue',
    fn: (n: any) => {
      let i = 0;
      let s = 0;
      while (i < n) {
        i = i + 1;
        if (i == 2) {
          continue;
        }
        if (i > 6) {
          break;
        }
        s = s + i;
      }
      return [i, s];
    },
    inputs: () => ints(0, 4, 10),
  },
  {
    name: 'loop_cf_break_in_nested_loop',
    fn: (n: any) => {
      let i = 0;
      let total = 0;
      while (i < n) {
        let j = 0;
        while (j < n) {
          if (j > i) {
            break;
          }
          total = total + 1;
          j = j + 1;
        }
        i = i + 1;
      }
      return total;
    },
    inputs: () => ints(0, 3, 5),
  },
  // early_return
  {
    name: 'early_return_with_default',
    fn: (x: any) => {
      if (x > 0) {
        return x;
      }
      return x * 0;
    },
    inputs: () => floats(2, -2),
  },
  {
    name: 'early_return_dependent_on_local',
    fn: (x: any) => {
      const y = x * 2;
      if (y > 3) {
        return y;
      }
      const z = y + 10;
      return z;
    },
    inputs: () => floats(1, 4),
  },
  {
    name: 'early_return_in_nested_if',
    fn: (x: any) => {
      if (x > 0) {
        if (x > 10) {
          return x - 10;
        }
        return x + 1;
      }
      return -x;
    },
    inputs: () => floats(20, 5, -5),
  },
  {
    name: 'early_return_else_returns',
    fn: (x: any) => {
      if (x > 0) {
        x = x * 3;
      } else {
        return x - 1;
      }
      return x + 1;
    },
    inputs: () => floats(2, -2),
  },
  // nested_control_flow
  {
    name: 'nested_cf_independent_ifs',
    fn: (x: any, y: any) => {
      let a = 0;
      let b = 0;
      if (x > 0) {
        a = 1;
      }
      if (y > 0) {
        b = 2;
      }
      return [a, b];
    },
    inputs: () => [
      [f32(1), f32(1)],
      [f32(-1), f32(1)],
      [f32(1), f32(-1)],
    ],
  },
  {
    name: 'nested_cf_dependent_inner_if',
    fn: (x: any) => {
      let y = 0;
      if (x > 0) {
        y = 1;
        if (x > 5) {
          y = 2;
        }
      }
      return y;
    },
    inputs: () => floats(-1, 3, 8),
  },
  {
    name: 'nested_cf_if_in_while',
    fn: (n: any) => {
      let i = 0;
      let evens = 0;
      let odds = 0;
      while (i < n) {
        if (i % 2 == 0) {
          evens = evens + 1;
        } else {
          odds = odds + 1;
        }
        i = i + 1;
      }
      return [evens, odds];
    },
    inputs: () => ints(0, 5),
  },
  {
    name: 'nested_cf_while_in_if',
    fn: (n: any) => {
      let i = 0;
      if (n > 2) {
        while (i < n) {
          i = i + 2;
        }
      } else {
        i = -1;
      }
      return i;
    },
    inputs: () => ints(1, 5, 8),
  },
  {
    name: 'nested_cf_while_in_while',
    fn: (n: any) => {
      let i = 0;
      let s = 0;
      while (i < n) {
        let j = 0;
        while (j < i) {
          s = s + j;
          j = j + 1;
        }
        i = i + 1;
      }
      return s;
    },
    inputs: () => ints(0, 4, 6),
  },
  // logical_expression
  {
    name: 'logical_and_scalars',
    fn: (a: any, b: any) => {
      let r = 0;
      if (a > 0 && b > 0) {
        r = 1;
      }
      return r;
    },
    inputs: () => [
      [f32(1), f32(1)],
      [f32(1), f32(-1)],
      [f32(-1), f32(1)],
    ],
  },
  {
    name: 'logical_or_scalars',
    fn: (a: any, b: any) => {
      let r = 0;
      if (a > 0 || b > 0) {
        r = 1;
      }
      return r;
    },
    inputs: () => [
      [f32(-1), f32(-1)],
      [f32(1), f32(-1)],
      [f32(-1), f32(1)],
    ],
  },
  {
    name: 'logical_not_scalar',
    fn: (a: any) => {
      let r = 0;
      if (!(a > 0)) {
        r = 1;
      }
      return r;
    },
    inputs: () => floats(1, -1),
  },
  {
    name: 'logical_expression_value',
    fn: (a: any, b: any) => (a > 0 && b > 0) || a < -5,
    inputs: () => [
      [f32(1), f32(1)],
      [f32(1), f32(-1)],
      [f32(-6), f32(-1)],
    ],
  },
];
