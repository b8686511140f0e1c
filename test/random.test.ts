/**
 * Random ops in staged code: an unseeded tf.randomUniform / tf.randomNormal / tf.dropout is a random
 * node that draws fresh values on every run (never a constant), with the distribution eager tfjs
 * gives, on both executors; a seeded one gives what it gives eagerly; what is not staged is a located
 * StagingError. Sample sizes make the statistical bounds (6 standard errors and more) hold.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import * as ag from '../src/index.ts';
import type { Tf } from './staged/common.ts';

const T: Tf = { ...tf };
const N = 4000;
const scope = { T, N };

const values = async (f: ag.StagedFunction<any>, ...args: unknown[]) =>
  Array.from(((await f(...args)) as tf.Tensor).dataSync());
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const std = (xs: number[]) => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));

for (const executor of ['tfjs', 'onnx'] as const) {
  describe(`random ops staged (${executor})`, () => {
    it('randomNormal: fresh values each run, the mean and deviation asked for', async () => {
      const f = ag.stage((x: any) => x + T.randomNormal([N], 2, 0.5), { scope, executor });
      const [a, b] = [await values(f, tf.zeros([N])), await values(f, tf.zeros([N]))];
      expect(a).not.toEqual(b);
      expect(Math.abs(mean(a) - 2)).toBeLessThan(0.05);
      expect(Math.abs(std(a) - 0.5)).toBeLessThan(0.05);
      expect(f.graph(tf.zeros([N]))).toContain('RandomNormal()');
    });

    it('randomUniform: within [min, max), uniform; two draws in one run differ', async () => {
      const f = ag.stage((x: any) => [x + T.randomUniform([N], -1, 3), T.randomUniform([N], -1, 3)], {
        scope,
        executor,
      });
      const [a, b] = ((await f(tf.zeros([N]))) as tf.Tensor[]).map((t) => Array.from(t.dataSync()));
      expect(a).not.toEqual(b);
      expect(Math.min(...a)).toBeGreaterThanOrEqual(-1);
      expect(Math.max(...a)).toBeLessThan(3);
      expect(Math.abs(mean(a) - 1)).toBeLessThan(0.1);
      expect(a.filter((v) => v < 1).length / N).toBeCloseTo(0.5, 1);
    });

    it('dropout keeps 1 - rate of the elements, scaled by 1 / (1 - rate), fresh each run', async () => {
      const f = ag.stage((x: any) => T.dropout(x, 0.25), { scope, executor });
      const [a, b] = [await values(f, tf.ones([N])), await values(f, tf.ones([N]))];
      expect(a).not.toEqual(b);
      expect(Math.abs(a.filter((v) => v > 0).length / N - 0.75)).toBeLessThan(0.05);
      expect(new Set(a.map((v) => v.toFixed(4)))).toEqual(new Set(['0.0000', '1.3333']));
    });

    it('inside a staged loop, each iteration draws anew', async () => {
      const f = ag.stage(
        (x: any) => {
          const rows = [];
          for (const r of x) rows.push(r + T.randomNormal([4]));
          return T.stack(rows);
        },
        { scope, executor },
      );
      const out = (await f(tf.zeros([3, 4]))).arraySync() as number[][];
      expect(out[0]).not.toEqual(out[1]);
    });
  });
}

describe('random ops staged: seeds, sessions and refusals', () => {
  it('a seeded op gives the values it gives eagerly, on every call', async () => {
    const f = ag.stage((x: any) => x + T.randomUniform([5], 0, 1, 'float32', 3), { scope });
    const eager = Array.from(tf.randomUniform([5], 0, 1, 'float32', 3).dataSync());
    expect(await values(f, tf.zeros([5]))).toEqual(eager);
    expect(await values(f, tf.zeros([5]))).toEqual(eager);
  });

  it('two ONNX Runtime sessions of one function draw different sequences', async () => {
    const fn = (x: any) => x + T.randomNormal([8]);
    const [f, g] = [ag.stage(fn, { scope }), ag.stage(fn, { scope })];
    expect(await values(f, tf.zeros([8]))).not.toEqual(await values(g, tf.zeros([8])));
  });

  it('an integer dtype, a run-time shape or truncatedNormal is a located StagingError', async () => {
    const cases: [(x: any) => unknown, RegExp][] = [
      [
        (x: any) => x + T.randomUniform([2], 0, 10, 'int32'),
        /tf\.randomUniform of dtype int32 is not staged yet/,
      ],
      [
        (x: any) => x + T.randomNormal([x.shape[0]]),
        /tf\.randomNormal with a run-time shape is not staged yet/,
      ],
      [(x: any) => x + T.truncatedNormal([2]), /a random number was drawn while ag\.stage traces/],
    ];
    for (const [fn, message] of cases) {
      const f = ag.stage(fn, { scope, inputSignature: [ag.spec([null])] });
      await expect(f(tf.zeros([2]))).rejects.toThrow(message);
    }
  });
});
