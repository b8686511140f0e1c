/**
 * Straight-line losses (no control flow): the harness's control group. Their gradients stage today,
 * so a failure here is the harness's, not the missing control-flow gradients'.
 */
import * as tf from '@tensorflow/tfjs';
import type { GradCase, Tf } from './common.ts';

const T: Tf = { ...tf };
const v = (...xs: number[]) => tf.tensor1d(xs);
const m = (rows: number[][]) => tf.tensor2d(rows);

export const cases: GradCase[] = [
  {
    name: 'straight_tanh_dot',
    fn: (x: any, w: any) => T.sum(T.tanh(x * w)) * 2,
    wrt: [0, 1],
    inputs: () => [
      [v(1, 2, -0.5), v(0.3, 0.1, 0.7)],
      [v(-1, 0.2, 0.9), v(0.5, -0.4, 0.2)],
    ],
  },
  {
    name: 'straight_quadratic_form',
    fn: (x: any, A: any) => T.sum(T.matMul(T.matMul(x, A), x, false, true)),
    wrt: [0, 1],
    inputs: () => [
      [
        m([[1, -0.5, 0.25]]),
        m([
          [2, 0.1, 0],
          [0.1, 1, 0.3],
          [0, 0.3, 1.5],
        ]),
      ],
    ],
  },
  {
    name: 'straight_softplus_mean',
    fn: (x: any) => T.mean(T.log(T.exp(x) + 1)),
    inputs: () => [[v(0.5, -1, 2, 0.1)]],
  },
  {
    name: 'straight_operators_scalar',
    fn: (x: any, y: any) => (x * x - 3 * x * y) / (1 + y * y) + x ** 3,
    wrt: [0, 1],
    scalar: true,
    inputs: () => [
      [1.5, -0.5],
      [-0.7, 2],
    ],
  },
  {
    name: 'straight_sigmoid_logloss',
    fn: (x: any, w: any, y: any) => {
      const p = T.sigmoid(T.sum(x * w));
      return -(y * T.log(p) + (1 - y) * T.log(1 - p));
    },
    wrt: [1],
    inputs: () => [[v(1, -2, 0.5), v(0.2, 0.1, -0.3), tf.scalar(1)]],
  },
];
