/** break, continue and early return inside loops with tensor conditions. */
import * as tf from '@tensorflow/tfjs';
import type { GradCase, Tf } from './common.ts';

const T: Tf = { ...tf };
const v = (...xs: number[]) => tf.tensor1d(xs);
const m = (rows: number[][]) => tf.tensor2d(rows);

export const cases: GradCase[] = [
  {
    name: 'while_break_on_max',
    fn: (x: any) => {
      while (T.sum(x) < 100) {
        x = x * 1.5;
        if (T.max(x) > 4) {
          break;
        }
      }
      return T.sum(x * x);
    },
    inputs: () => [[v(0.5, 1.1)], [v(5, 1)]],
  },
  {
    name: 'while_continue_skips_accumulation',
    fn: (x: any) => {
      let acc = T.scalar(0);
      let i = 0;
      while (i < 6) {
        i++;
        x = x * 0.9 + 0.2;
        if (T.sum(x) < 1.5) {
          continue;
        }
        acc = acc + T.sum(x * x);
      }
      return acc;
    },
    inputs: () => [[v(0.3, 0.2)], [v(2, 1)]],
  },
  {
    name: 'for_return_early_with_counter',
    fn: (x: any) => {
      for (let i = 0; i < 10; i++) {
        x = T.tanh(x * 1.5) + 0.1;
        if (T.sum(x) > 2.1) {
          return T.sum(x) * i;
        }
      }
      return T.sum(x);
    },
    inputs: () => [[v(0.3, 0.5, 0.2)], [v(-1, -1, 0.5)]],
  },
  {
    name: 'while_return_early',
    fn: (x: any) => {
      let y = x;
      while (T.sum(y) > 0.2) {
        y = y * 0.6;
        if (T.max(y) < 0.5) {
          return T.sum(T.exp(y));
        }
      }
      return T.sum(y) * 10;
    },
    inputs: () => [[v(2, 1)], [v(0.1, 0.05)], [v(0.7, -0.6)]],
  },
  {
    name: 'for_of_return_first_large_row',
    fn: (M: any, w: any) => {
      for (const r of M) {
        if (T.sum(r) > 2) {
          return T.sum(r * w);
        }
      }
      return T.sum(w * w) + T.sum(M) * 0.1;
    },
    wrt: [0, 1],
    inputs: () => [
      [
        m([
          [0.5, 0.5],
          [1.5, 1],
          [3, 3],
        ]),
        v(0.3, -0.7),
      ],
      [
        m([
          [0.5, 0.5],
          [0.2, 0.1],
        ]),
        v(0.3, -0.7),
      ],
    ],
  },
  {
    name: 'break_in_inner_loop_only',
    fn: (x: any) => {
      let s = T.scalar(0);
      for (let i = 0; i < 3; i++) {
        let y = x + i * 0.5;
        while (T.sum(y) < 20) {
          y = y * 1.4;
          if (T.max(y) > 3) {
            break;
          }
        }
        s = s + T.sum(y);
      }
      return s;
    },
    inputs: () => [[v(0.5, 0.25)]],
  },
  {
    name: 'continue_in_nested_loop',
    fn: (M: any) => {
      let s = T.scalar(0);
      for (const r of M) {
        for (let j = 0; j < 3; j++) {
          const t = r * (j + 1);
          if (T.sum(t) < 0) {
            continue;
          }
          s = s + T.sum(t * t);
        }
      }
      return s;
    },
    inputs: () => [
      [
        m([
          [0.5, -0.2],
          [-0.9, 0.3],
          [0.4, 0.4],
        ]),
      ],
    ],
  },
  {
    name: 'return_from_nested_loop',
    fn: (x: any) => {
      let y = x;
      for (let i = 0; i < 4; i++) {
        for (let j = 0; j < 4; j++) {
          y = y * 1.2 + 0.1;
          if (T.sum(y) > 5) {
            return T.sum(y * y) + i * 10 + j;
          }
        }
      }
      return T.sum(y);
    },
    inputs: () => [[v(0.5, 0.3)], [v(-3, -2)]],
  },
  {
    name: 'do_while_break',
    fn: (x: any) => {
      let n = 0;
      do {
        x = x * 1.3;
        n++;
        if (T.sum(x) > 3) {
          break;
        }
      } while (n < 8);
      return T.sum(T.sqrt(x));
    },
    inputs: () => [[v(0.4, 0.5)], [v(0.1, 0.12)]],
  },
  {
    name: 'break_with_two_carried',
    fn: (x: any, y: any) => {
      let a = x;
      let b = y;
      for (let i = 0; i < 8; i++) {
        const t = a * 0.8 + b * 0.3;
        b = b * 0.9 - a * 0.1;
        a = t;
        if (T.sum(a * b) < 0) {
          break;
        }
      }
      return T.sum(a) + T.sum(b * b);
    },
    wrt: [0, 1],
    inputs: () => [
      [v(1, 0.5), v(0.4, 0.6)],
      [v(1, 0.5), v(-0.4, 0.6)],
    ],
  },
  {
    name: 'labelled_break_outer',
    fn: (x: any) => {
      let y = x;
      outer: for (let i = 0; i < 4; i++) {
        for (let j = 0; j < 3; j++) {
          y = y * 1.1 + 0.05;
          if (T.sum(y) > 2.5) {
            break outer;
          }
        }
        y = y + 0.1;
      }
      return T.sum(y * y);
    },
    inputs: () => [[v(0.5, 0.8)], [v(0.1, 0.1)]],
  },
  {
    name: 'continue_then_break',
    fn: (x: any) => {
      let s = T.scalar(0);
      let i = 0;
      while (i < 10) {
        i++;
        x = x * 1.15;
        if (T.max(x) < 1) {
          continue;
        }
        s = s + T.sum(x);
        if (s > 8) {
          break;
        }
      }
      return s * T.sum(x);
    },
    inputs: () => [[v(0.5, 0.7)], [v(2.1, 0.3)]],
  },
];
