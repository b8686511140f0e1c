/**
 * Weights used inside loops: captured from module scope (constants of the graph; gradient wrt the
 * input) and passed as arguments and closed over by the loop body (gradient wrt the weight).
 */
import * as tf from '@tensorflow/tfjs';
import type { GradCase, Tf } from './common.ts';

const T: Tf = { ...tf };
const v = (...xs: number[]) => tf.tensor1d(xs);
const m = (rows: number[][]) => tf.tensor2d(rows);

const Wc: any = tf.tensor2d([
  [0.5, -0.2],
  [0.3, 0.8],
]);
const bc: any = tf.tensor1d([0.1, -0.1]);
const Wa = () =>
  m([
    [0.4, 0.1],
    [-0.2, 0.6],
  ]);

export const cases: GradCase[] = [
  {
    name: 'captured_weight_in_while_wrt_input',
    fn: (x: any) => {
      let h = x;
      let n = 0;
      while (T.sum(T.abs(h)) < 4 && n < 8) {
        h = T.matMul(h, Wc) + h + bc;
        n++;
      }
      return T.sum(h * h);
    },
    scope: { Wc, bc },
    inputs: () => [[m([[0.3, 0.2]])]],
  },
  {
    name: 'weight_argument_in_js_loop_wrt_weight',
    fn: (x: any, W: any) => {
      let h = x;
      for (let i = 0; i < 4; i++) {
        h = T.tanh(T.matMul(h, W) + 0.1);
      }
      return T.sum(h);
    },
    wrt: [1],
    inputs: () => [[m([[0.5, -0.4]]), Wa()]],
  },
  {
    name: 'weight_argument_in_tensor_while_wrt_both',
    fn: (x: any, W: any) => {
      let h = x;
      let n = 0;
      while (T.sum(h * h) < 2 && n < 30) {
        h = T.matMul(h, W) * 2 + h * 0.5 + 0.2;
        n++;
      }
      return T.sum(h * T.tensor2d([[1, -1]]));
    },
    wrt: [0, 1],
    inputs: () => [[m([[0.3, 0.2]]), Wa()]],
  },
  {
    name: 'weight_argument_in_branch_in_loop',
    fn: (x: any, w: any) => {
      let y = x;
      for (let i = 0; i < 4; i++) {
        if (T.sum(y * w) > 0) {
          y = y * w + 0.1;
        } else {
          y = y - w * 0.5;
        }
      }
      return T.sum(y * y);
    },
    wrt: [0, 1],
    inputs: () => [
      [v(1, 0.5), v(0.8, 0.9)],
      [v(-1, 0.5), v(0.8, 0.9)],
    ],
  },
  {
    name: 'captured_bias_argument_weight_rows',
    fn: (M: any, W: any) => {
      let h = T.zeros([1, 2]);
      for (const r of M) {
        h = T.sigmoid(T.matMul(h, W) + T.reshape(r, [1, 2]) + bc);
      }
      return T.sum(h * h);
    },
    scope: { bc },
    wrt: [0, 1],
    inputs: () => [
      [
        m([
          [0.5, -0.2],
          [0.1, 0.4],
          [-0.3, 0.9],
        ]),
        Wa(),
      ],
    ],
  },
  {
    name: 'weight_argument_in_nested_loops',
    fn: (x: any, w: any) => {
      let y = x;
      for (let i = 0; i < 3; i++) {
        let k = 0;
        while (T.sum(y) < 3 + i * 0.5 && k < 6) {
          y = y * w + 0.2;
          k++;
        }
        y = y * 0.6;
      }
      return T.sum(y);
    },
    wrt: [0, 1],
    inputs: () => [[v(0.5, 0.7), v(1.3, 1.1)]],
  },
  {
    name: 'weight_argument_in_condition_only_and_body',
    fn: (x: any, w: any) => {
      let y = x;
      let n = 0;
      while (T.sum(y) < T.sum(w) * 4 && n < 10) {
        y = y + w * w;
        n++;
      }
      return T.sum(T.log(y));
    },
    wrt: [0, 1],
    inputs: () => [[v(0.5, 0.3), v(0.55, 0.45)]],
  },
];
