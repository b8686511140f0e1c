/** Iterations to convergence: fixed points, Newton, bisection, gradient descent, power iteration. */
import * as tf from '@tensorflow/tfjs-core';
import type { StagedCase, Tf } from './common.ts';

const T: Tf = { ...tf };
const v = (...xs: number[]) => tf.tensor1d(xs);
const f32 = (n: number) => tf.scalar(n);

const W: any = tf.tensor2d([
  [0.2, -0.1, 0.3],
  [0.1, 0.4, -0.2],
  [-0.3, 0.2, 0.1],
]);
const w: any = tf.tensor1d([0.5, -0.3, 0.7]);
const b: any = tf.tensor1d([0.1, 0.2, -0.1]);
const A: any = tf.tensor2d([
  [2, 1],
  [1, 3],
]);

export const cases: StagedCase[] = [
  {
    name: 'fixed_point_tanh_elementwise',
    fn: (x: any, eps: number) => {
      let change = T.scalar(1);
      let steps = 0;
      while (change > eps && steps < 100) {
        const next = T.tanh(w * x + b);
        change = T.max(T.abs(next - x));
        x = next;
        steps++;
      }
      return [x, steps];
    },
    scope: { w, b },
    inputs: () => [
      [v(1, 1, 1), 1e-4],
      [v(-2, 0, 3), 1e-2],
    ],
  },
  {
    name: 'fixed_point_tanh_matvec',
    fn: (x: any) => {
      let delta = T.scalar(1);
      let n = 0;
      while (delta > 1e-5 && n < 200) {
        const next = T.tanh(T.add(T.matMul(W, x), T.reshape(b, [3, 1])));
        delta = T.max(T.abs(T.sub(next, x)));
        x = next;
        n++;
      }
      return [x, n];
    },
    scope: { W, b },
    inputs: () => [[tf.tensor2d([[1], [0], [-1]])], [tf.tensor2d([[0.1], [0.2], [-0.1]])]],
  },
  {
    name: 'fixed_point_cos',
    fn: (x: any) => {
      let prev = x + 1;
      while (T.abs(x - prev) > 1e-6) {
        prev = x;
        x = T.cos(x);
      }
      return x;
    },
    inputs: () => [[f32(0)], [f32(1)]],
  },
  {
    name: 'newton_sqrt_scalar',
    fn: (a: any) => {
      let x = a;
      let i = 0;
      while (T.abs(x * x - a) > 1e-4 * a && i < 50) {
        x = 0.5 * (x + a / x);
        i++;
      }
      return x;
    },
    inputs: () => [[f32(2)], [f32(100)], [f32(1)]],
  },
  {
    name: 'newton_sqrt_vector_until_all_converge',
    fn: (a: any) => {
      let x = T.onesLike(a);
      while (T.max(T.abs(x * x - a)) > 1e-3) {
        x = (x + a / x) * 0.5;
      }
      return x;
    },
    inputs: () => [[v(2, 9, 16)], [v(1)]],
  },
  {
    name: 'bisection_root_of_cubic',
    fn: (lo: any, hi: any) => {
      let it = 0;
      while (hi - lo > 1e-4 && it < 60) {
        const mid = (lo + hi) / 2;
        const f = mid * mid * mid - 2;
        if (f > 0) {
          hi = mid;
        } else {
          lo = mid;
        }
        it++;
      }
      return [lo, hi, it];
    },
    inputs: () => [
      [f32(0), f32(2)],
      [f32(1), f32(1.5)],
    ],
  },
  {
    name: 'gradient_descent_quadratic',
    fn: (x: any, lr: number) => {
      let steps = 0;
      let grad = 2 * (x - 3);
      while (T.max(T.abs(grad)) > 1e-3 && steps < 500) {
        x = x - lr * grad;
        grad = 2 * (x - 3);
        steps++;
      }
      return [x, steps];
    },
    inputs: () => [
      [v(0, 10), 0.1],
      [v(3), 0.1],
    ],
  },
  {
    name: 'power_iteration_dominant_eigenvalue',
    fn: (x: any) => {
      let lambda = T.scalar(0);
      let prev = T.scalar(-1);
      let n = 0;
      while (T.abs(lambda - prev) > 1e-6 && n < 100) {
        prev = lambda;
        const y = T.matMul(A, x);
        lambda = T.norm(y);
        x = T.div(y, lambda);
        n++;
      }
      return [lambda, x];
    },
    scope: { A },
    inputs: () => [[tf.tensor2d([[1], [0]])], [tf.tensor2d([[1], [1]])]],
  },
  {
    name: 'halley_cube_root',
    fn: (a: any) => {
      let x = a > 1 ? a / 3 : a + 0;
      let err = T.abs(x * x * x - a);
      while (err > 1e-4) {
        const x3 = x * x * x;
        x = (x * (x3 + 2 * a)) / (2 * x3 + a);
        err = T.abs(x * x * x - a);
      }
      return x;
    },
    inputs: () => [[f32(27)], [f32(0.5)], [f32(1000)]],
  },
  {
    name: 'fixed_point_logistic_map_until_stable',
    fn: (x: any, r: number) => {
      let diff = T.scalar(1);
      let k = 0;
      while (diff > 1e-6 && k < 1000) {
        const next = r * x * (1 - x);
        diff = T.abs(next - x);
        x = next;
        k++;
      }
      return [x, k];
    },
    inputs: () => [
      [f32(0.2), 2.5],
      [f32(0.9), 1.5],
    ],
  },
];
