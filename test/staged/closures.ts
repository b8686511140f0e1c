/** Closures over weights: module-level tensors captured by the staged function (constants of the graph). */
import * as tf from '@tensorflow/tfjs-core';
import type { StagedCase, Tf } from './common.ts';

const T: Tf = { ...tf };
const v = (...xs: number[]) => tf.tensor1d(xs);
const f32 = (n: number) => tf.scalar(n);

const W: any = tf.tensor2d([
  [0.5, -0.2, 0.1],
  [0.3, 0.8, -0.5],
  [-0.4, 0.1, 0.9],
]);
const b: any = tf.tensor1d([0.1, -0.1, 0.05]);
const scale: any = tf.tensor1d([2, 0.5, -1]);
const limit: any = tf.scalar(4);
const table: any = tf.tensor2d([
  [1, 2],
  [3, 4],
  [5, 6],
]);
const ONE_INT: any = tf.scalar(1, 'int32');

export const cases: StagedCase[] = [
  {
    name: 'closure_elementwise_weight_in_cond',
    fn: (x: any) => {
      let y = x * scale;
      if (T.sum(y) > 0) {
        y = y + b;
      }
      return y;
    },
    scope: { scale, b },
    inputs: () => [[v(1, 2, 3)], [v(-1, 2, 3)]],
  },
  {
    name: 'closure_scalar_weight_as_limit',
    fn: (x: any) => {
      let n = 0;
      while (T.sum(x) < limit) {
        x = x + 0.75;
        n++;
      }
      return [x, n];
    },
    scope: { limit },
    inputs: () => [[v(0, 0)], [v(5)]],
  },
  {
    name: 'closure_matvec_in_loop',
    fn: (x: any) => {
      let i = 0;
      while (i < 5 && T.max(T.abs(x)) < 10) {
        x = T.squeeze(T.matMul(W, T.reshape(x, [3, 1]))) * 2;
        i++;
      }
      return [x, i];
    },
    scope: { W },
    inputs: () => [[v(1, 1, 1)], [v(20, 0, 0)]],
  },
  {
    name: 'closure_dense_layer_relu_branch',
    fn: (x: any) => {
      const h = T.add(T.matMul(x, W), b);
      return T.sum(h) > 0 ? T.relu(h) : T.sigmoid(h);
    },
    scope: { W, b },
    inputs: () => [[tf.tensor2d([[1, 2, 3]])], [tf.tensor2d([[-1, -2, -3]])]],
  },
  {
    name: 'closure_helper_function_captures_weight',
    fn: (x: any) => {
      const layer = (t: any) => T.tanh(t * scale + b);
      let y = layer(x);
      if (T.mean(y) < 0) {
        y = layer(y);
      }
      return y;
    },
    scope: { scale, b },
    inputs: () => [[v(1, 2, 3)], [v(-3, 1, 5)]],
  },
  {
    name: 'closure_weight_in_loop_condition_and_body',
    fn: (x: any) => {
      let k = 0;
      while (T.sum(x * scale) < 10 && k < 20) {
        x = x + scale * scale;
        k++;
      }
      return x;
    },
    scope: { scale },
    inputs: () => [[v(0, 0, 0)], [v(100, 0, 0)]],
  },
  {
    name: 'closure_table_lookup_row_sum',
    fn: (x: any) => {
      let r = x;
      if (T.sum(table) > x) {
        r = x + T.sum(table);
      }
      return r;
    },
    scope: { table },
    inputs: () => [[f32(5)], [f32(50)]],
  },
  {
    name: 'closure_int_weight_counter',
    fn: (n: any) => {
      let i = T.scalar(0, 'int32');
      while (i < n) {
        i = i + ONE_INT;
      }
      return i;
    },
    scope: { ONE_INT },
    inputs: () => [[tf.scalar(3, 'int32')], [tf.scalar(-1, 'int32')]],
  },
  {
    name: 'closure_rnn_cell_fixed_steps',
    fn: (x: any, steps: number) => {
      let h = T.zeros([1, 3]);
      for (let t = 0; t < steps; t++) {
        h = T.tanh(T.matMul(h, W) + x);
        if (T.max(h) > 0.9) {
          h = h * 0.5;
        }
      }
      return h;
    },
    scope: { W },
    inputs: () => [
      [tf.tensor2d([[1, 2, 3]]), 4],
      [tf.tensor2d([[0.1, 0, -0.1]]), 2],
    ],
  },
  {
    name: 'closure_bias_gate',
    fn: (x: any) => {
      const gated = T.sum(b) > 0 ? x + b : x - b;
      return gated;
    },
    scope: { b },
    inputs: () => [[v(1, 2, 3)]],
  },
];
