/**
 * Loops over the rows of a tensor (`for…of`, `t[i]` with `t.length`): RNN-like recurrences with
 * matMul, gated states, branches and jumps on a row's value, lists of per-row results.
 */
import * as tf from '@tensorflow/tfjs';
import type { GradCase, Tf } from './common.ts';

const T: Tf = { ...tf };
const v = (...xs: number[]) => tf.tensor1d(xs);
const m = (rows: number[][]) => tf.tensor2d(rows);
const seq = (rows: number[][]) => tf.tensor3d(rows.map((r) => [r]));

const X = () =>
  m([
    [0.5, -0.2, 0.8],
    [0.1, 0.4, -0.6],
    [-0.3, 0.9, 0.2],
    [0.7, 0.05, -0.4],
  ]);
const W3 = () =>
  m([
    [0.3, -0.2],
    [0.5, 0.1],
    [-0.4, 0.6],
  ]);
const U2 = () =>
  m([
    [0.2, -0.3],
    [0.4, 0.1],
  ]);

export const cases: GradCase[] = [
  {
    name: 'rows_sum_tanh',
    fn: (M: any) => {
      let s = T.scalar(0);
      for (const r of M) {
        s = s + T.sum(T.tanh(r) * r);
      }
      return s;
    },
    inputs: () => [[X()]],
  },
  {
    name: 'rows_rnn_tanh',
    fn: (xs: any, W: any, U: any, h0: any) => {
      let h = h0;
      for (const x of xs) {
        h = T.tanh(T.matMul(x, W) + T.matMul(h, U));
      }
      return T.sum(h * h);
    },
    wrt: [0, 1, 2, 3],
    inputs: () => [
      [
        seq([
          [0.5, -0.2, 0.8],
          [0.1, 0.4, -0.6],
          [-0.3, 0.9, 0.2],
        ]),
        W3(),
        U2(),
        m([[0.1, -0.2]]),
      ],
    ],
  },
  {
    name: 'rows_rnn_readout_every_step',
    fn: (xs: any, W: any, U: any) => {
      let h = T.zeros([1, 2]);
      let loss = T.scalar(0);
      for (const x of xs) {
        h = T.tanh(T.matMul(x, W) + T.matMul(h, U));
        loss = loss + T.sum(T.square(h - 0.3));
      }
      return loss;
    },
    wrt: [1, 2],
    inputs: () => [
      [
        seq([
          [0.5, -0.2, 0.8],
          [0.1, 0.4, -0.6],
        ]),
        W3(),
        U2(),
      ],
    ],
  },
  {
    name: 'rows_running_max',
    fn: (M: any) => {
      let best = T.fill([3], -10);
      for (const r of M) {
        best = T.maximum(best, r);
      }
      return T.sum(best * best);
    },
    inputs: () => [[X()]],
  },
  {
    name: 'rows_gated_by_row_sum',
    fn: (M: any) => {
      let h = T.zeros([3]);
      for (const r of M) {
        if (T.sum(r) > 0) {
          h = h * 0.5 + r;
        } else {
          h = h - r * 0.2;
        }
      }
      return T.sum(T.sin(h));
    },
    inputs: () => [[X()]],
  },
  {
    name: 'rows_break_when_large',
    fn: (M: any) => {
      let acc = T.zeros([3]);
      for (const r of M) {
        acc = acc + r * 2;
        if (T.sum(acc * acc) > 3) {
          break;
        }
      }
      return T.sum(acc * acc);
    },
    inputs: () => [[X()]],
  },
  {
    name: 'rows_continue_on_negative',
    fn: (M: any) => {
      let acc = T.zeros([3]);
      for (const r of M) {
        if (T.sum(r) < 0) {
          continue;
        }
        acc = acc + r * r;
      }
      return T.sum(acc * T.range(1, 4));
    },
    inputs: () => [[X()]],
  },
  {
    name: 'rows_index_js_counter',
    fn: (M: any) => {
      let acc = T.zeros([3]);
      for (let i = 0; i < M.length; i++) {
        acc = acc * 0.9 + M[i] * (i + 1);
      }
      return T.sum(T.exp(acc * 0.5));
    },
    inputs: () => [[X()]],
  },
  {
    name: 'rows_index_while_tensor_condition',
    fn: (M: any) => {
      let acc = T.zeros([3]);
      let i = 0;
      while (i < M.length && T.sum(acc) < 0.7) {
        acc = acc + M[i];
        i++;
      }
      return T.sum(acc * acc) + i;
    },
    inputs: () => [[X()]],
  },
  {
    name: 'rows_push_then_softmax',
    fn: (K: any, q: any) => {
      const scores = [];
      for (const k of K) {
        scores.push(T.sum(k * q));
      }
      const p = T.softmax(T.stack(scores));
      return T.sum(p * T.range(0, 4));
    },
    wrt: [0, 1],
    inputs: () => [[X(), v(0.3, -0.5, 0.8)]],
  },
  {
    name: 'rows_lstm_like_two_states',
    fn: (xs: any, W: any) => {
      let h = T.zeros([1, 2]);
      let c = T.zeros([1, 2]);
      for (const x of xs) {
        const z = T.matMul(x, W) + h;
        const g = T.sigmoid(z);
        c = c * g + T.tanh(z) * (1 - g);
        h = T.tanh(c) * g;
      }
      return T.sum(h) + T.sum(c * c);
    },
    wrt: [0, 1],
    inputs: () => [
      [
        seq([
          [0.5, -0.2, 0.8],
          [0.1, 0.4, -0.6],
          [-0.3, 0.9, 0.2],
        ]),
        W3(),
      ],
    ],
  },
  {
    name: 'rows_matrix_product_of_rows',
    fn: (M: any) => {
      let P = T.eye(2);
      for (const r of M) {
        P = T.matMul(P, T.reshape(r, [2, 2]));
      }
      return T.sum(P);
    },
    inputs: () => [
      [
        m([
          [1, 0.5, -0.2, 0.8],
          [0.3, 1.1, 0.4, -0.6],
          [0.9, 0.2, -0.3, 1],
        ]),
      ],
    ],
  },
  {
    name: 'rows_unused_second_state',
    fn: (M: any) => {
      let h = T.zeros([3]);
      let count = T.zeros([3]);
      for (const r of M) {
        h = T.tanh(h + r);
        count = count + T.sign(r);
      }
      return T.sum(h);
    },
    inputs: () => [[X()]],
  },
  {
    name: 'rows_weighted_by_captured_outer_vector',
    fn: (M: any, w: any) => {
      let s = T.scalar(0);
      let k = 1;
      for (const r of M) {
        s = s + T.sum(r * w) * k;
        k = k * 0.5;
      }
      return s * s;
    },
    wrt: [0, 1],
    inputs: () => [[X(), v(0.5, -1, 0.25)]],
  },
];
