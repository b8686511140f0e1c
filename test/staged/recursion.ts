/**
 * Recursion decided by a tensor (issue 15): each program calls itself (or a partner) under a native
 * `if`, `?:` or `&&` on a tensor condition, so eagerly the condition is read and the recursion is JS
 * recursion, while staged it needs the function traced once as an IR function that calls itself.
 * Recursive helpers are declared inside `fn` (the corpus converts `fn` from its source text), so most of
 * them close over `fn`'s parameters or over captured weights as well. test/recursion.test.ts checks
 * the eager results of these programs against values computed in plain JS.
 *
 * staged.test.ts runs every case on both executors (on ONNX Runtime the recursion is lowered to a
 * loop with explicit stacks).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { StagedCase, Tf } from './common.ts';

const T: Tf = { ...tf };
const v = (...xs: number[]) => tf.tensor1d(xs);
const f32 = (n: number) => tf.scalar(n);
const i32 = (n: number) => tf.scalar(n, 'int32');
const ints = (...xs: number[]) => tf.tensor1d(xs, 'int32');

/**
 * Tensor-encoded trees: child ids (-1: none) and a value per node. Node ids are positions; the root
 * is given. `tree7` is unbalanced, `chain` has nodes with one child.
 */
export const TREES = {
  single: { left: [-1], right: [-1], value: [5], root: 0 },
  three: { left: [1, -1, -1], right: [2, -1, -1], value: [1, 2, 3], root: 0 },
  tree7: {
    left: [-1, -1, 0, -1, 2, -1, 4],
    right: [-1, -1, 1, -1, 3, -1, 5],
    value: [1, 2, 3, 4, 5, 6, 7],
    root: 6,
  },
  chain: { left: [1, 2, -1, -1], right: [-1, 3, -1, -1], value: [0.5, -1, 2, 4], root: 0 },
};
export type TreeName = keyof typeof TREES;
const treeArgs = (name: TreeName) => {
  const t = TREES[name];
  return [ints(...t.left), ints(...t.right), v(...t.value), i32(t.root)];
};

/** TreeLSTM weights, hidden 4, embedding 3, vocabulary 5 (fixed values, no randomness). */
const H = 4;
const wave = (n: number, phase: number) =>
  Array.from({ length: n }, (_, k) => 0.5 * Math.sin(0.7 * k + phase));
const embedding: any = tf.tensor2d(wave(5 * 3, 0.1), [5, 3]);
const W: any = tf.tensor2d(wave(3 * 3 * H, 0.2), [3, 3 * H]);
const bW: any = tf.tensor1d(wave(3 * H, 0.3));
const U: any = tf.tensor2d(wave(2 * H * 5 * H, 0.4), [2 * H, 5 * H]);
const bU: any = tf.tensor1d(wave(5 * H, 0.5));
export const TREE_LSTM: Record<string, tf.Tensor> = { embedding, W, bW, U, bU };
/** Words at the leaves of the TreeLSTM trees (ids < 5; unused at inner nodes). */
export const WORDS: Record<TreeName, number[]> = {
  single: [3],
  three: [0, 1, 4],
  tree7: [0, 1, 0, 2, 0, 3, 0],
  chain: [0, 0, 1, 2],
};

/** Sorted values the binary search looks in. */
export const SORTED = [1, 3, 5, 7, 9, 11];

export const cases: StagedCase[] = [
  {
    name: 'recursion_fibonacci_float32',
    fn: (n: any) => {
      function fib(k: any): any {
        if (k <= 1) return k;
        return fib(k - 1) + fib(k - 2);
      }
      return fib(n);
    },
    inputs: () => [[f32(0)], [f32(1)], [f32(6)], [f32(10)]],
  },
  {
    name: 'recursion_fibonacci_int32',
    fn: (n: any) => {
      function fib(k: any): any {
        if (k <= 1) return k;
        return fib(k - 1) + fib(k - 2);
      }
      return fib(n);
    },
    inputs: () => [[i32(1)], [i32(2)], [i32(9)]],
  },
  {
    name: 'recursion_factorial_js_base_case',
    fn: (n: any) => {
      function factorial(k: any): any {
        if (k <= 1) return 1;
        return k * factorial(k - 1);
      }
      return factorial(n);
    },
    inputs: () => [[f32(0)], [f32(1)], [f32(5)], [f32(10)]],
  },
  {
    name: 'recursion_tree_sum_children_under_if',
    fn: (left: any, right: any, value: any, root: any) => {
      function sum(i: any): any {
        let s = value[i];
        if (left[i] >= 0) s = s + sum(left[i]);
        if (right[i] >= 0) s = s + sum(right[i]);
        return s;
      }
      return sum(root);
    },
    inputs: () => [treeArgs('single'), treeArgs('three'), treeArgs('tree7'), treeArgs('chain')],
  },
  {
    name: 'recursion_tree_lstm_hidden4',
    fn: (left: any, right: any, words: any, root: any) => {
      function cell(i: any): any[] {
        if (T.gather(left, i) < 0) {
          const x = T.expandDims(T.gather(embedding, T.gather(words, i)), 0);
          const [ig, og, ug] = T.split(T.matMul(x, W) + bW, 3, 1);
          const c = T.sigmoid(ig) * T.tanh(ug);
          return [T.sigmoid(og) * T.tanh(c), c];
        }
        const [hl, cl] = cell(T.gather(left, i));
        const [hr, cr] = cell(T.gather(right, i));
        const gates = T.matMul(T.concat([hl, hr], 1), U) + bU;
        const [ig, fl, fr, og, ug] = T.split(gates, 5, 1);
        const c = T.sigmoid(ig) * T.tanh(ug) + T.sigmoid(fl) * cl + T.sigmoid(fr) * cr;
        return [T.sigmoid(og) * T.tanh(c), c];
      }
      return cell(root);
    },
    scope: TREE_LSTM,
    inputs: () =>
      (['single', 'three', 'tree7'] as const).map((name) => {
        const t = TREES[name];
        return [ints(...t.left), ints(...t.right), ints(...WORDS[name]), i32(t.root)];
      }),
  },
  {
    name: 'recursion_binary_search_lower_bound',
    fn: (xs: any, target: any) => {
      function search(lo: any, hi: any): any {
        if (lo >= hi) return lo;
        const mid = T.floorDiv(lo + hi, T.scalar(2, 'int32'));
        if (xs[mid] < target) return search(mid + 1, hi);
        return search(lo, mid);
      }
      return search(T.scalar(0, 'int32'), T.scalar(xs.shape[0], 'int32'));
    },
    inputs: () => [0, 7, 8, 20].map((target) => [v(...SORTED), f32(target)]),
  },
  {
    name: 'recursion_ackermann_with_budget',
    fn: (m: any, n: any, budget: any) => {
      // A(m, n), or -1 where the recursion would go deeper than `budget`
      function ackermann(m: any, n: any, budget: any): any {
        if (budget <= 0) return T.scalar(-1, 'int32');
        if (m == 0) return n + 1;
        if (n == 0) return ackermann(m - 1, T.onesLike(n), budget - 1);
        return ackermann(m - 1, ackermann(m, n - 1, budget - 1), budget - 1);
      }
      return ackermann(m, n, budget);
    },
    inputs: () => [
      [i32(0), i32(3), i32(50)],
      [i32(1), i32(2), i32(50)],
      [i32(2), i32(3), i32(50)],
      [i32(2), i32(3), i32(4)],
    ],
  },
  {
    name: 'recursion_mutual_is_even_is_odd',
    fn: (n: any) => {
      function isEven(k: any): any {
        if (k == 0) return true;
        return isOdd(k - 1);
      }
      function isOdd(k: any): any {
        if (k == 0) return false;
        return isEven(k - 1);
      }
      return [isEven(n), isOdd(n)];
    },
    inputs: () => [[i32(0)], [i32(1)], [i32(7)], [i32(10)]],
  },
  {
    name: 'recursion_returns_object',
    fn: (left: any, right: any, value: any, root: any) => {
      // total and node count of the subtree at i
      function stats(i: any): any {
        if (left[i] < 0 && right[i] < 0) return { total: value[i], count: 1 };
        const below = left[i] >= 0 ? stats(left[i]) : stats(right[i]);
        const other = left[i] >= 0 && right[i] >= 0 ? stats(right[i]) : { total: T.scalar(0), count: 0 };
        return { total: value[i] + below.total + other.total, count: 1 + below.count + other.count };
      }
      const s = stats(root);
      return { mean: s.total / s.count, ...s };
    },
    inputs: () => [treeArgs('single'), treeArgs('tree7'), treeArgs('chain')],
  },
  {
    name: 'recursion_result_grows',
    fn: (n: any) => {
      // [2] at the base case, one longer per level: a dynamic length staged
      function grow(k: any): any {
        if (k <= 0) return T.zeros([2]);
        return T.concat([grow(k - 1), T.reshape(k, [1])]);
      }
      return grow(n);
    },
    inputs: () => [[f32(0)], [f32(1)], [f32(4)]],
  },
  {
    name: 'recursion_closure_over_staged_input',
    fn: (x: any, scale: any) => {
      // `scale` is an argument of the staged function, captured by the recursive helper
      function shrink(y: any): any {
        if (T.max(T.abs(y)) < 1) return y;
        return shrink(y * scale);
      }
      return shrink(x);
    },
    inputs: () => [
      [v(8, -3), f32(0.5)],
      [v(0.5), f32(0.5)],
      [v(100, 2, -40), f32(0.25)],
    ],
  },
  {
    name: 'recursion_js_hyperparameter',
    fn: (n: any, base: number) => {
      // the number of digits of n in `base` (a JS number, the same at every level)
      function digits(k: any, base: number): any {
        if (k < base) return 1;
        return 1 + digits(T.floor(k / base), base);
      }
      return digits(n, base);
    },
    inputs: () => [
      [f32(0), 10],
      [f32(9), 10],
      [f32(12345), 10],
      [f32(255), 2],
    ],
  },
  {
    name: 'recursion_in_nested_if',
    fn: (a: any, b: any) => {
      function gcd(a: any, b: any): any {
        if (a != b) {
          if (a > b) return gcd(a - b, b);
          else return gcd(a, b - a);
        }
        return a;
      }
      return gcd(a, b);
    },
    inputs: () => [
      [i32(12), i32(18)],
      [i32(7), i32(7)],
      [i32(21), i32(6)],
      [i32(1), i32(9)],
    ],
  },
  {
    name: 'recursion_in_ternary',
    fn: (n: any) => {
      // Collatz steps, the recursive calls in the branches of a ternary
      function steps(k: any): any {
        return k <= 1 ? 0 : 1 + (k % 2 == 0 ? steps(k / 2) : steps(3 * k + 1));
      }
      return steps(n);
    },
    inputs: () => [[f32(1)], [f32(6)], [f32(7)], [f32(27)]],
  },
];
