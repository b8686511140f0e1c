/** Newton and fixed-point iterations, unrolled gradient descent, power and Jacobi iterations. */
import * as tf from '@tensorflow/tfjs';
import type { GradCase, Tf } from './common.ts';

const T: Tf = { ...tf };
const v = (...xs: number[]) => tf.tensor1d(xs);
const m = (rows: number[][]) => tf.tensor2d(rows);

const W: any = tf.tensor2d([
  [0.2, -0.1, 0.3],
  [0.1, 0.4, -0.2],
  [-0.3, 0.2, 0.1],
]);

export const cases: GradCase[] = [
  {
    name: 'newton_sqrt_vector_fixed_steps',
    fn: (a: any) => {
      let y = a;
      for (let i = 0; i < 6; i++) {
        y = (y + a / y) * 0.5;
      }
      return T.sum(y);
    },
    inputs: () => [[v(2, 0.5, 9)]],
  },
  {
    name: 'newton_sqrt_vector_tolerance',
    fn: (a: any) => {
      let y = a + 1;
      let n = 0;
      while (T.max(T.abs(y * y - a)) > 1e-3 && n < 50) {
        y = (y + a / y) * 0.5;
        n++;
      }
      return T.sum(y * T.range(1, 4));
    },
    inputs: () => [[v(2, 0.5, 9)]],
  },
  {
    name: 'newton_solve_cubic_equation',
    fn: (x: any) => {
      let y = x;
      for (let i = 0; i < 8; i++) {
        y = y - (y + 0.2 * y * y * y - x) / (1 + 0.6 * y * y);
      }
      return T.sum(y * y);
    },
    inputs: () => [[v(1, -2, 0.5)]],
  },
  {
    name: 'fixed_point_tanh_matvec_until_converged',
    fn: (b: any) => {
      let x = T.zeros([3, 1]);
      let delta = T.scalar(1);
      let n = 0;
      while (delta > 1e-5 && n < 200) {
        const next = T.tanh(T.matMul(W, x) + b);
        delta = T.max(T.abs(next - x));
        x = next;
        n++;
      }
      return T.sum(x);
    },
    scope: { W },
    inputs: () => [[tf.tensor2d([[0.5], [-0.2], [0.3]])]],
  },
  {
    name: 'unrolled_gradient_descent_meta',
    fn: (x0: any, target: any) => {
      let x = x0;
      for (let i = 0; i < 10; i++) {
        const g = (x - target) * 2 + T.sin(x) * 0.5;
        x = x - g * 0.2;
      }
      return T.sum(T.square(x - target)) + T.sum(x);
    },
    wrt: [0, 1],
    inputs: () => [[v(1, -1), v(0.3, 0.8)]],
  },
  {
    name: 'power_iteration_rayleigh',
    fn: (A: any) => {
      let x = T.tensor2d([[1], [0.5]]);
      for (let i = 0; i < 12; i++) {
        const y = T.matMul(A, x);
        x = y / T.norm(y);
      }
      return T.sum(T.matMul(T.transpose(x), T.matMul(A, x)));
    },
    inputs: () => [
      [
        m([
          [3, 1],
          [1, 1.5],
        ]),
      ],
    ],
  },
  {
    name: 'fixed_point_cos_until_stable',
    fn: (x: any) => {
      let y = x;
      let prev = y + 1;
      let n = 0;
      while (T.max(T.abs(y - prev)) > 1e-6 && n < 100) {
        n++;
        prev = y;
        y = T.cos(y) * 0.8 + x * 0.1;
      }
      return T.sum(y);
    },
    inputs: () => [[v(0.5, 1.2)]],
  },
  {
    name: 'jacobi_linear_solve',
    fn: (A: any, b: any) => {
      const D = A * T.eye(2);
      const d = T.sum(D, 1);
      const R = A - D;
      let x = T.zerosLike(b);
      for (let i = 0; i < 15; i++) {
        x = (b - T.squeeze(T.matMul(R, T.expandDims(x, 1)), [1])) / d;
      }
      return T.sum(x * T.tensor1d([1, 2]));
    },
    wrt: [0, 1],
    inputs: () => [
      [
        m([
          [4, 1],
          [0.5, 3],
        ]),
        v(1, 2),
      ],
    ],
  },
];
