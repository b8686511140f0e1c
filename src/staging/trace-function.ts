/**
 * Tracing: runs code on symbolic tensors with the recording backend active, so that the tfjs ops it
 * calls (and the control flow the graph-form runtime stages) become an IR function.
 */
import { isStackOverflow, StagingError } from '../errors.ts';
import { IRFunction, type Value } from '../ir/graph.ts';
import type { TensorType } from '../ir/types.ts';
import { verify } from '../ir/verify.ts';
import { isTensor, tf } from '../runtime/tensors.ts';
import { type Recorder, recordingBackend, STAGING_BACKEND } from './recording-backend.ts';
import { routeTapeGradients } from './gradients/tape.ts';
import { Trace, userLocation } from './trace.ts';
import { finishRecursion } from './recursion.ts';
import { AlwaysFails, isUserThrow, StagedChecks } from './checks.ts';
import { markOptimizerSteps, TracedVariables, type Variable, type VariableEffects } from './variables.ts';

/** A traced function and the variables it reads and writes (its extra inputs and outputs). */
export interface Traced {
  ir: IRFunction;
  effects: VariableEffects;
}

/**
 * Traces `build`, which receives one symbolic tensor per input type and returns the IR values of
 * the outputs. The tf.Variables it reads are further inputs, those it assigns further outputs (see
 * variables.ts). Every tensor made while tracing is released; the active backend is restored.
 */
export function withTrace(
  name: string,
  inputTypes: TensorType[],
  build: (recorder: Recorder, inputs: unknown[]) => Value[],
): Traced {
  const t = tf();
  const recorder = recordingBackend();
  routeTapeGradients();
  if (recorder.trace) throw new StagingError(`'${name}' is staged while another function is being traced`);
  const trace = new Trace();
  const previous = t.getBackend();
  const variables = new TracedVariables(trace, recorder, previous);
  variables.adoptAll((dataId) => recorder.adopt(dataId));
  trace.variables = variables;
  trace.checks = new StagedChecks(trace, recorder);
  const random = Math.random;
  Math.random = () => {
    throw new StagingError(frozenRandom(name, trace));
  };
  const restoreVariables = interceptVariables(variables, recorder);
  recorder.trace = trace;
  void t.setBackend(STAGING_BACKEND); // synchronous: the backend object already exists
  try {
    let effects: VariableEffects = { reads: [], writes: [], checks: [] };
    const body = trace.region(inputTypes, (params) => {
      let results: Value[] = [];
      t.tidy(() => {
        try {
          results = build(
            recorder,
            params.map((p) => recorder.tensorFor(p)),
          );
        } catch (e) {
          // Every path fails from here: the failure code says with which error (a throw after
          // checks that may fail first is one more check). A throw with no check before it fails
          // every call: it is raised now, as every eager call raises it.
          if (isStackOverflow(e))
            throw new StagingError(
              `'${name}' overflowed the call stack while being traced: recursion or nesting too deep to unroll into a graph (tracing runs every level of a JS recursion, and both branches of each staged if)`,
              { cause: e },
            );
          if (!failsEveryRun(trace, e)) throw e;
        }
      });
      if (trace.checks!.refused) throw trace.checks!.refused;
      const state = variables.finish();
      params.push(...state.params);
      const failure = trace.checks!.result();
      effects = { ...state.effects, checks: trace.checks!.checks };
      return [...results, ...state.results, ...(failure ? [failure] : [])];
    });
    body.nodes.unshift(...trace.constants);
    const ir = new IRFunction(name, body, trace.values);
    finishRecursion(trace, ir);
    verify(ir);
    return { ir, effects };
  } finally {
    recorder.trace = null;
    Math.random = random;
    restoreVariables();
    variables.release();
    t.dispose(trace.checks.cell as never);
    void t.setBackend(previous);
  }
}

/** Whether `e`, escaping the traced function, is a failure the graph reports on every run. */
function failsEveryRun(trace: Trace, e: unknown): boolean {
  if (e instanceof AlwaysFails) return true;
  if (!isUserThrow(e) || !trace.checks!.cell) return false;
  trace.checks!.fail(e);
  return true;
}

/**
 * While tracing, `v.assign(x)` is recorded by `variables` (later reads see `x`; the variable itself is
 * untouched) and `tf.variable(x)` is `variables.create`. Returns what undoes this.
 */
function interceptVariables(variables: TracedVariables, recorder: Recorder): () => void {
  const t = tf() as any;
  const proto = t.Variable.prototype;
  const assign = proto.assign;
  proto.assign = function (this: Variable, x: any) {
    if (recorder.trace?.variables !== variables) return assign.call(this, x);
    variables.assign(this, x);
  };
  const engine = t.engine();
  const makeVariable = engine.makeVariable;
  engine.makeVariable = (initial: any, ...rest: unknown[]) =>
    recorder.trace?.variables === variables
      ? variables.create(
          (value) => makeVariable.call(engine, value, ...rest),
          initial,
          (dataId) => recorder.adopt(dataId),
        )
      : makeVariable.call(engine, initial, ...rest);
  const unmark = markOptimizerSteps();
  return () => {
    proto.assign = assign;
    delete engine.makeVariable;
    unmark();
  };
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
  }).ir;
}
