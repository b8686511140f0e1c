/**
 * Programs using features at the edge of what staging supports: for…of over a tensor, variables first
 * defined inside a staged loop, printing, JS numbers that change dtype in a staged loop.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { StagedCase, Tf } from './common.ts';

const T: Tf = { ...tf };
const v = (...xs: number[]) => tf.tensor1d(xs);
const m = (rows: number[][]) => tf.tensor2d(rows);
const f32 = (n: number) => tf.scalar(n);

export const cases: StagedCase[] = [
  {
    name: 'for_of_over_tensor_rows',
    fn: (x: any) => {
      let acc = T.zeros([2]);
      for (const row of x) {
        acc = acc + row;
      }
      return acc;
    },
    inputs: () => [
      [
        m([
          [1, 2],
          [3, 4],
          [5, 6],
        ]),
      ],
    ],
  },
  {
    name: 'for_of_over_tensor_rows_with_cond',
    fn: (x: any) => {
      let best = T.scalar(-1000);
      for (const row of x) {
        if (T.sum(row) > best) {
          best = T.sum(row);
        }
      }
      return best;
    },
    inputs: () => [
      [
        m([
          [1, 2],
          [3, 4],
          [0, 0],
        ]),
      ],
    ],
  },
  {
    name: 'variable_first_defined_in_staged_loop',
    fn: (x: any) => {
      let last: any;
      while (T.sum(x) < 10) {
        last = x;
        x = x + 1;
      }
      return [x, last];
    },
    inputs: () => [[v(1, 2)]],
  },
  {
    name: 'print_inside_staged_loop',
    fn: (x: any) => {
      while (T.sum(x) < 4) {
        console.log('x', x);
        x = x + 1;
      }
      return x;
    },
    inputs: () => [[v(1, 1)]],
  },
  {
    name: 'js_zero_accumulates_float_tensor',
    fn: (x: any) => {
      let acc = 0;
      while (x > 0) {
        acc = acc + x;
        x = x - 1;
      }
      return acc;
    },
    inputs: () => [[f32(3)], [f32(0)]],
  },
  {
    name: 'staged_call_of_another_staged_function',
    fn: (x: any) => {
      const inner = (t: any) => (T.sum(t) > 0 ? t : -t);
      let y = inner(x);
      while (T.sum(y) < 5) {
        y = inner(y + 1);
      }
      return y;
    },
    inputs: () => [[v(-1, -1)], [v(2, 2)]],
  },
  {
    name: 'try_finally_around_staged_loop',
    fn: (x: any) => {
      let n = 0;
      try {
        while (T.sum(x) > 1) {
          x = x / 2;
          n++;
        }
      } finally {
        n = n + 100;
      }
      return [x, n];
    },
    inputs: () => [[v(4, 4)]],
  },
];
