/**
 * while / do…while loops with tensor conditions: data-dependent trip counts, several carried
 * tensors, carried values that do not reach the loss, int32 counters beside float state.
 */
import * as tf from '@tensorflow/tfjs';
import type { GradCase, Tf } from './common.ts';

const T: Tf = { ...tf };
const v = (...xs: number[]) => tf.tensor1d(xs);
const col = (...xs: number[]) => tf.tensor2d(xs, [xs.length, 1]);
const m = (rows: number[][]) => tf.tensor2d(rows);

export const cases: GradCase[] = [
  {
    name: 'while_grow_until_norm',
    fn: (x: any) => {
      while (T.sum(x * x) < 10) {
        x = x * 1.5;
      }
      return T.sum(T.sin(x));
    },
    inputs: () => [[v(0.4, -0.6, 0.25)], [v(2, 1, 3)]],
  },
  {
    name: 'while_halve_js_counter_bound',
    fn: (x: any, n: number) => {
      let i = 0;
      while (T.sum(x) > 1 && i < n) {
        x = x * 0.5;
        i++;
      }
      return T.sum(x * x) + i;
    },
    inputs: () => [
      [v(1.3, 2.1), 10],
      [v(1.3, 2.1), 1],
    ],
  },
  {
    name: 'while_two_tensors_compared',
    fn: (a: any, b: any) => {
      while (T.sum(a) < T.sum(b)) {
        a = a + b * 0.3;
        b = b * 0.9;
      }
      return T.sum(a * b);
    },
    wrt: [0, 1],
    inputs: () => [
      [v(0.1, 0.2), v(1, 1.5)],
      [v(2, 2), v(1, 1)],
    ],
  },
  {
    name: 'while_int32_counter_scales_loss',
    fn: (x: any) => {
      let k = T.scalar(0, 'int32');
      while (T.max(x) < 5) {
        x = x * 1.3 + 0.1;
        k = k + 1;
      }
      return T.sum(x) * T.cast(k, 'float32');
    },
    inputs: () => [[v(1, 0.5, 1.4)], [v(2.2, 3.1)]],
  },
  {
    name: 'while_unused_carried_tensor',
    fn: (x: any) => {
      let y = x;
      let junk = T.zerosLike(x);
      let n = 0;
      while (T.sum(y) < 8) {
        y = y * 1.2 + 0.3;
        junk = junk + T.exp(y);
        n++;
      }
      return T.sum(T.square(y)) + n;
    },
    inputs: () => [[v(0.5, 1)], [v(3, 2.6)]],
  },
  {
    name: 'while_int32_counter_condition_float_state',
    fn: (x: any) => {
      let i = T.scalar(0, 'int32');
      let acc = T.scalar(0);
      while (i < 4) {
        acc = acc + T.sum(x) * T.cast(i, 'float32');
        x = T.tanh(x);
        i = i + 1;
      }
      return acc;
    },
    inputs: () => [[v(0.5, -1.2, 2)]],
  },
  {
    name: 'while_matvec_until_large',
    fn: (x: any, W: any) => {
      let h = x;
      let n = 0;
      while (T.sum(T.abs(h)) < 6 && n < 10) {
        h = T.matMul(W, h) + h;
        n++;
      }
      return T.sum(h * h);
    },
    wrt: [0, 1],
    inputs: () => [
      [
        col(0.5, 0.3),
        m([
          [0.2, 0.1],
          [-0.1, 0.3],
        ]),
      ],
    ],
  },
  {
    name: 'while_decay_below_threshold',
    fn: (x: any) => {
      while (T.max(T.abs(x)) > 0.3) {
        x = x * 0.7;
      }
      return T.sum(x * T.range(1, 4));
    },
    inputs: () => [[v(1, -2, 0.5)], [v(0.1, 0.2, -0.25)]],
  },
  {
    name: 'while_accumulated_loss',
    fn: (x: any, y: any) => {
      let loss = T.scalar(0);
      let p = x;
      while (T.sum(p) < T.sum(y)) {
        loss = loss + T.sum(T.square(p - y));
        p = p + 0.4;
      }
      return loss;
    },
    wrt: [0, 1],
    inputs: () => [[v(0, 0.3), v(1.1, 1.5)]],
  },
  {
    name: 'while_sigmoid_growth_mean',
    fn: (x: any) => {
      let y = x;
      let t = 0;
      while (T.mean(y) < 3) {
        y = y + T.sigmoid(y);
        t++;
      }
      return T.sum(T.log(y + 1)) + t * 0.1;
    },
    inputs: () => [[v(0.2, -0.3, 1.1)]],
  },
  {
    name: 'do_while_tensor_condition',
    fn: (x: any) => {
      do {
        x = x * 0.5 + 1;
      } while (T.sum(x) > 4.5);
      return T.sum(x * x);
    },
    inputs: () => [[v(10, 6)], [v(1, 1.2)]],
  },
  {
    name: 'while_interval_shrinks',
    fn: (x: any) => {
      let lo = T.min(x);
      let hi = T.max(x);
      while (hi - lo > 0.5) {
        const mid = (hi + lo) / 2;
        hi = mid + (hi - mid) * 0.5;
        lo = lo + (mid - lo) * 0.3;
      }
      return hi * lo;
    },
    inputs: () => [[v(0.3, 4.1, 2)]],
  },
  {
    name: 'while_all_below',
    fn: (x: any) => {
      while (T.all(T.less(x, 3))) {
        x = x * 1.25 + 0.05;
      }
      return T.sum(x);
    },
    inputs: () => [[v(1, 2)], [v(0.4, 0.9, 0.6)]],
  },
  {
    name: 'while_any_above',
    fn: (x: any) => {
      let n = T.scalar(0, 'int32');
      while (T.any(T.greater(x, 1))) {
        x = x * 0.6;
        n = n + 1;
      }
      return T.sum(T.exp(x)) + T.cast(n, 'float32');
    },
    inputs: () => [[v(2.5, 0.5)], [v(0.2, 0.7)]],
  },
];
