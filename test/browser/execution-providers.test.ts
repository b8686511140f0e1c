/**
 * The `executionProviders` session option in the page: WebGPU (Chromium started with
 * --enable-unsafe-webgpu; headless it is a software adapter, so this checks results, not speed; the
 * test is skipped where no adapter starts) and WebGL (onnxruntime-web's full build, loaded when a
 * session asks for it).
 */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import * as ag from '../../dist/index.js';

const T: { [K in keyof typeof tf]: any } = tf;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const w = tf.tensor2d([0.5, -1, 2, 0.25, 1, -0.5], [3, 2]);
const b = tf.tensor1d([0.1, -0.2]);
/** A dense layer and a data-dependent loop (WebGPU runs the loop's ops; ORT places what it cannot on the CPU). */
function layer(x: any) {
  let y = T.tanh(T.matMul(x, w) + b);
  while (T.sum(T.abs(y)) > 0.5) y = y * 0.5;
  return y;
}
/** Without control flow, for WebGL (whose execution provider has no If/Loop). */
const dense = (x: any) => T.tanh(T.matMul(x, w) + b);

async function adapter(): Promise<unknown> {
  const gpu = (globalThis as any).navigator?.gpu;
  return gpu ? await gpu.requestAdapter().catch(() => null) : null;
}

const x = () => tf.tensor2d([1, 2, 3, -1, 0, 1], [2, 3]);
const scope = { T, w, b };

describe('execution providers', () => {
  it('webgpu: staged results equal eager ones', async (context) => {
    if (!(await adapter())) context.skip();
    const staged = ag.stage(layer, { scope, sessionOptions: { executionProviders: ['webgpu'] } });
    const got = (await staged(x())) as tf.Tensor;
    const want = ag.convert(layer, { scope })(x()) as tf.Tensor;
    expect(Array.from(got.dataSync())).toEqual(Array.from(want.dataSync()).map((v) => expect.closeTo(v, 5)));
    await staged.dispose();
  });

  it('webgl: staged results equal eager ones', async () => {
    const staged = ag.stage(dense, { scope, sessionOptions: { executionProviders: ['webgl'] } });
    const got = (await staged(x())) as tf.Tensor;
    const want = ag.convert(dense, { scope })(x()) as tf.Tensor;
    expect(Array.from(got.dataSync())).toEqual(Array.from(want.dataSync()).map((v) => expect.closeTo(v, 5)));
    await staged.dispose();
  });
});
