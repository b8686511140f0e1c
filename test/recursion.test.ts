/**
 * Recursion decided by a tensor (issue 15).
 *
 * 1. The recursion corpus (test/staged/recursion.ts, compared staged vs eager by staged.test.ts) run
 *    eagerly, against values computed here in plain JS: so that a staged/eager agreement there means
 *    the right answer.
 * 2. Programs that must not stage, each a StagingError rather than a stack overflow or a hang (and
 *    one whose base case the input never reaches: an error naming the function when the graph runs).
 *    The messages must name the function. A base case [2] and a recursive case [3] is not among
 *    them: like a cond's branches, the result gets a dynamic dim (recursion_result_grows in the corpus).
 */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import * as ag from '../src/index.ts';
import { cases, SORTED, TREE_LSTM, TREES, type TreeName, WORDS } from './staged/recursion.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

// typed any: TypeScript cannot type operators on tensors
const T: any = { ...tf };

// ---------------------------------------------------------------------------------------------
// 1. The corpus, eagerly

/** A result as plain JS: tensors as numbers (scalars) or nested arrays, objects key by key. */
function plain(x: unknown): unknown {
  if (x instanceof tf.Tensor) return x.rank === 0 ? x.dataSync()[0] : x.arraySync();
  if (Array.isArray(x)) return x.map(plain);
  if (typeof x === 'boolean') return x;
  if (x && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, y]) => [k, plain(y)]));
  return x;
}

/** Numbers within 1e-5 relative (1e-6 absolute), booleans (or 0/1) exactly, structures alike. */
function expectClose(got: unknown, want: unknown, path = 'result'): void {
  if (typeof want === 'boolean') {
    expect(Boolean(got), path).toBe(want);
  } else if (typeof want === 'number') {
    expect(typeof got, path).toBe('number');
    expect(Math.abs((got as number) - want), `${path}: ${got} vs ${want}`).toBeLessThanOrEqual(
      1e-6 + 1e-5 * Math.abs(want),
    );
  } else if (Array.isArray(want)) {
    expect(Array.isArray(got) && got.length, path).toBe(want.length);
    want.forEach((w, k) => expectClose((got as unknown[])[k], w, `${path}[${k}]`));
  } else {
    const entries = Object.entries(want as object);
    expect(Object.keys(got as object).sort(), path).toEqual(entries.map(([k]) => k).sort());
    for (const [k, w] of entries) expectClose((got as any)[k], w, `${path}.${k}`);
  }
}

const fib = (n: number): number => (n <= 1 ? n : fib(n - 1) + fib(n - 2));
const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1));
const gcd = (a: number, b: number): number => (a === b ? a : a > b ? gcd(a - b, b) : gcd(a, b - a));
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

function treeSum(name: TreeName): number {
  const t = TREES[name];
  const sum = (i: number): number =>
    t.value[i]! + (t.left[i]! >= 0 ? sum(t.left[i]!) : 0) + (t.right[i]! >= 0 ? sum(t.right[i]!) : 0);
  return sum(t.root);
}

function treeStats(name: TreeName) {
  const t = TREES[name];
  const at = (i: number): { total: number; count: number } => {
    const kids = [t.left[i]!, t.right[i]!].filter((k) => k >= 0).map(at);
    return {
      total: t.value[i]! + kids.reduce((s, k) => s + k.total, 0),
      count: 1 + kids.reduce((s, k) => s + k.count, 0),
    };
  };
  const s = at(t.root);
  return { mean: s.total / s.count, total: s.total, count: s.count };
}

/** The TreeLSTM of test/staged/recursion.ts in plain JS (row-major weights, float64). */
function treeLstm(name: TreeName): [number[][], number[][]] {
  const t = TREES[name];
  const w = Object.fromEntries(Object.entries(TREE_LSTM).map(([k, x]) => [k, Array.from(x.dataSync())]));
  const H = TREE_LSTM.bW.shape[0]! / 3;
  // row vector x [n] times the matrix m [n, cols] (row-major), plus b
  const affine = (x: number[], m: number[], b: number[]) =>
    b.map((bj, j) => bj + x.reduce((s, xi, i) => s + xi * m[i * b.length + j]!, 0));
  const part = (g: number[], k: number) => g.slice(k * H, (k + 1) * H);
  const cell = (i: number): [number[], number[]] => {
    if (t.left[i]! < 0) {
      const word = WORDS[name][i]!;
      const x = w.embedding!.slice(word * 3, word * 3 + 3);
      const g = affine(x, w.W!, w.bW!);
      const c = part(g, 0).map((ig, k) => sigmoid(ig) * Math.tanh(part(g, 2)[k]!));
      return [part(g, 1).map((og, k) => sigmoid(og) * Math.tanh(c[k]!)), c];
    }
    const [hl, cl] = cell(t.left[i]!);
    const [hr, cr] = cell(t.right[i]!);
    const g = affine([...hl, ...hr], w.U!, w.bU!);
    const [ig, fl, fr, og, ug] = [0, 1, 2, 3, 4].map((k) => part(g, k));
    const c = ig!.map(
      (_, k) => sigmoid(ig![k]!) * Math.tanh(ug![k]!) + sigmoid(fl![k]!) * cl[k]! + sigmoid(fr![k]!) * cr[k]!,
    );
    return [og!.map((o, k) => sigmoid(o) * Math.tanh(c[k]!)), c];
  };
  const [h, c] = cell(t.root);
  return [[h], [c]];
}

function lowerBound(target: number): number {
  const k = SORTED.findIndex((x) => x >= target);
  return k < 0 ? SORTED.length : k;
}

/** Ackermann with the corpus's budget: -1 where it runs out. */
function ackermann(m: number, n: number, budget: number): number {
  if (budget <= 0) return -1;
  if (m === 0) return n + 1;
  if (n === 0) return ackermann(m - 1, 1, budget - 1);
  return ackermann(m - 1, ackermann(m, n - 1, budget - 1), budget - 1);
}

function shrink(x: number[], scale: number): number[] {
  let y = x;
  while (Math.max(...y.map(Math.abs)) >= 1) y = y.map((a) => a * scale);
  return y;
}

const digits = (n: number, base: number): number => (n < base ? 1 : 1 + digits(Math.floor(n / base), base));
const collatzSteps = (n: number): number => (n <= 1 ? 0 : 1 + collatzSteps(n % 2 === 0 ? n / 2 : 3 * n + 1));

/** Per case, the expected result of each input, from the inputs as plain JS. */
const expected: Record<string, (args: unknown[], k: number) => unknown> = {
  recursion_fibonacci_float32: ([n]) => fib(n as number),
  recursion_fibonacci_int32: ([n]) => fib(n as number),
  recursion_factorial_js_base_case: ([n]) => factorial(n as number),
  recursion_tree_sum_children_under_if: (_, k) =>
    treeSum((['single', 'three', 'tree7', 'chain'] as const)[k]!),
  recursion_tree_lstm_hidden4: (_, k) => treeLstm((['single', 'three', 'tree7'] as const)[k]!),
  recursion_binary_search_lower_bound: ([, target]) => lowerBound(target as number),
  recursion_ackermann_with_budget: ([m, n, budget]) => ackermann(m as number, n as number, budget as number),
  recursion_mutual_is_even_is_odd: ([n]) => [(n as number) % 2 === 0, (n as number) % 2 === 1],
  recursion_returns_object: (_, k) => treeStats((['single', 'tree7', 'chain'] as const)[k]!),
  recursion_result_grows: ([n]) => [0, 0, ...Array.from({ length: n as number }, (_, k) => k + 1)],
  recursion_closure_over_staged_input: ([x, scale]) => shrink(x as number[], scale as number),
  recursion_js_hyperparameter: ([n, base]) => digits(n as number, base as number),
  recursion_in_nested_if: ([a, b]) => gcd(a as number, b as number),
  recursion_in_ternary: ([n]) => collatzSteps(n as number),
};

describe('the recursion corpus runs eagerly as computed in plain JS', () => {
  it('every case has an expectation', () => {
    expect(cases.map((c) => c.name).sort()).toEqual(Object.keys(expected).sort());
  });
  for (const c of cases) {
    it(c.name, () => {
      const f = ag.convert(c.fn, { form: 'eager', scope: { T, ...c.scope } });
      const inputs = c.inputs();
      inputs.forEach((args, k) => {
        const want = expected[c.name]!(args.map(plain), k);
        tf.tidy(() => {
          expectClose(plain(f(...args)), want, `${c.name} input ${k}`);
        });
      });
      tf.dispose(inputs as tf.TensorContainer);
    });
  }
});

// ---------------------------------------------------------------------------------------------
// 2. Recursion that must not stage, or must fail when it runs

const scope = { T };

/** Stages `fn` on both executors; each call must reject with a StagingError matching `message`. */
async function expectStagingError(fn: (...args: any[]) => unknown, args: () => unknown[], message: RegExp) {
  for (const executor of ['tfjs', 'onnx'] as const) {
    const staged = ag.stage(fn, { scope, executor });
    const call = staged(...args());
    await expect(call, executor).rejects.toThrow(ag.StagingError);
    await expect(call, executor).rejects.toThrow(message);
    await staged.dispose();
  }
}

describe('recursion that cannot be staged is a StagingError naming the function', () => {
  it('no base case at all: every path recurses', async () => {
    await expectStagingError(
      (x: any) => {
        function forever(y: any): any {
          if (T.sum(y) > 0) return forever(y - 1);
          return forever(y + 1);
        }
        return forever(x);
      },
      () => [tf.tensor1d([1, 2])],
      /'forever'.*recurs|recurs.*'forever'/s,
    );
  });

  it('the return dtype differs between the base case (int32) and the recursive case (float32)', async () => {
    await expectStagingError(
      (n: any) => {
        function count(k: any): any {
          if (k <= 0) return T.scalar(0, 'int32');
          return count(k - 1) + 0.5;
        }
        return count(n);
      },
      () => [tf.scalar(3)],
      /'count'.*(int32|float32)|(int32|float32).*'count'/s,
    );
  });

  it('the return rank differs between the base case (a scalar) and the recursive case (a [2] vector)', async () => {
    await expectStagingError(
      (n: any) => {
        function pairUp(k: any): any {
          if (k <= 0) return T.scalar(1);
          return T.stack([pairUp(k - 1), k]);
        }
        return pairUp(n);
      },
      () => [tf.scalar(2)],
      /'pairUp'/,
    );
  });

  // A base case these inputs never reach: down(3) steps 3, 1, -1, -3, ... past 0. It must fail when
  // the graph runs, with an error naming the function, not overflow the JS stack or run forever.
  const down = (x: any) => {
    function down(y: any): any {
      if (y == 0) return y;
      return down(y - 2);
    }
    return down(x);
  };
  const tooDeep = /'down'.*(recurs|deep)|(recurs|deep).*'down'/s;

  it('a base case these inputs never reach, on the tfjs executor: an error naming the function, not a RangeError', async () => {
    const staged = ag.stage(down, { scope, executor: 'tfjs' });
    const call = staged(tf.scalar(3, 'int32'));
    await expect(call).rejects.not.toThrow(RangeError);
    await expect(call).rejects.toThrow(tooDeep);
    await staged.dispose();
  });

  // (before the run-time depth guard, this run never ended: the loop grew its stacks without bound)
  it('a base case these inputs never reach, on ONNX Runtime: an error naming the function, not a hang', async () => {
    const staged = ag.stage(down, { scope, executor: 'onnx' });
    await expect(staged(tf.scalar(3, 'int32'))).rejects.toThrow(tooDeep);
    await staged.dispose();
  });

  it('a JS argument that changes at every level (depth + 1) under a tensor condition', async () => {
    await expectStagingError(
      (x: any) => {
        function walk(y: any, depth: number): any {
          if (T.sum(y) > 100) return [y, depth];
          return walk(y * 2, depth + 1);
        }
        return walk(x, 0);
      },
      () => [tf.tensor1d([1, 2])],
      /'walk'.*recurs|recurs.*'walk'|'walk' calls itself/s,
    );
  });
});
