/** Softmax/argmax-style programs and structural ops (reshape, concat, gather, where) under control flow. */
import * as tf from '@tensorflow/tfjs-core';
import type { StagedCase, Tf } from './common.ts';

const T: Tf = { ...tf };
const v = (...xs: number[]) => tf.tensor1d(xs);
const m = (rows: number[][]) => tf.tensor2d(rows);

export const cases: StagedCase[] = [
  {
    name: 'softmax_manual_stable',
    fn: (x: any) => {
      const z = x - T.max(x);
      const e = T.exp(z);
      return e / T.sum(e);
    },
    inputs: () => [[v(1, 2, 3)], [v(1000, 1001, 999)]],
  },
  {
    name: 'softmax_with_temperature_loop',
    fn: (x: any) => {
      let temp = T.scalar(1);
      let p = T.softmax(x);
      while (T.max(p) > 0.9) {
        temp = temp * 2;
        p = T.softmax(x / temp);
      }
      return [p, temp];
    },
    inputs: () => [[v(1, 2, 3)], [v(10, 0, 0)]],
  },
  {
    name: 'argmax_branch_select',
    fn: (x: any) => {
      const k = T.argMax(x);
      let r: any;
      if (k == 0) {
        r = x * 10;
      } else {
        r = x;
      }
      return [r, k];
    },
    inputs: () => [[v(5, 1, 2)], [v(1, 5, 2)]],
  },
  {
    name: 'argmin_until_all_equal',
    fn: (x: any) => {
      let n = 0;
      while (T.max(x) - T.min(x) > 0.5 && n < 20) {
        const onehot = T.oneHot(T.argMin(x), 3);
        x = x + T.cast(onehot, 'float32');
        n++;
      }
      return [x, n];
    },
    inputs: () => [[v(1, 2, 3)], [v(2, 2, 2)]],
  },
  {
    name: 'reductions_along_axis_in_cond',
    fn: (x: any) => {
      const rows = T.sum(x, 1);
      const cols = T.mean(x, 0);
      return T.max(rows) > T.max(cols) ? rows : cols;
    },
    inputs: () => [
      [
        m([
          [1, 2],
          [3, 4],
        ]),
      ],
      [
        m([
          [10, -10],
          [10, -10],
        ]),
      ],
    ],
  },
  {
    name: 'keepdims_normalize_rows_until_bounded',
    fn: (x: any) => {
      while (T.max(T.abs(x)) > 1) {
        x = x / T.max(T.abs(x), 1, true);
      }
      return x;
    },
    inputs: () => [
      [
        m([
          [1, 4],
          [-3, 2],
        ]),
      ],
      [
        m([
          [0.5, 0.1],
          [0.2, 0.3],
        ]),
      ],
    ],
  },
  {
    name: 'prod_and_min_reductions',
    fn: (x: any) => {
      let r = T.prod(x);
      if (T.min(x) < 0) {
        r = -r;
      }
      return r;
    },
    inputs: () => [[v(1, 2, 3)], [v(-1, 2, 3)]],
  },
  {
    name: 'reshape_in_branches',
    fn: (x: any) => {
      let y: any;
      if (T.sum(x) > 0) {
        y = T.reshape(x, [2, 2]);
      } else {
        y = T.reshape(T.reverse(x), [2, 2]);
      }
      return y;
    },
    inputs: () => [[v(1, 2, 3, 4)], [v(-1, -2, -3, 4)]],
  },
  {
    name: 'gather_selected_by_condition',
    fn: (x: any) => {
      const idx = T.sum(x) > 0 ? T.tensor1d([0, 2], 'int32') : T.tensor1d([1, 3], 'int32');
      return T.gather(x, idx);
    },
    inputs: () => [[v(1, 2, 3, 4)], [v(-1, -2, -3, -4)]],
  },
  {
    name: 'where_mask_in_loop',
    fn: (x: any) => {
      let n = 0;
      while (T.any(x > 1)) {
        x = T.where(x > 1, x / 2, x);
        n++;
      }
      return [x, n];
    },
    inputs: () => [[v(1, 8, 0.5)], [v(0.5)]],
  },
  {
    name: 'all_reduction_condition',
    fn: (x: any) => {
      let r = x;
      if (T.all(x > 0)) {
        r = T.log(x);
      }
      return r;
    },
    inputs: () => [[v(1, 2, 3)], [v(1, -2)]],
  },
  {
    name: 'expand_dims_and_squeeze_loop',
    fn: (x: any) => {
      let y = T.expandDims(x, 0);
      while (T.sum(y) < 10) {
        y = T.expandDims(T.squeeze(y, [0]) * 2, 0);
      }
      return y;
    },
    inputs: () => [[v(1, 1)], [v(10)]],
  },
  {
    name: 'tile_and_pad_in_branch',
    fn: (x: any) => {
      let y: any;
      if (T.sum(x) > 0) {
        y = T.tile(x, [2]);
      } else {
        y = T.pad(x, [[1, 1]]);
      }
      return y;
    },
    inputs: () => [[v(1, 2)], [v(-1, -2)]],
  },
];
