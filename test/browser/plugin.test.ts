/**
 * autograph-ts/vite in Vite's dev server (vitest browser mode serves modules through it): the modules
 * of test/browser/fixtures/ opt in and get converted twins that keep their closures; staged functions
 * run on onnxruntime-web; their ONNX export works in the page; the source maps point at the .ts lines.
 */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import * as ag from '../../dist/index.js';
import { lookup, shrink, stagedShrink } from './fixtures/app.ts';
import { clampSum } from './fixtures/directive.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('the Vite plugin in the dev server', () => {
  it('gives functions of a module that imports autograph-ts twins that see its module variables', () => {
    const f = ag.convert(shrink);
    expect(f(40, 3)).toEqual([2.5, 4]);
    const [t, n] = f(tf.scalar(40), 3) as [tf.Tensor, number];
    expect(t.dataSync()[0]).toBe(2.5);
    expect(n).toBe(4);
    expect(ag.toCode(shrink)).toContain('ag__');
  });

  it("converts a module that opts in with 'use autograph'", () => {
    const f = ag.convert(clampSum);
    expect(f([3, 4, 5])).toBe(7);
    expect(tf.tidy(() => (f(tf.tensor2d([[3], [4], [5]])) as tf.Tensor).dataSync()[0])).toBe(7);
  });

  it('stages on onnxruntime-web and exports ONNX bytes that onnxruntime-web runs', async () => {
    const [x, n] = (await stagedShrink(tf.ones([4]))) as tf.Tensor[];
    expect(Array.from(x!.dataSync())).toEqual([0.25, 0.25, 0.25, 0.25]);
    expect(n!.dataSync()[0]).toBe(2);
    const bytes = stagedShrink.exportOnnxBytes(tf.ones([4]));
    const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
    const out = await session.run({ input0: new ort.Tensor('float32', new Float32Array([2, 2, 2, 2]), [4]) });
    expect(Array.from(out.output0!.data as Float32Array)).toEqual([0.25, 0.25, 0.25, 0.25]);
    expect(Number((out.output1!.data as Int32Array)[0])).toBe(3);
    await session.release();
    await expect(stagedShrink.exportOnnx([tf.ones([4])], 'x.onnx')).rejects.toThrow(/exportOnnxBytes/);
  });

  it('reports a failure inside onnxruntime-web as an ExecutionError naming the op', async () => {
    const staged = ag.stage(lookup);
    const error = await staged(tf.tensor1d([1, 2, 3]), tf.scalar(7, 'int32')).catch((e) => e);
    expect(error).toBeInstanceOf(ag.ExecutionError);
    expect(String(error.message)).toMatch(/gather/i);
    await staged.dispose();
  });

  it('serves the converted module with a source map back to the .ts file', async () => {
    const served = await (await fetch(new URL('./fixtures/app.ts', import.meta.url))).text();
    const inline = /sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)/.exec(served);
    expect(inline).not.toBeNull();
    const map = JSON.parse(atob(inline![1]!));
    expect(map.sources.some((s: string) => s.endsWith('app.ts'))).toBe(true);
    expect(map.sourcesContent.join('\n')).toContain('while (x > limit)');
    expect(served).toContain('ag__');
  });
});
