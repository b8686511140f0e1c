/**
 * The ONNX Runtime executor: one InferenceSession per IR function, created on first use and cached;
 * tensors cross between tfjs and ORT as typed arrays.
 */
import { createRequire } from 'node:module';
import { AutoGraphError } from '../../errors.ts';
import type { IRFunction } from '../../ir/graph.ts';
import type { Tensor, Tf } from '../../ir/ops/index.ts';
import { lowerToOnnx } from './lower.ts';

type Ort = typeof import('onnxruntime-node');
let ortModule: Ort | undefined;
const ort = (): Ort => (ortModule ??= createRequire(import.meta.url)('onnxruntime-node') as Ort);

const sessions = new WeakMap<IRFunction, Promise<import('onnxruntime-node').InferenceSession>>();

/** Raised when ONNX Runtime fails to load or run a staged function. */
export class ExecutionError extends AutoGraphError {
  override name = 'ExecutionError';
}

export function session(fn: IRFunction) {
  let s = sessions.get(fn);
  if (!s) {
    const bytes = lowerToOnnx(fn);
    s = ort()
      .InferenceSession.create(bytes, {
        executionProviders: ['cpu'],
        intraOpNumThreads: 1,
        interOpNumThreads: 1,
      })
      .catch((e: Error) => {
        throw new ExecutionError(`ONNX Runtime could not load '${fn.name}': ${e.message}`);
      });
    sessions.set(fn, s);
  }
  return s;
}

export async function executeOnnx(fn: IRFunction, inputs: Tensor[], tf: Tf): Promise<Tensor[]> {
  const s = await session(fn);
  const feeds: Record<string, import('onnxruntime-node').Tensor> = {};
  inputs.forEach((t, i) => {
    const data =
      t.dtype === 'bool'
        ? Uint8Array.from(t.dataSync() as Uint8Array)
        : (t.dataSync() as Float32Array | Int32Array);
    feeds[`input${i}`] = new (ort().Tensor)(t.dtype as 'float32', data as Float32Array, t.shape);
  });
  let results: Record<string, import('onnxruntime-node').Tensor>;
  try {
    results = await s.run(feeds);
  } catch (e) {
    throw new ExecutionError(`ONNX Runtime failed running '${fn.name}': ${(e as Error).message}`);
  }
  return fn.body.results.map((v, i) => {
    const out = results[`output${i}`]!;
    return tf.tensor(out.data as Float32Array, [...v.type.shape], v.type.dtype);
  });
}
