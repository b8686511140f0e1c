/**
 * Tracing: runs code on symbolic tensors with the recording backend active, so that the tfjs ops it
 * calls (and the control flow the graph-form runtime stages) become an IR function.
 */
import { StagingError } from '../errors.ts';
import { IRFunction, type Value } from '../ir/graph.ts';
import type { TensorType } from '../ir/types.ts';
import { verify } from '../ir/verify.ts';
import { isTensor, tf } from '../runtime/tensors.ts';
import { type Recorder, recordingBackend, STAGING_BACKEND } from './recording-backend.ts';
import { routeTapeGradients } from './gradients/tape.ts';
import { Trace, userLocation } from './trace.ts';

/**
 * Traces `build`, which receives one symbolic tensor per input type and returns the IR values of
 * the outputs. Every tensor made while tracing is released; the active backend is restored.
 */
export function withTrace(
  name: string,
  inputTypes: TensorType[],
  build: (recorder: Recorder, inputs: unknown[]) => Value[],
): IRFunction {
  const t = tf();
  const recorder = recordingBackend();
  routeTapeGradients();
  if (recorder.trace) throw new StagingError(`'${name}' is staged while another function is being traced`);
  const trace = new Trace();
  const previous = t.getBackend();
  const random = Math.random;
  Math.random = () => {
    throw new StagingError(frozenRandom(name, trace));
  };
  recorder.trace = trace;
  void t.setBackend(STAGING_BACKEND); // synchronous: the backend object already exists
  try {
    const body = trace.region(inputTypes, (params) => {
      let results: Value[] = [];
      t.tidy(() => {
        results = build(
          recorder,
          params.map((p) => recorder.tensorFor(p)),
        );
      });
      return results;
    });
    body.nodes.unshift(...trace.constants);
    const ir = new IRFunction(name, body, trace.values);
    verify(ir);
    return ir;
  } finally {
    recorder.trace = null;
    Math.random = random;
    void t.setBackend(previous);
  }
}

/**
 * Why a random number drawn while tracing is an error: it would be frozen into the graph, and every
 * call would repeat it (a `Math.random()`, or a tfjs random op called from a library, draws one).
 */
function frozenRandom(name: string, trace: Trace): string {
  return (
    `${userLocation(trace)}a random number was drawn while ag.stage traces '${name}' (Math.random, or an unseeded random op of tfjs): ` +
    'staged, it would be a constant of the graph that every call repeats. Staged random ops are tf.randomUniform, tf.randomUniformInt, ' +
    'tf.randomNormal, tf.randomStandardNormal, tf.truncatedNormal, tf.randomGamma, tf.multinomial and tf.dropout ' +
    '(float32 or int32, called from converted code, not from a library); otherwise draw the random tensor outside the staged function and pass it in ' +
    '(or give the op a seed: every call then repeats its values, as it does eagerly)'
  );
}

/** The IR of `fn` called with symbolic tensors of `inputTypes`; it must return a tensor or an array of them. */
export function traceFunction(
  name: string,
  fn: (...inputs: any[]) => unknown,
  inputTypes: TensorType[],
): IRFunction {
  return withTrace(name, inputTypes, (recorder, inputs) => {
    const out = fn(...inputs);
    return (Array.isArray(out) ? out : [out]).map((o, i) => {
      if (!isTensor(o)) throw new StagingError(`'${name}' must return tensors; output ${i} is ${typeof o}`);
      return recorder.valueFor(o as any);
    });
  });
}
