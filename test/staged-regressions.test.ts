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
