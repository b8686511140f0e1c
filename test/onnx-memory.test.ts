/**
 * Memory on ONNX Runtime, in a process of its own (vitest runs each file in a fork) so that other
 * tests' allocations (onnxruntime-web's WASM heap) do not count.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import * as ag from '../src/index.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

const T: any = { ...tf };
const scope = { T };

/** A full collection, so that RSS counts live memory rather than garbage not yet collected. */
function collectGarbage(): void {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
}

describe('memory', () => {
  it('10,000 staged calls on ONNX Runtime (after 10,000 more) keep the tfjs tensor count and RSS stable', async () => {
    const f = ag.stage(
      (x: any) => {
        while (T.sum(x) > 1) x = x * 0.5;
        return x;
      },
      { scope },
    );
    const x = tf.ones([64]);
    const call = async () => (await f(x)).dispose();
    /** RSS after `n` calls and a full collection, in MiB. */
    const rssAfter = async (n: number) => {
      for (let i = 0; i < n; i++) await call();
      collectGarbage();
      return process.memoryUsage().rss / 2 ** 20;
    };
    // The first 10,000 calls settle the allocators (V8's heap, ORT's arena, the JIT); the next
    // 10,000 must not grow: a leak of 1 KB per call would add 10 MiB.
    const settled = await rssAfter(10_000);
    const tensors = tf.memory().numTensors;
    const grown = (await rssAfter(10_000)) - settled;
    expect(tf.memory().numTensors).toBe(tensors);
    expect(grown, `RSS grew by ${grown.toFixed(1)} MiB`).toBeLessThan(8);
    x.dispose();
    await f.dispose();
  });
});
