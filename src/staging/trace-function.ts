/**
 * Tracing: runs a function on symbolic tensors with the recording backend active, so that the tfjs
 * ops it calls become the body of an IR function. (Control flow on symbolic values is recorded by
 * the graph-form runtime operators; this is the entry point they build on.)
 */
import { IRFunction } from '../ir/graph.ts';
import type { TensorType } from '../ir/types.ts';
import { verify } from '../ir/verify.ts';
import { StagingError } from '../errors.ts';
import { isTensor, tf } from '../runtime/tensors.ts';
import { recordingBackend, STAGING_BACKEND } from './recording-backend.ts';
import { Trace } from './trace.ts';

/** The IR of `fn` called with symbolic tensors of `inputTypes`; it must return a tensor or an array of them. */
export function traceFunction(
  name: string,
  fn: (...inputs: any[]) => unknown,
  inputTypes: TensorType[],
): IRFunction {
  const t = tf();
  const recorder = recordingBackend();
  const trace = new Trace();
  const previous = t.getBackend();
  recorder.trace = trace;
  void t.setBackend(STAGING_BACKEND); // synchronous: the backend is already created
  try {
    const body = trace.region(inputTypes, (params) => {
      let results: ReturnType<typeof recorder.valueFor>[] = [];
      t.tidy(() => {
        const out = fn(...params.map((p) => recorder.tensorFor(p)));
        const outputs = Array.isArray(out) ? out : [out];
        results = outputs.map((o, i) => {
          if (!isTensor(o))
            throw new StagingError(`'${name}' must return tensors; output ${i} is ${typeof o}`);
          return recorder.valueFor(o as any);
        });
      });
      return results;
    });
    const ir = new IRFunction(name, body, trace.values);
    verify(ir);
    return ir;
  } finally {
    recorder.trace = null;
    void t.setBackend(previous);
  }
}
