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
  it('10,000 staged calls on ONNX Runtime keep the tfjs tensor count and RSS stable', async () => {
    const f = ag.stage(
      (x: any) => {
        while (T.sum(x) > 1) x = x * 0.5;
        return x;
      },
      { scope },
    );
    const x = tf.ones([64]);
    const call = async () => (await f(x)).dispose();
    for (let i = 0; i < 1000; i++) await call(); // warm-up: trace, session, allocator pools, JIT
    collectGarbage();
    const tensors = tf.memory().numTensors;
    const rss = process.memoryUsage().rss;
    for (let i = 0; i < 10_000; i++) await call();
    collectGarbage();
    const grown = (process.memoryUsage().rss - rss) / 2 ** 20;
    expect(tf.memory().numTensors).toBe(tensors);
    expect(grown, `RSS grew by ${grown.toFixed(1)} MiB`).toBeLessThan(16);
    x.dispose();
    await f.dispose();
  });
});
