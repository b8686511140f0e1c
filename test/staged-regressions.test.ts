/** Staged programs that once went wrong (found by the staged fuzzer), each compared with eager. */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import * as ag from '../src/index.ts';
import { difference, toArrays } from './staged/compare.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// typed any: TypeScript cannot type operators on tensors
const T: any = { ...tf };
const scope = { T };

const cases: { name: string; fn: (...args: any[]) => unknown; args: () => unknown[] }[] = [
  {
    // Staged fuzz, seed 4242: ONNX lowered log1p as Log(1 + x), 0 in float32 for tiny x, where tfjs
    // gives x; the loop drives y to ~1e-8, and `a` came out 0 instead of 4.6e-4.
    name: 'log1p and expm1 of tiny values, on ONNX as in tfjs',
    fn: (x: any, y: any) => {
      let a = T.sum(x) * 0.5;
      let f1 = 0;
      while (f1 < 2 && a < 0.25) {
        f1 = f1 + 1;
        for (let i2 = 0; i2 < 2; i2++) {
          x = T.log1p(T.abs(y));
          y *= x;
        }
      }
      for (const r3 of x) {
        for (const r4 of x) {
          a = T.sum(x + a);
        }
      }
      return [x, y, a, T.log1p(T.mul(y, 1e-3)), T.expm1(T.mul(y, 1e-3)), T.expm1(T.neg(y))];
    },
    args: () => [tf.tensor1d([0, 0, 0]), tf.tensor1d([0, 0, 0.125])],
  },
  {
    name: 'a variable assigned in a staged branch and dead afterwards',
    fn: (x: any, y: any) => {
      let a = T.sum(x);
      if (a >= 0) {
        while (T.min(y) >= 0) {
          if (T.min(x) > 2) {
            a = T.relu(T.sum(y));
          } else {
            break;
          }
        }
      }
      return x;
    },
    args: () => [tf.tensor1d([1, 2, 3]), tf.tensor1d([1, 1, 1])],
  },
  {
    name: 'break inside for…of over a tensor',
    fn: (x: any, y: any) => {
      let b = T.sum(y);
      for (const r of x) {
        b = b - 1;
        break;
      }
      return b;
    },
    args: () => [tf.tensor1d([1, 2, 3]), tf.tensor1d([0.25, 0.5, 0.0625])],
  },
  {
    name: 'assignments in a staged loop test are kept',
    fn: (x: any) => {
      let f = 0;
      while (f++ < 6 && T.sum(x) < 20) {
        x = x + 1;
      }
      return [x, f];
    },
    args: () => [tf.tensor1d([1, -2, 0.5])],
  },
  {
    name: 'a return under a JS if that this trace never takes',
    fn: (x: any, y: any, n: number) => {
      let k = 0;
      do {
        if (n % 2 === 1) {
          x = x * 2;
        } else {
          return -y;
        }
        k++;
      } while (T.sum(x) < 40 && k < 10);
      return x;
    },
    args: () => [tf.tensor1d([1, 2, 0.5]), tf.tensor1d([1, 1, 1]), 3],
  },
];

describe('staged regressions', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const eager = ag.convert(c.fn, { form: 'eager', scope })(...c.args());
    const staged = await ag.stage(c.fn, { scope })(...(c.args() as []));
    expect(difference(toArrays(eager), toArrays(staged), { abs: 0, rel: 0 })).toBeNull();
  });
});

/**
 * Found by the staged fuzzer's dynamic mode: a value with a dynamic dim returned early from a staged
 * loop, from under two staged `if`s, or from a staged `if` followed by a loop. Where the return value
 * is not set yet (before the loop; in the branch that does not return) it is a placeholder of the type
 * it has elsewhere, which needed a static size ("a loop variable of type f32[?] has a dynamic
 * dimension"); a dynamic dim now enters empty.
 */
describe('early returns of dynamic-length values', () => {
  const returnInForOf = (x: any) => {
    for (const r of x) {
      return x * 2;
    }
    return x;
  };
  const returnInWhile = (x: any) => {
    let f = 0;
    while (f < 2 && T.sum(x) > 0) {
      f = f + 1;
      return x * 2;
    }
    return x;
  };
  const returnUnderTwoIfs = (x: any) => {
    if (T.sum(x) > 0) {
      if (T.sum(x) > 1) {
        return x - 1;
      }
    }
    return x;
  };
  const returnUnderIfBeforeLoop = (x: any) => {
    const n = 0;
    if (T.sum(x) > 0) {
      if (n === 0) {
        return x * 2;
      }
    }
    for (const r of x) {
      x = x + 1;
    }
    return x;
  };
  const sizes = [3, 5];
  const check = async (fn: (x: any) => unknown, f: (x: any) => Promise<unknown>) => {
    for (const size of sizes) {
      const x = () => tf.range(1, size + 1);
      const eager = ag.convert(fn, { form: 'eager', scope })(x());
      expect(difference(toArrays(eager), toArrays(await f(x())), { abs: 0, rel: 0 })).toBeNull();
    }
  };
  for (const [name, fn] of [
    ['from for…of', returnInForOf],
    ['from while', returnInWhile],
    ['under two staged ifs', returnUnderTwoIfs],
    ['under a staged if before a loop', returnUnderIfBeforeLoop],
  ] as const) {
    for (const executor of ['tfjs', 'onnx', 'js'] as const) {
      it(`an early return of a dynamic-length value ${name} (input signature, ${executor})`, async () => {
        await check(fn, ag.stage(fn, { scope, executor, inputSignature: [ag.spec([null])] }));
      });
    }
    it(`an early return of a dynamic-length value ${name} (relaxed retrace)`, async () => {
      await check(fn, ag.stage(fn, { scope }));
    });
  }
});
