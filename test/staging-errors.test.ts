/**
 * Staging errors: each case is staged and must fail with a StagingError whose message names the
 * problem, the variable where there is one, and the statement's `file:line:col` (relative to the
 * function's source text, since these functions are converted from fn.toString()).
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import * as ag from '../src/index.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// typed any: TypeScript cannot type operators on tensors
const T: any = { ...tf };
const scope = { T };
const v = (...xs: number[]) => tf.tensor1d(xs);

interface ErrorCase {
  name: string;
  fn: (...args: any[]) => unknown;
  args: () => unknown[];
  message: RegExp;
  /** Line of the statement, within the function's source text (columns depend on how vitest reindents it). */
  line?: number;
}

const frozenRandom =
  /a random number was drawn while ag\.stage traces '\w+'.*would be a constant of the graph that every call repeats/;

const cases: ErrorCase[] = [
  {
    name: 'a random function that is not staged (tf.util.shuffle) would be frozen into the graph',
    fn: (x: any) => x + T.util.shuffle([1, 2]),
    args: () => [v(1, 2)],
    message: frozenRandom,
  },
  {
    name: 'Math.random while tracing would be frozen',
    fn: (x: any) => {
      let y = x;
      if (T.sum(x) > 0) y = x * Math.random();
      return y;
    },
    args: () => [v(1, 2)],
    message: frozenRandom,
  },
  {
    name: 'loop variable changes dtype',
    fn: (x: any) => {
      let y = T.scalar(1, 'int32');
      while (T.sum(x) > 0) {
        y = T.scalar(0.5);
        x = x - 1;
      }
      return y;
    },
    args: () => [v(1, 2)],
    message: /'y' is int32 \[\] before the loop but float32 \[\] after one iteration/,
    line: 3,
  },
  {
    name: 'loop variable changes shape',
    fn: (x: any) => {
      let acc = T.scalar(0);
      while (T.sum(x) > 0) {
        acc = acc + x;
        x = x - 1;
      }
      return acc;
    },
    args: () => [v(1, 2)],
    message: /'acc' is float32 \[\] before the loop but float32 \[2\] after one iteration/,
    line: 3,
  },
  {
    name: 'JS number carried then replaced by a tensor of another shape',
    fn: (x: any) => {
      let n = 0;
      while (T.sum(x) > 0) {
        n = x;
        x = x - 1;
      }
      return n;
    },
    args: () => [v(1, 2)],
    message: /'n' is float32 \[\] before the loop but float32 \[2\] after one iteration/,
  },
  {
    name: 'branches give a variable different dtypes',
    fn: (x: any) => {
      let y = x;
      if (T.sum(x) > 0) {
        y = T.cast(x, 'int32');
      } else {
        y = x * 2;
      }
      return y;
    },
    args: () => [v(1, 2)],
    message: /'y' is int32 \[2\] in the then branch but float32 \[2\] in the else branch of the if statement/,
    line: 3,
  },
  {
    name: 'branches give a variable different shapes',
    fn: (x: any) => {
      let y = x;
      if (T.sum(x) > 0) y = T.sum(x);
      return y;
    },
    args: () => [v(1, 2)],
    message: /'y' is float32 \[\] in the then branch but float32 \[2\] in the else branch/,
    line: 3,
  },
  {
    name: 'variable defined in only one staged branch and used after',
    fn: (x: any) => {
      let y: any;
      if (T.sum(x) > 0) {
        y = x * 2;
      }
      return y;
    },
    args: () => [v(1, 2)],
    message:
      /'y' must be defined in both branches of the if statement \(it is undefined in the else branch\)/,
    line: 3,
  },
  {
    name: 'ternary branches of different dtypes',
    fn: (x: any) => (T.sum(x) > 0 ? x : T.cast(x, 'int32')),
    args: () => [v(1, 2)],
    message:
      /'the value' is float32 \[2\] in the then branch but int32 \[2\] in the else branch of the conditional expression/,
  },
  {
    name: 'a non-scalar condition',
    fn: (x: any) => {
      if (x > 0) return x;
      return -x;
    },
    args: () => [v(1, 2)],
    message: /a condition must be a scalar, got a tensor of shape \[2\]/,
    line: 2,
  },
  {
    name: 'a non-scalar loop condition',
    fn: (x: any) => {
      while (x > 0) x = x - 1;
      return x;
    },
    args: () => [v(1, 2)],
    message: /a condition must be a scalar, got a tensor of shape \[2\]/,
    line: 2,
  },
  {
    name: 'reading a symbolic value with dataSync',
    fn: (x: any) => x.dataSync()[0] + 1,
    args: () => [v(1)],
    message: /a symbolic tensor has no value while ag.stage traces/,
  },
  {
    name: 'printing a symbolic tensor through its toString',
    fn: (x: any) => `${x}`,
    args: () => [v(1)],
    message: /a symbolic tensor has no value/,
  },
  {
    name: 'an op without a registration',
    fn: (x: any) => T.diag(x),
    args: () => [v(1, 2)],
    message: /the tfjs op 'Diag' is not supported in staged code yet/,
  },
  {
    name: 'a string carried by a staged loop',
    fn: (x: any) => {
      let label = 'a';
      while (T.sum(x) > 0) {
        label = 'b';
        x = x - 1;
      }
      return [x, label];
    },
    args: () => [v(1, 2)],
    message: /'label' is string, but staged control flow can only carry tensors, numbers and booleans/,
    line: 3,
  },
  {
    name: 'a loop that reads a variable before anything defines it',
    fn: (x: any) => {
      let total: any;
      while (T.sum(x) > 0) {
        total = total + x;
        x = x - 1;
      }
      return total;
    },
    args: () => [v(1, 2)],
    message: /'total'/,
    line: 3,
  },
  {
    name: 'a loop variable that may stay undefined',
    fn: (x: any) => {
      let found: any;
      while (T.sum(x) > 0) {
        if (T.max(x) > 5) found = x;
        x = x - 1;
      }
      return found ?? x;
    },
    args: () => [v(1, 2)],
    message: /'found' must be defined in both branches/,
  },
  {
    name: 'returning a function',
    fn: (x: any) => () => x,
    args: () => [v(1)],
    message:
      /a staged function must return tensors, numbers, booleans, or arrays\/objects of them; got function/,
  },
  {
    name: 'a function argument',
    fn: (x: any, g: any) => g(x),
    args: () => [v(1), (y: any) => y],
    message: /functions cannot be arguments of a staged function/,
  },
  {
    name: 'a string tensor',
    fn: (x: any) => x,
    args: () => [tf.tensor(['a'])],
    message: /tensors of dtype string cannot be staged/,
  },
  {
    name: 'a JS loop whose condition becomes a symbolic vector',
    fn: (x: any) => {
      let c: any = true;
      let n = 0;
      while (c) {
        c = x > n;
        n++;
        if (n > 3) break;
      }
      return x;
    },
    args: () => [v(1, 2)],
    message: /a condition must be a scalar, got a tensor of shape \[2\]/,
  },
  {
    name: 'a mismatch in a nested cond inside a loop names the inner variable',
    fn: (x: any) => {
      let y = x;
      while (T.sum(x) > 0) {
        if (T.max(x) > 1) {
          y = T.cast(x, 'bool');
        }
        x = x - 1;
      }
      return y;
    },
    args: () => [v(1, 2)],
    message: /'y' is bool \[2\] in the then branch but float32 \[2\] in the else branch/,
    line: 4,
  },
  {
    name: 'a for loop whose counter turns into a vector',
    fn: (x: any) => {
      for (let i = T.scalar(0); i < T.sum(x); i = i + x) {}
      return x;
    },
    args: () => [v(1, 2)],
    message: /'i' is float32 \[\] before the loop but float32 \[2\] after one iteration/,
    line: 2,
  },
  {
    name: 'a do…while loop with a vector condition',
    fn: (x: any) => {
      do {
        x = x - 1;
      } while (x > 0);
      return x;
    },
    args: () => [v(3, 4)],
    message: /a condition must be a scalar, got a tensor of shape \[2\]/,
  },
  {
    name: '&& whose operands have different dtypes',
    fn: (x: any) => T.sum(x) > 0 && T.cast(T.sum(x), 'int32'),
    args: () => [v(1, 2)],
    message: /'the value' is int32 \[\] in the then branch but bool \[\] in the else branch/,
  },
  {
    name: '|| whose operands have different dtypes',
    fn: (x: any) => T.sum(x) > 0 || T.sum(x),
    args: () => [v(1, 2)],
    message: /'the value' is bool \[\] in the then branch but float32 \[\] in the else branch/,
  },
  {
    name: 'a ternary with an undefined branch',
    fn: (x: any) => [T.sum(x) > 0 ? x : undefined],
    args: () => [v(1, 2)],
    message: /'the value' must be defined in both branches of the conditional expression/,
  },
  {
    name: 'two returns of different dtypes',
    fn: (x: any) => {
      if (T.sum(x) > 0) return x;
      return T.cast(x, 'int32');
    },
    args: () => [v(1, 2)],
    message: /'the return value' is float32 \[2\] in the then branch but int32 \[2\] in the else branch/,
    line: 2,
  },
  {
    name: 'iterating a symbolic scalar',
    fn: (x: any) => {
      let t = T.scalar(0);
      for (const e of T.sum(x)) t = t + e;
      return t;
    },
    args: () => [v(1, 2)],
    message: /a scalar tensor cannot be iterated/,
    line: 3,
  },
  {
    name: 'returning a string',
    fn: (x: any) => ['ok', x],
    args: () => [v(1)],
    message: /got string/,
  },
  {
    name: 'an inner loop changes a variable of the outer loop',
    fn: (x: any) => {
      let y = T.scalar(0);
      while (T.sum(x) > 0) {
        while (T.max(x) > 1) {
          y = x;
          x = x - 1;
        }
        x = x - 1;
      }
      return y;
    },
    args: () => [v(1, 2)],
    message: /'y' is float32 \[\] before the loop but float32 \[2\] after one iteration/,
    line: 4,
  },
  {
    name: 'a for…of over rows whose accumulator changes shape',
    fn: (m: any) => {
      let acc = T.scalar(0);
      for (const row of m) acc = acc + row;
      return acc;
    },
    args: () => [
      tf.tensor2d([
        [1, 2],
        [3, 4],
      ]),
    ],
    message: /'acc' is float32 \[\] before the loop but float32 \[2\] after one iteration/,
    line: 3,
  },
  // TensorFlow AutoGraph's reference test loop_with_variable_type_illegal_cases, re-created
  {
    name: 'loop_with_variable_type illegal case: an int32 loop variable becomes float32',
    fn: (n: any) => {
      let i = T.scalar(0, 'int32');
      while (i < n) {
        i = T.cast(i, 'float32') + 1.5;
      }
      return i;
    },
    args: () => [tf.scalar(3, 'int32')],
    message: /'i' is int32 \[\] before the loop but float32 \[\] after one iteration/,
  },
  {
    name: 'loop_with_variable_type illegal case: a loop variable becomes undefined',
    fn: (x: any) => {
      let y: any = x;
      while (T.sum(x) > 0) {
        y = undefined;
        x = x - 1;
      }
      return [x, y ?? x];
    },
    args: () => [v(1, 2)],
    message: /'y' is undefined, but staged control flow can only carry tensors, numbers and booleans/,
  },
  {
    name: 'loop_with_variable_type illegal case: a loop variable changes shape',
    fn: (x: any) => {
      let s = T.sum(x);
      while (T.sum(x) > 0) {
        s = T.stack([s, s]);
        x = x - 1;
      }
      return s;
    },
    args: () => [v(1, 2)],
    message: /'s' is float32 \[\] before the loop but float32 \[2\] after one iteration/,
  },
];

describe('staging errors', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const staged = ag.stage(c.fn, { scope });
    const error = await staged(...(c.args() as [])).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error, 'should have failed').toBeInstanceOf(ag.StagingError);
    const message = (error as Error).message;
    expect(message).toMatch(c.message);
    if (c.line) expect(message).toMatch(new RegExp(`^<fn>:${c.line}:\\d+: `));
  });

  it('a seeded random op stages as the values it gives eagerly on every call; Math.random is restored', async () => {
    const staged = ag.stage((x: any) => x + T.randomNormal([2], 0, 1, 'float32', 7), { scope });
    const eager = Array.from(tf.add(v(1, 2), tf.randomNormal([2], 0, 1, 'float32', 7)).dataSync());
    for (let call = 0; call < 2; call++)
      expect(Array.from((await staged(v(1, 2))).dataSync())).toEqual(eager);
    await ag
      .stage((x: any) => x * Math.random(), { scope })(v(1))
      .catch(() => {});
    expect(Math.random()).toBeLessThan(1);
  });

  it('a trace that overflows the call stack is a StagingError saying so (with the RangeError as its cause)', async () => {
    // recursion that JS values decide unrolls while tracing, a level per call
    function deep(n: any, k: number): any {
      return k === 0 ? n : deep(T.add(n, 1), k - 1);
    }
    const error = await ag
      .stage((x: any) => deep(x, 100000), { scope: { ...scope, deep } })(v(5))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ag.StagingError);
    expect((error as Error).message).toMatch(/^'staged' overflowed the call stack while being traced/);
    expect((error as Error).cause).toBeInstanceOf(RangeError);
  });

  it('leaves the tfjs backend as it was after a failed trace', async () => {
    await ag
      .stage((x: any) => x.dataSync(), { scope })(v(1))
      .catch(() => {});
    expect(tf.getBackend()).toBe('cpu');
    expect(Array.from(tf.add(v(1), 1).dataSync())).toEqual([2]);
  });
});

describe('large unrolled loops', () => {
  /** The AutoGraph warnings emitted while `run` runs. */
  async function warnings(run: () => Promise<unknown>): Promise<string[]> {
    const seen: string[] = [];
    const listener = (w: Error & { code?: string }) => {
      if (w.code === 'AUTOGRAPH_LARGE_UNROLL') seen.push(w.message);
    };
    process.on('warning', listener);
    try {
      await run();
      await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
    } finally {
      process.off('warning', listener);
    }
    return seen;
  }

  it('a JS-counted loop that unrolls into a large graph warns once, naming its line', async () => {
    const train = ag.stage(
      (x: any, steps: number) => {
        for (let s = 0; s < steps; s++) x = T.tanh(x * 0.5 + T.sum(x) * 0.1 - 1) * 2 + T.mean(x);
        return x;
      },
      { scope },
    );
    const seen = await warnings(() => train(v(1, 2), 200));
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatch(
      /^<\w+>:2:\d+: large unrolled loop: its condition is a JS value, so it ran \d+ iterations/,
    );
    expect(seen[0]).toContain('make its condition a tensor');
  });

  it('a short JS loop (layers, a few steps) does not warn', async () => {
    const f = ag.stage(
      (x: any) => {
        for (let s = 0; s < 5; s++) x = T.tanh(x);
        return x;
      },
      { scope },
    );
    expect(await warnings(() => f(v(1, 2)))).toEqual([]);
  });
});
