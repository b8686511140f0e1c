/**
 * What the optimization passes do to staged loops (the nodes a backend pays for on every iteration),
 * checked on the printed IR; the staged results are compared with eager ones.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import * as ag from '../src/index.ts';

const T: any = tf;
const scope = { T };
const data = (t: any) => Array.from((t as tf.Tensor).dataSync());

/** The body of the (first) while loop in the printed IR. */
const loopBody = (ir: string) => ir.slice(ir.indexOf('body('), ir.indexOf('yield', ir.indexOf('body(')));

describe('passes on staged loops', () => {
  it("a for…of index and the user's own counter are one loop value", async () => {
    const fn = (xs: any) => {
      let t = T.scalar(0, 'int32');
      let s = T.scalar(0);
      for (const x of xs) {
        s = s + T.sum(x) * T.cast(t, 'float32');
        t = t + 1;
      }
      return [s, t];
    };
    const f = ag.stage(fn, { scope });
    const xs = tf.tensor([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect((await f(xs)).map(data)).toEqual([[0 * 3 + 1 * 7 + 2 * 11], [3]]);
    const body = loopBody(f.graph(xs));
    expect(body.match(/= Add\(/g)?.length).toBe(2); // s's and the one counter's
  });

  it("tf.norm's sum of squares is one SumSquares", async () => {
    const f = ag.stage((x: any) => T.norm(x), { scope });
    const x = tf.tensor([3, 4]);
    expect(data(await f(x))).toEqual([5]);
    expect(f.graph(x)).toMatch(/SumSquares\(/);
    expect(f.graph(x)).not.toMatch(/= Square\(|= Sum\(/);
  });

  it('a staged break flag is logic, not a bool Select', async () => {
    const fn = (x: any) => {
      let i = T.scalar(0);
      while (i < 10) {
        x = x * 2;
        i = i + 1;
        if (T.sum(x) > 100) break;
      }
      return [x, i];
    };
    const f = ag.stage(fn, { scope });
    const x = tf.tensor([1, 2]);
    expect((await f(x)).map(data)).toEqual(ag.convert(fn, { scope })(x).map(data));
    const ir = f.graph(x);
    expect(ir).not.toMatch(/bool\[\] = Select\(/);
  });
});
