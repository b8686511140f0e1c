/**
 * ONNX Runtime session options: a staged function's sessions get ONNX Runtime's defaults (only its
 * log quieted) unless the function or `ag.setSessionOptions` gives others.
 */
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as ag from '../src/index.ts';

const ort = createRequire(import.meta.url)('onnxruntime-node') as typeof import('onnxruntime-node');

/** The options of every session created while `run` runs. */
async function optionsOf(run: () => Promise<unknown>): Promise<unknown[]> {
  const create = vi.spyOn(ort.InferenceSession, 'create');
  await run();
  const seen = create.mock.calls.map((c) => c[1]);
  create.mockRestore();
  return seen;
}

// (test/setup.ts gives every other file one-thread sessions)
beforeEach(() => ag.setSessionOptions({}));
afterEach(() => ag.setSessionOptions({}));

describe('session options', () => {
  it("ONNX Runtime's defaults by default", async () => {
    const f = ag.stage((x: any) => x * 2);
    expect(await optionsOf(() => f(tf.ones([2])))).toEqual([{ logSeverityLevel: 4 }]);
    await f.dispose();
  });

  it("a staged function's own options, passed through", async () => {
    const sessionOptions = {
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'basic' as const,
    };
    const f = ag.stage((x: any) => x * 2, { sessionOptions });
    expect(await optionsOf(() => f(tf.ones([2])))).toEqual([{ logSeverityLevel: 4, ...sessionOptions }]);
    expect(Array.from((await f(tf.ones([2]))).dataSync())).toEqual([2, 2]);
    await f.dispose();
  });

  it('ag.setSessionOptions: the default of functions that give none', async () => {
    ag.setSessionOptions({ intraOpNumThreads: 2, enableProfiling: false });
    const f = ag.stage((x: any) => x + 1);
    const g = ag.stage((x: any) => x - 1, { sessionOptions: { intraOpNumThreads: 1 } });
    expect(await optionsOf(() => f(tf.ones([2])))).toEqual([
      { logSeverityLevel: 4, intraOpNumThreads: 2, enableProfiling: false },
    ]);
    expect(await optionsOf(() => g(tf.ones([2])))).toEqual([{ logSeverityLevel: 4, intraOpNumThreads: 1 }]);
    await Promise.all([f.dispose(), g.dispose()]);
  });

  it('options ONNX Runtime rejects fail the call with an ExecutionError', async () => {
    const f = ag.stage((x: any) => x * 2, { sessionOptions: { executionProviders: ['no-such-provider'] } });
    await expect(f(tf.ones([2]))).rejects.toThrow(ag.ExecutionError);
  });
});
