/** &&, ||, ! on tensor scalars: in conditions (lazy, staged as cond) and as values. */
import * as tf from '@tensorflow/tfjs-core';
import type { StagedCase, Tf } from './common.ts';

const T: Tf = { ...tf };
const v = (...xs: number[]) => tf.tensor1d(xs);
const f32 = (n: number) => tf.scalar(n);
const pairs = (...ps: [number, number][]) => ps.map(([a, b]) => [f32(a), f32(b)]);

export const cases: StagedCase[] = [
  {
    name: 'and_of_reductions',
    fn: (x: any) => {
      let r = x;
      if (T.sum(x) > 0 && T.max(x) < 10) {
        r = r * 2;
      }
      return r;
    },
    inputs: () => [[v(1, 2)], [v(1, 20)], [v(-5, 1)]],
  },
  {
    name: 'not_of_comparison',
    fn: (x: any) => {
      let r = x;
      if (!(T.sum(x) > 0)) {
        r = -x;
      }
      return r;
    },
    inputs: () => [[v(1, 2)], [v(-1, -2)]],
  },
  {
    name: 'not_of_numeric_scalar',
    fn: (a: any) => {
      let r = 0;
      if (!a) {
        r = 1;
      }
      return r;
    },
    inputs: () => [[f32(0)], [f32(3)]],
  },
  {
    name: 'double_not',
    fn: (a: any) => {
      let r = 0;
      // biome-ignore lint/complexity/noExtraBooleanCast: the double negation is what this case stages
      if (!!(a > 1)) {
        r = 1;
      }
      return r;
    },
    inputs: () => [[f32(0)], [f32(3)]],
  },
  {
    name: 'and_or_mixed_precedence',
    fn: (a: any, b: any) => {
      let r = 0;
      if ((a > 0 && b > 0) || (a < 0 && b < 0)) {
        r = 1;
      }
      return r;
    },
    inputs: () => pairs([1, 1], [-1, -1], [1, -1], [-1, 1]),
  },
  {
    name: 'and_value_returns_operand',
    fn: (a: any, b: any) => (a > 0 && b > 0) || a == b,
    inputs: () => pairs([1, 1], [-1, -1], [1, -1]),
  },
  {
    name: 'and_tensor_with_js_bool',
    fn: (x: any, enabled: boolean) => {
      let r = x;
      if (enabled && T.sum(x) > 0) {
        r = r + 1;
      }
      return r;
    },
    inputs: () => [
      [v(1), true],
      [v(-1), true],
      [v(1), false],
    ],
  },
  {
    name: 'or_tensor_then_js_bool',
    fn: (x: any, force: boolean) => {
      let r = x;
      if (T.sum(x) > 0 || force) {
        r = r + 1;
      }
      return r;
    },
    inputs: () => [
      [v(1), false],
      [v(-1), false],
      [v(-1), true],
    ],
  },
  {
    name: 'and_short_circuit_guards_division',
    fn: (a: any, b: any) => {
      let r = T.scalar(0);
      if (b != 0 && a / b > 1) {
        r = a / b;
      }
      return r;
    },
    inputs: () => pairs([4, 2], [4, 0], [1, 2]),
  },
  {
    name: 'not_in_while_condition',
    fn: (x: any) => {
      let i = 0;
      while (!(x > 10)) {
        x = x * 2;
        i++;
      }
      return [x, i];
    },
    inputs: () => [[f32(1)], [f32(20)], [f32(0.3)]],
  },
  {
    name: 'or_in_while_condition',
    fn: (a: any, b: any) => {
      while (a < 5 || b < 5) {
        a = a + 1;
        b = b + 2;
      }
      return [a, b];
    },
    inputs: () => pairs([0, 0], [10, 0], [10, 10]),
  },
  {
    name: 'three_way_and',
    fn: (a: any, b: any, c: any) => {
      let r = 0;
      if (a > 0 && b > 0 && c > 0) {
        r = 1;
      }
      return r;
    },
    inputs: () => [
      [f32(1), f32(1), f32(1)],
      [f32(1), f32(1), f32(-1)],
      [f32(-1), f32(1), f32(1)],
    ],
  },
  {
    name: 'logical_value_bool_tensors',
    fn: (x: any) => {
      const p = T.sum(x) > 0;
      const q = T.max(x) > 2;
      return [p && q, p || q, !p];
    },
    inputs: () => [[v(1, 3)], [v(1, 1)], [v(-4, 3)], [v(-4, 1)]],
  },
  {
    name: 'ternary_on_logical',
    fn: (a: any, b: any) => (a > 0 && b > 0 ? a * b : a + b),
    inputs: () => pairs([2, 3], [2, -3]),
  },
  {
    name: 'logical_elementwise_vectors',
    fn: (x: any) => {
      const m = T.logicalAnd(x > 0, x < 5);
      let r = x;
      if (T.any(m)) {
        r = T.where(m, x, T.zerosLike(x));
      }
      return r;
    },
    inputs: () => [[v(1, 7, -1)], [v(7, 8)]],
  },
  {
    name: 'not_equal_chain_in_loop',
    fn: (a: any, b: any) => {
      let n = 0;
      while (a != b && n < 20) {
        a = a + 1;
        n += 1;
      }
      return [a, n];
    },
    inputs: () => pairs([0, 3], [3, 3], [0, 100]),
  },
  {
    name: 'nullish_keeps_tensor',
    fn: (x: any) => {
      const y = x ?? T.scalar(0);
      let r = y;
      if (y > 0) {
        r = y * 2;
      }
      return r;
    },
    inputs: () => [[f32(3)], [f32(-3)]],
  },
];
