/** Macro loops: JS loops over JS arrays and ranges, unrolled while tracing, around tensor control flow. */
import * as tf from '@tensorflow/tfjs-core';
import type { StagedCase, Tf } from './common.ts';

const T: Tf = { ...tf };
const v = (...xs: number[]) => tf.tensor1d(xs);
const f32 = (n: number) => tf.scalar(n);

export const cases: StagedCase[] = [
  {
    name: 'macro_for_of_js_array_with_tensor_if',
    fn: (x: any) => {
      for (const k of [1, 2, 3]) {
        if (T.sum(x) > 5) {
          x = x - k;
        } else {
          x = x + k;
        }
      }
      return x;
    },
    inputs: () => [[v(1, 1)], [v(10, 1)]],
  },
  {
    name: 'macro_range_for_with_tensor_while_inside',
    fn: (x: any) => {
      const counts = [];
      for (let k = 1; k <= 3; k++) {
        let n = 0;
        let y = x;
        while (y > 1) {
          y = y / (k + 1);
          n++;
        }
        counts.push(n);
      }
      return counts;
    },
    inputs: () => [[f32(50)], [f32(0.5)]],
  },
  {
    name: 'macro_js_array_of_tensors',
    fn: (a: any, b: any, c: any) => {
      let best = a;
      for (const t of [b, c]) {
        if (T.sum(t) > T.sum(best)) {
          best = t;
        }
      }
      return best;
    },
    inputs: () => [
      [v(1, 2), v(3, 4), v(0, 0)],
      [v(5, 5), v(3, 4), v(9, 9)],
      [v(5, 5), v(3, 4), v(1, 1)],
    ],
  },
  {
    name: 'macro_array_param_of_tensors',
    fn: (xs: any[]) => {
      let total = T.scalar(0);
      for (const x of xs) {
        total = T.sum(x) > 0 ? total + T.sum(x) : total - 1;
      }
      return total;
    },
    inputs: () => [[[v(1, 2), v(-3), v(4)]], [[v(-1), v(-2)]]],
  },
  {
    name: 'macro_build_list_then_stack',
    fn: (x: any) => {
      const out = [];
      for (let i = 0; i < 3; i++) {
        out.push(x > i ? x * i : x + i);
      }
      return out;
    },
    inputs: () => [[f32(1.5)], [f32(-1)]],
  },
  {
    name: 'macro_for_in_object_keys',
    fn: (x: any) => {
      const scales: Record<string, number> = { a: 2, b: 3 };
      let y = x;
      for (const key in scales) {
        if (T.sum(y) < 20) {
          y = y * scales[key]!;
        }
      }
      return y;
    },
    inputs: () => [[v(1)], [v(5)], [v(25)]],
  },
  {
    name: 'macro_js_param_count',
    fn: (x: any, n: number) => {
      for (let i = 0; i < n; i++) {
        x = T.max(x) > 4 ? x / 2 : x + 1;
      }
      return x;
    },
    inputs: () => [
      [v(1, 2), 5],
      [v(10, 2), 3],
      [v(1), 0],
    ],
  },
  {
    name: 'macro_array_map_callback',
    fn: (x: any) => {
      const ys = [1, 2, 3].map((k) => (T.sum(x) > k ? x * k : x));
      return ys;
    },
    inputs: () => [[v(1.5)], [v(5)]],
  },
  {
    name: 'macro_nested_js_loops_with_tensor_cond',
    fn: (x: any) => {
      for (let i = 0; i < 2; i++) {
        for (let j = 0; j < 2; j++) {
          if (x > i + j) {
            x = x - 1;
          }
        }
      }
      return x;
    },
    inputs: () => [[f32(10)], [f32(1)], [f32(-1)]],
  },
  {
    name: 'macro_object_of_tensors_result',
    fn: (x: any) => {
      const stats: Record<string, any> = {};
      for (const [k, f] of [
        ['double', 2],
        ['half', 0.5],
      ] as const) {
        stats[k] = T.sum(x) > 0 ? x * f : x;
      }
      return stats;
    },
    inputs: () => [[v(1, 2)], [v(-1)]],
  },
  {
    name: 'macro_js_loop_then_tensor_loop',
    fn: (x: any) => {
      for (const d of [0.5, 0.25]) {
        x = x + d;
      }
      let n = 0;
      while (x < 10) {
        x = x * 2;
        n++;
      }
      return [x, n];
    },
    inputs: () => [[f32(1)], [f32(20)]],
  },
  {
    name: 'macro_break_in_js_loop_on_js_value',
    fn: (x: any) => {
      const ks = [1, 2, 3, 4, 5];
      for (const k of ks) {
        if (k > 3) {
          break;
        }
        x = T.sum(x) > 2 ? x - k : x + k;
      }
      return x;
    },
    inputs: () => [[v(1)], [v(10)]],
  },
  {
    name: 'macro_tensor_while_inside_js_for_with_counter',
    fn: (x: any) => {
      let total = 0;
      for (const limit of [2, 4, 8]) {
        let y = x;
        let n = 0;
        while (y < limit) {
          y = y + 1;
          n++;
        }
        total = total + n;
      }
      return total;
    },
    inputs: () => [[f32(0)], [f32(3)], [f32(10)]],
  },
  {
    name: 'macro_while_over_js_array_length',
    fn: (x: any) => {
      const ws = [0.5, 2, 3];
      let i = 0;
      while (i < ws.length) {
        if (T.sum(x) < 10) {
          x = x * ws[i]!;
        }
        i++;
      }
      return x;
    },
    inputs: () => [[v(1, 2)], [v(8)]],
  },
];
