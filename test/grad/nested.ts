/** Nested loops: tensor loops inside JS loops and inside each other, inner trip counts set by outer state. */
import * as tf from '@tensorflow/tfjs';
import type { GradCase, Tf } from './common.ts';

const T: Tf = { ...tf };
const v = (...xs: number[]) => tf.tensor1d(xs);
const m = (rows: number[][]) => tf.tensor2d(rows);

export const cases: GradCase[] = [
  {
    name: 'nested_js_for_tensor_while',
    fn: (x: any) => {
      let s = T.scalar(0);
      for (let i = 1; i <= 3; i++) {
        let y = x * i;
        while (T.sum(y) < 6) {
          y = y * 1.3;
        }
        s = s + T.sum(T.sqrt(y));
      }
      return s;
    },
    inputs: () => [[v(0.7, 0.4)]],
  },
  {
    name: 'nested_while_inner_count_from_outer_state',
    fn: (x: any) => {
      let y = x;
      let s = T.scalar(0);
      while (T.sum(y) < 10) {
        let z = y;
        while (T.max(z) < T.sum(y)) {
          z = z * 1.5;
        }
        s = s + T.sum(z) * 0.1;
        y = y * 1.6 + 0.2;
      }
      return s + T.sum(y);
    },
    inputs: () => [[v(0.55, 0.8)]],
  },
  {
    name: 'nested_for_of_rows_inner_while',
    fn: (M: any) => {
      let acc = T.zeros([2]);
      for (const r of M) {
        let y = r;
        while (T.sum(y) < 3) {
          y = y * 1.5;
        }
        acc = acc + y;
      }
      return T.sum(acc * acc);
    },
    inputs: () => [
      [
        m([
          [0.5, 0.3],
          [1.3, 0.3],
          [2, 1.2],
        ]),
      ],
    ],
  },
  {
    name: 'nested_for_of_for_of',
    fn: (X: any) => {
      let s = T.scalar(0);
      for (const M of X) {
        let h = T.zeros([2]);
        for (const r of M) {
          h = T.tanh(h * 0.5 + r);
        }
        s = s + T.sum(h * h);
      }
      return s;
    },
    inputs: () => [
      [
        tf.tensor3d([
          [
            [0.5, -0.2],
            [0.1, 0.4],
          ],
          [
            [-0.3, 0.9],
            [0.7, 0.05],
          ],
          [
            [0.2, 0.2],
            [-0.6, 0.3],
          ],
        ]),
      ],
    ],
  },
  {
    name: 'nested_int32_counters_triangular',
    fn: (x: any) => {
      let i = T.scalar(0, 'int32');
      let y = x;
      while (i < 4) {
        let j = T.scalar(0, 'int32');
        while (j < i) {
          y = y * 0.9 + T.sin(y) * 0.1;
          j = j + 1;
        }
        y = y + 0.05;
        i = i + 1;
      }
      return T.sum(y * y);
    },
    inputs: () => [[v(0.5, -1.2, 2)]],
  },
  {
    name: 'nested_power_iteration_with_inner_normalize',
    fn: (A: any) => {
      let x = T.ones([2, 1]);
      for (let k = 0; k < 4; k++) {
        let n = 0;
        while (n < 3) {
          x = T.matMul(A, x);
          n++;
        }
        x = x / T.norm(x);
      }
      return T.sum(T.matMul(T.transpose(x), T.matMul(A, x)));
    },
    inputs: () => [
      [
        m([
          [2, 0.5],
          [0.5, 1],
        ]),
      ],
    ],
  },
  {
    name: 'nested_if_in_inner_loop',
    fn: (x: any) => {
      let y = x;
      for (let i = 0; i < 3; i++) {
        let n = 0;
        while (n < 3) {
          if (T.sum(y) > 1) {
            y = y * 0.7;
          } else {
            y = y + 0.3;
          }
          n++;
        }
      }
      return T.sum(T.exp(y));
    },
    inputs: () => [[v(0.7, 0.6)], [v(0.1, 0.05)]],
  },
  {
    name: 'nested_three_levels',
    fn: (x: any) => {
      let y = x;
      for (let i = 0; i < 2; i++) {
        for (let j = 0; j < 2; j++) {
          while (T.sum(y) < 4 + i + j) {
            y = y * 1.3;
          }
          y = y * 0.5;
        }
      }
      return T.sum(y * y);
    },
    inputs: () => [[v(0.6, 0.7)]],
  },
  {
    name: 'nested_outer_state_carried_through_inner',
    fn: (x: any, w: any) => {
      let h = x;
      let total = T.scalar(0);
      while (T.sum(total) < 3) {
        let k = 0;
        while (k < 2) {
          h = T.tanh(h * w + 0.1);
          k++;
        }
        total = total + T.sum(h * h) + 0.5;
      }
      return total + T.sum(h);
    },
    wrt: [0, 1],
    inputs: () => [[v(0.5, -0.3), v(1.2, 0.8)]],
  },
  {
    name: 'nested_inner_break_outer_while',
    fn: (x: any) => {
      let y = x;
      let rounds = 0;
      while (T.sum(y) < 5 && rounds < 5) {
        for (let j = 0; j < 4; j++) {
          y = y + T.square(y) * 0.2;
          if (T.max(y) > 1.5 + rounds) {
            break;
          }
        }
        y = y + 0.3;
        rounds++;
      }
      return T.sum(y);
    },
    inputs: () => [[v(0.4, 0.6)]],
  },
];
