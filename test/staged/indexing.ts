/**
 * Indexing: tensor rows by a JS number or a scalar tensor (`m[i]`), `m.length`, index loops over
 * rows, and JS arrays read at a tensor index (`vocab[t]`: eager, the tensor's value; staged, a list
 * read with Gather).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { StagedCase, Tf } from './common.ts';

const T: Tf = { ...tf };
const v = (...xs: number[]) => tf.tensor1d(xs);
const m2 = (rows: number[][]) => tf.tensor2d(rows);
const i32 = (n: number) => tf.scalar(n, 'int32');

export const cases: StagedCase[] = [
  {
    name: 'index_loop_sums_rows',
    fn: (m: any) => {
      let acc = T.zeros([m.shape[1]]);
      for (let i = 0; i < m.length; i++) acc = acc + m[i];
      return acc;
    },
    inputs: () => [
      [
        m2([
          [1, 2],
          [3, 4],
          [5, 6],
        ]),
      ],
      [m2([[-1, 0.5]])],
    ],
  },
  {
    name: 'index_vector_rows_are_scalars',
    fn: (x: any) => {
      let best = x[0];
      for (let i = 1; i < x.length; i++) if (x[i] > best) best = x[i];
      return [best, x[x.length - 1], x.length];
    },
    inputs: () => [[v(3, 9, 2)], [v(-1)], [v(0.5, 0.25, 4, 4)]],
  },
  {
    name: 'index_rows_of_rows',
    fn: (m: any) => [m[1][0], m[0][m[0].length - 1], m[1]],
    inputs: () => [
      [
        m2([
          [1, 2, 3],
          [4, 5, 6],
        ]),
      ],
    ],
  },
  {
    name: 'index_by_int_tensor',
    fn: (m: any, i: any) => m[i] * 2,
    inputs: () => [
      [v(10, 20, 30), i32(2)],
      [v(10, 20, 30), i32(0)],
      [
        m2([
          [1, 2],
          [3, 4],
        ]),
        i32(1),
      ],
    ],
  },
  {
    name: 'index_by_argmax',
    fn: (scores: any, table: any) => table[T.argMax(scores)],
    inputs: () => [
      [
        v(0.1, 0.7, 0.2),
        m2([
          [1, 1],
          [2, 2],
          [3, 3],
        ]),
      ],
      [
        v(5, 0, 0),
        m2([
          [1, 1],
          [2, 2],
          [3, 3],
        ]),
      ],
    ],
  },
  {
    name: 'index_in_staged_while_with_int_counter',
    fn: (x: any) => {
      let i = T.scalar(0, 'int32');
      let acc = T.scalar(0);
      while (i < x.length) {
        acc = acc + x[i] * x[i];
        i = i + T.scalar(1, 'int32');
      }
      return acc;
    },
    inputs: () => [[v(1, 2, 3)], [v(0.5)]],
  },
  {
    name: 'index_in_staged_while_with_js_counter',
    // the JS counter is carried by the staged loop as a float32 scalar; it still indexes
    fn: (x: any) => {
      let i = 0;
      let acc = T.scalar(0);
      while (T.sum(acc) < 100 && i < x.length) {
        acc = acc + x[i];
        i++;
      }
      return [acc, i];
    },
    inputs: () => [[v(1, 2, 3)], [v(60, 50, 1)], [v(200)]],
  },
  {
    name: 'index_list_of_tensors_by_tensor',
    fn: (i: any, a: any, b: any) => {
      const options = [a, b, a + b];
      return options[i] * 10;
    },
    inputs: () => [
      [i32(0), v(1, 2), v(3, 4)],
      [i32(2), v(1, 2), v(3, 4)],
    ],
  },
  {
    name: 'index_vocab_of_numbers_by_tensor',
    fn: (ids: any) => {
      const weights = [0.5, 2, -1, 4];
      let total = T.scalar(0);
      for (const id of ids) total = total + weights[id];
      return total;
    },
    inputs: () => [[tf.tensor1d([0, 3, 3], 'int32')], [tf.tensor1d([2], 'int32')]],
  },
  {
    name: 'index_vocab_of_booleans_by_tensor',
    fn: (id: any, x: any) => {
      const mask = [true, false, true];
      return mask[id] ? x : -x;
    },
    inputs: () => [
      [i32(0), v(1, 2)],
      [i32(1), v(1, 2)],
    ],
  },
  {
    name: 'index_typed_array_by_tensor',
    // eager: the element as a JS number; staged: a Gather from the typed array as a constant
    fn: (id: any, x: any) => {
      const counts = new Int32Array([3, 1, 4, 1, 5]);
      const scales = new Float32Array([0.5, 2]);
      return [counts[id], x * scales[id % 2]];
    },
    inputs: () => [
      [i32(2), v(1, 2)],
      [i32(4), v(-1)],
    ],
  },
  {
    name: 'index_nested_js_table_by_tensor',
    // an embedding table written as nested JS arrays: eager, a JS row (tf.add reads it); staged, a row of a constant
    fn: (ids: any) => {
      const table = [
        [0, 1],
        [2, 3],
        [4, 5],
      ];
      let acc = T.zeros([2]);
      for (const id of ids) acc = acc + table[id];
      return acc;
    },
    inputs: () => [[tf.tensor1d([2, 0, 2], 'int32')]],
  },
  {
    name: 'index_macro_loop_over_js_array',
    // a JS array indexed by a JS counter is plain JS at trace time (unrolled)
    fn: (x: any) => {
      const scales = [1, 2, 3];
      for (let i = 0; i < scales.length; i++) x = x * scales[i];
      return x;
    },
    inputs: () => [[v(1, 0.5)]],
  },
  {
    name: 'index_row_in_staged_cond',
    fn: (m: any) => (T.sum(m[0]) > T.sum(m[1]) ? m[0] : m[1]),
    inputs: () => [
      [
        m2([
          [1, 2],
          [0, 0],
        ]),
      ],
      [
        m2([
          [1, 2],
          [5, 0],
        ]),
      ],
    ],
  },
];
