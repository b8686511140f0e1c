/**
 * `ag.stage(fn)`: like tf.function. Each call looks up the concrete function for the input signature
 * (tensor dtypes and shapes, JS values), tracing the graph form of `fn` on symbolic tensors the first
 * time, then runs the IR with the executor. Results come back as tensors in the structure `fn`
 * returned.
 */
import { convert } from '../api.ts';
import { writeFile } from 'node:fs/promises';
import { executeOnnx, releaseSession } from '../backends/onnx/executor.ts';
import { lowerToOnnx } from '../backends/onnx/lower.ts';
import { execute } from '../backends/tfjs/executor.ts';
import { StagingError } from '../errors.ts';
import type { IRFunction, Value } from '../ir/graph.ts';
import { eliminateCommonSubexpressions } from '../ir/passes/cse.ts';
import { eliminateDeadCode } from '../ir/passes/dce.ts';
import { foldConstants } from '../ir/passes/fold.ts';
import { simplify } from '../ir/passes/simplify.ts';
import { inferTripCounts } from '../ir/passes/trip-count.ts';
import { printFunction } from '../ir/print.ts';
import { type DType, tensorType } from '../ir/types.ts';
import { verify } from '../ir/verify.ts';
import { isTensor, type TensorLike, tf } from '../runtime/tensors.ts';
import type { Recorder } from './recording-backend.ts';
import { withTrace } from './trace-function.ts';

type AnyFunction = (...args: any[]) => any;

export interface StageOptions {
  /** Values of free variables when `fn` is converted from its source text (see ag.convert). */
  scope?: Record<string, unknown>;
  /** Called with the reason each time a new signature is traced (true: console.log). */
  explainRetrace?: boolean | ((reason: string) => void);
  /**
   * What runs the graph: ONNX Runtime (the default: the graph lowered to ONNX, one session per
   * traced signature) or the tfjs executor (each op by its tfjs kernel on the active tfjs backend).
   */
  executor?: 'onnx' | 'tfjs';
}

export interface StagedFunction<F extends AnyFunction> {
  /** Runs the staged graph (tracing it first for a new input signature). */
  (...args: Parameters<F>): Promise<any>;
  /** The IR for these arguments' signature, as text. */
  graph(...args: Parameters<F>): string;
  /** Runs the converted function eagerly (no staging), for comparison and debugging. */
  eager(...args: Parameters<F>): ReturnType<F>;
  /** The ONNX model (opset 17) of the graph for these arguments: inputs `input0…`, outputs `output0…`. */
  exportOnnxBytes(...args: Parameters<F>): Uint8Array;
  /** Writes the ONNX model for the signature of `args` to `path`. */
  exportOnnx(args: Parameters<F>, path: string): Promise<void>;
  /** How many signatures have been traced. */
  readonly traceCount: number;
  /** Forgets every traced concrete function and releases their ONNX Runtime sessions. */
  dispose(): Promise<void>;
}

/** A flattened argument or result: tensors become slots, everything else stays as it is. */
type Skeleton =
  | { tensor: number }
  | { array: Skeleton[] }
  | { object: [string, Skeleton][] }
  | { value: unknown };

interface Concrete {
  ir: IRFunction;
  output: Skeleton;
}

export function stage<F extends AnyFunction>(fn: F, options: StageOptions = {}): StagedFunction<F> {
  const graphForm = convert(fn, { form: 'graph', scope: options.scope });
  const concretes = new Map<string, Concrete>();
  const signatures: string[][] = [];
  const name = fn.name || 'staged';

  const concreteFor = (args: unknown[]): { concrete: Concrete; tensors: TensorLike[] } => {
    const tensors: TensorLike[] = [];
    const skeleton = flatten(args, tensors);
    const parts = args.map((a) => signatureOf(a));
    const key = JSON.stringify(parts);
    let concrete = concretes.get(key);
    if (!concrete) {
      explain(options, name, parts, signatures);
      signatures.push(parts);
      concrete = traceConcrete(name, graphForm, skeleton, tensors);
      concretes.set(key, concrete);
    }
    return { concrete, tensors };
  };

  const staged = (async (...args: unknown[]) => {
    const { concrete, tensors } = concreteFor(args);
    const outputs =
      options.executor === 'tfjs'
        ? execute(concrete.ir, tensors as any, tf() as any)
        : await executeOnnx(concrete.ir, tensors as any, tf() as any);
    return rebuild(concrete.output, outputs);
  }) as unknown as StagedFunction<F>;
  staged.graph = (...args) => printFunction(concreteFor(args).concrete.ir);
  staged.eager = (...args) => convert(fn, { form: 'eager', scope: options.scope })(...args);
  staged.exportOnnxBytes = (...args) => lowerToOnnx(concreteFor(args).concrete.ir);
  staged.exportOnnx = async (args, path) => writeFile(path, staged.exportOnnxBytes(...args));
  Object.defineProperty(staged, 'traceCount', { get: () => concretes.size });
  staged.dispose = async () => {
    const irs = [...concretes.values()].map((c) => c.ir);
    concretes.clear();
    await Promise.all(irs.map(releaseSession));
  };
  return staged;
}

function traceConcrete(
  name: string,
  graphForm: AnyFunction,
  args: Skeleton,
  tensors: TensorLike[],
): Concrete {
  const types = tensors.map((t) => {
    if (t.dtype !== 'float32' && t.dtype !== 'int32' && t.dtype !== 'bool') {
      throw new StagingError(`'${name}': tensors of dtype ${t.dtype} cannot be staged`);
    }
    return tensorType(t.dtype as DType, t.shape);
  });
  let output: Skeleton = { value: undefined };
  const ir = withTrace(name, types, (recorder, inputs) => {
    const result = graphForm(...(rebuild(args, inputs) as unknown[]));
    const values: Value[] = [];
    output = flattenResult(recorder, result, values);
    return values;
  });
  const t = tf() as any;
  for (const pass of [
    () => foldConstants(ir, t),
    () => simplify(ir),
    () => inferTripCounts(ir),
    () => eliminateCommonSubexpressions(ir),
    () => eliminateDeadCode(ir),
  ]) {
    pass();
    verify(ir);
  }
  return { ir, output };
}

function flatten(x: unknown, tensors: TensorLike[]): Skeleton {
  if (isTensor(x)) return { tensor: tensors.push(x) - 1 };
  if (Array.isArray(x)) return { array: x.map((e) => flatten(e, tensors)) };
  if (isPlainObject(x)) return { object: Object.entries(x).map(([k, v]) => [k, flatten(v, tensors)]) };
  return { value: x };
}

function rebuild(s: Skeleton, tensors: readonly unknown[]): unknown {
  if ('tensor' in s) return tensors[s.tensor];
  if ('array' in s) return s.array.map((e) => rebuild(e, tensors));
  if ('object' in s) return Object.fromEntries(s.object.map(([k, v]) => [k, rebuild(v, tensors)]));
  return s.value;
}

/** The result of the traced function as outputs: tensors, and numbers/booleans as constants. */
function flattenResult(recorder: Recorder, x: unknown, values: Value[]): Skeleton {
  if (isTensor(x)) return { tensor: values.push(recorder.valueFor(x as any)) - 1 };
  if (typeof x === 'number' || typeof x === 'boolean') {
    const t = tf() as any;
    return flattenResult(recorder, typeof x === 'boolean' ? t.scalar(x, 'bool') : t.scalar(x), values);
  }
  if (Array.isArray(x)) return { array: x.map((e) => flattenResult(recorder, e, values)) };
  if (isPlainObject(x))
    return { object: Object.entries(x).map(([k, v]) => [k, flattenResult(recorder, v, values)]) };
  if (x === undefined || x === null) return { value: x };
  throw new StagingError(
    `a staged function must return tensors, numbers, booleans, or arrays/objects of them; got ${typeof x}`,
  );
}

function signatureOf(x: unknown): string {
  if (isTensor(x)) return `${x.dtype}[${x.shape.join(',')}]`;
  if (Array.isArray(x)) return `[${x.map(signatureOf).join(', ')}]`;
  if (isPlainObject(x))
    return `{${Object.entries(x)
      .map(([k, v]) => `${k}: ${signatureOf(v)}`)
      .join(', ')}}`;
  if (typeof x === 'function')
    throw new StagingError('functions cannot be arguments of a staged function; close over them instead');
  return `${typeof x} ${JSON.stringify(x) ?? String(x)}`;
}

function explain(options: StageOptions, name: string, parts: string[], previous: string[][]): void {
  if (!options.explainRetrace) return;
  const log = typeof options.explainRetrace === 'function' ? options.explainRetrace : console.log;
  if (previous.length === 0) {
    log(`${name}: first trace (${parts.join(', ')})`);
    return;
  }
  const last = previous.at(-1)!;
  const changed = parts
    .map((p, i) => (p === last[i] ? null : `argument ${i} changed from ${last[i] ?? 'absent'} to ${p}`))
    .filter(Boolean);
  log(
    `${name}: retracing: ${changed.length ? changed.join('; ') : `${parts.length} arguments instead of ${last.length}`}`,
  );
}

const isPlainObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && Object.getPrototypeOf(x) === Object.prototype;
