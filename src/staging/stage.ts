/**
 * `ag.stage(fn)`: like tf.function. Each call looks up the concrete function for the input signature
 * (tensor dtypes and shapes, JS values), tracing the graph form of `fn` on symbolic tensors the first
 * time, then runs the IR with the executor. Results come back as tensors in the structure `fn`
 * returned.
 */
import { convert } from '../api.ts';
import { platform } from '#platform';
import { executeOnnx, releaseSession, type SessionOptions } from '../backends/onnx/executor.ts';
import { lowerToOnnx } from '../backends/onnx/lower.ts';
import { execute } from '../backends/tfjs/executor.ts';
import { executeJs, releaseCompiled } from '../backends/js/executor.ts';
import { StagingError } from '../errors.ts';
import { IRFunction, type Value } from '../ir/graph.ts';
import { optimize } from '../ir/passes/pipeline.ts';
import { printFunction } from '../ir/print.ts';
import {
  type DType,
  formatType,
  generalizeType,
  sameType,
  type TensorType,
  tensorType,
} from '../ir/types.ts';
import { isTensor, type TensorLike, tf } from '../runtime/tensors.ts';
import type { Recorder } from './recording-backend.ts';
import { isSpec, mismatch, SignatureError, type TensorSpec } from './spec.ts';
import { failure } from './checks.ts';
import { withTrace } from './trace-function.ts';
import { tracedCall } from './recursion.ts';
import { flattenResult, rebuildSkeleton, type Skeleton } from './structure.ts';
import { type VariableEffects, writeBack } from './variables.ts';

type AnyFunction = (...args: any[]) => any;

export interface StageOptions {
  /** Values of free variables when `fn` is converted from its source text (see ag.convert). */
  scope?: Record<string, unknown>;
  /** Called with the reason each time a new signature is traced (true: console.log). */
  explainRetrace?: boolean | ((reason: string) => void);
  /**
   * What runs the graph: ONNX Runtime (the default: the graph lowered to ONNX, one session per
   * traced signature), the tfjs executor (each op by its tfjs kernel on the active tfjs backend), or
   * compiled JS (`'js'`: the graph as a JS function generated once per traced signature, calling
   * tfjs kernels directly and computing scalar control flow on JS numbers; see docs/staging.md).
   */
  executor?: 'onnx' | 'tfjs' | 'js';
  /**
   * ONNX Runtime session options (threads, graph optimization level, execution providers,
   * profiling, …) for this function's sessions; otherwise those of `ag.setSessionOptions`, by default
   * ONNX Runtime's own.
   */
  sessionOptions?: SessionOptions;
  /**
   * The arguments every call passes, in their structure: `ag.spec`s for tensors (dims may be null or
   * named: dynamic), JS values as they are. One trace serves every matching call; a call that does not
   * match is a SignatureError.
   */
  inputSignature?: readonly unknown[];
  /**
   * Without an input signature, a retrace caused only by changed dims traces with those dims dynamic,
   * so that further sizes reuse it (tf.function's `reduce_retracing`). Default true; false traces each
   * shape on its own.
   */
  reduceRetracing?: boolean;
}

export interface StagedFunction<F extends AnyFunction> {
  /** Runs the staged graph (tracing it first for a new input signature). */
  (...args: Parameters<F>): Promise<any>;
  /** The IR for these arguments' signature, as text. */
  graph(...args: Parameters<F>): string;
  /** Runs the converted function eagerly (no staging), for comparison and debugging. */
  eager(...args: Parameters<F>): ReturnType<F>;
  /**
   * The ONNX model (opset 20) of the graph for these arguments (tensors, or `ag.spec`s: dynamic dims
   * become ONNX `dim_param`s, named ones by their name): inputs `input0…`, outputs `output0…`.
   */
  exportOnnxBytes(...args: unknown[]): Uint8Array;
  /** Writes the ONNX model for the signature of `args` (tensors or `ag.spec`s) to `path`. */
  exportOnnx(args: readonly unknown[], path: string): Promise<void>;
  /** How many signatures have been traced. */
  readonly traceCount: number;
  /** Forgets every traced concrete function and releases their ONNX Runtime sessions. */
  dispose(): Promise<void>;
}

interface Concrete {
  ir: IRFunction;
  /** The variables the graph reads (its inputs after the arguments') and writes (its outputs after the results). */
  effects: VariableEffects;
  output: Skeleton;
  /** The traced input types (dynamic dims null), one per tensor slot. */
  types: TensorType[];
}

/** A tensor slot of the arguments: a tensor of a call, or a spec (tracing and export only). */
type Slot = TensorLike | TensorSpec;

export function stage<F extends AnyFunction>(fn: F, options: StageOptions = {}): StagedFunction<F> {
  const graphForm = convert(fn, { form: 'graph', scope: options.scope });
  const name = fn.name || 'staged';
  const cache = new TraceCache(name, options, (skeleton, types, dimNames) =>
    traceConcrete(name, fn, graphForm, skeleton, types, dimNames),
  );

  const staged = (async (...args: unknown[]) => {
    const { concrete, slots } = cache.concreteFor(args);
    const tensors = slots.map((s, i) => {
      if (isSpec(s))
        throw new SignatureError(
          `'${name}': input ${i} is ${s}: specs describe inputs for tracing and export; call it with tensors`,
        );
      return s;
    });
    const run = async () => {
      const gone = [...concrete.effects.reads, ...concrete.effects.writes].find((v) => v.isDisposed);
      if (gone)
        throw new StagingError(`'${name}' uses the tf.Variable '${gone.name}', which has been disposed`);
      const inputs = [...tensors, ...concrete.effects.reads] as any[];
      const executor = options.executor ?? 'onnx';
      const outputs =
        executor === 'tfjs'
          ? execute(concrete.ir, inputs, tf() as any)
          : executor === 'js'
            ? executeJs(concrete.ir, inputs, tf() as any)
            : await executeOnnx(concrete.ir, inputs, tf() as any, options.sessionOptions);
      const { writes, checks } = concrete.effects;
      if (checks.length) {
        const failed = outputs.pop()!;
        const code = failed.dataSync()[0]!;
        failed.dispose();
        if (code !== 0) {
          // (an output that is an input, on the tfjs executor, is the caller's tensor or a variable)
          tf().dispose(outputs.filter((o) => !inputs.includes(o)));
          throw failure(checks, code);
        }
      }
      const results = outputs.slice(0, outputs.length - writes.length);
      writeBack(writes, outputs.slice(results.length), results);
      return rebuildSkeleton(concrete.output, results);
    };
    const { reads, writes } = concrete.effects;
    return reads.length || writes.length ? inOrder(run) : run();
  }) as unknown as StagedFunction<F>;
  staged.graph = (...args) => printFunction(cache.concreteFor(args).concrete.ir);
  staged.eager = (...args) => convert(fn, { form: 'eager', scope: options.scope })(...args);
  staged.exportOnnxBytes = (...args) => {
    const { concrete, slots } = cache.concreteFor(args);
    // the export's own dim names (a trace made for other specs or tensors may serve it)
    const names = slots.map(slotNames);
    if (!names.some((axes) => axes.some((n) => n !== null))) return lowerToOnnx(concrete.ir);
    return lowerToOnnx(
      Object.assign(Object.create(IRFunction.prototype), concrete.ir, { inputDimNames: names }),
    );
  };
  staged.exportOnnx = async (args, path) => platform.writeFile(path, staged.exportOnnxBytes(...args));
  Object.defineProperty(staged, 'traceCount', { get: () => cache.size });
  staged.dispose = async () => {
    const irs = cache.clear();
    irs.forEach(releaseCompiled);
    await Promise.all(irs.map(releaseSession));
  };
  return staged;
}

/**
 * The concrete functions of one staged function: by exact signature, by relaxed signature (dims
 * made dynamic after a retrace, or given dynamic by specs), or the one trace of an input signature.
 */
class TraceCache {
  private readonly exact = new Map<string, Concrete>();
  /** Traces with dynamic dims, by the signature without dims: the calls they may serve. */
  private readonly relaxed = new Map<string, Concrete[]>();
  private readonly traced: Concrete[] = [];
  private readonly signatures: string[][] = [];

  constructor(
    private readonly name: string,
    private readonly options: StageOptions,
    private readonly trace: (
      skeleton: Skeleton,
      types: TensorType[],
      dimNames: (string | null)[][],
    ) => Concrete,
  ) {}

  get size(): number {
    return this.traced.length;
  }

  clear(): IRFunction[] {
    const irs = this.traced.map((c) => c.ir);
    this.exact.clear();
    this.relaxed.clear();
    this.traced.length = 0;
    return irs;
  }

  concreteFor(args: unknown[]): { concrete: Concrete; slots: Slot[] } {
    const slots: Slot[] = [];
    const skeleton = flatten(args, slots);
    if (this.options.inputSignature) return { concrete: this.forSignature(args, skeleton, slots), slots };
    const parts = args.map((a) => signatureOf(a));
    const key = JSON.stringify(parts);
    const hit = this.exact.get(key);
    if (hit) return { concrete: hit, slots };
    const erased = JSON.stringify(args.map((a) => signatureOf(a, true)));
    const serving = this.relaxed.get(erased)?.find((c) => accepts(c.types, slots));
    if (serving) {
      this.exact.set(key, serving);
      return { concrete: serving, slots };
    }
    let types = slots.map(slotType);
    const previous = this.relaxed.get(erased)?.at(-1);
    const relax = this.options.reduceRetracing !== false && previous !== undefined;
    if (relax) types = types.map((t, i) => generalizeType(previous.types[i]!, t));
    this.explain(parts, relax ? types : undefined);
    this.signatures.push(parts);
    const concrete = this.trace(skeleton, types, slots.map(slotNames));
    this.traced.push(concrete);
    this.exact.set(key, concrete);
    const list = this.relaxed.get(erased) ?? [];
    list.push(concrete);
    this.relaxed.set(erased, list);
    return { concrete, slots };
  }

  private forSignature(args: unknown[], skeleton: Skeleton, slots: Slot[]): Concrete {
    const signature = this.options.inputSignature!;
    if (args.length !== signature.length)
      throw new SignatureError(
        `'${this.name}' takes ${signature.length} argument${signature.length === 1 ? '' : 's'} (its input signature), got ${args.length}`,
      );
    const named = new Map<string, number>();
    args.forEach((a, i) => matchSignature(signature[i], a, `argument ${i}`, named));
    if (this.traced[0]) return this.traced[0];
    const specs: Slot[] = [];
    flatten(signature as unknown[], specs);
    this.explain(
      signature.map((s) => signatureOf(s)),
      undefined,
    );
    const concrete = this.trace(skeleton, specs.map(slotType), specs.map(slotNames));
    this.traced.push(concrete);
    return concrete;
  }

  private explain(parts: string[], relaxed: TensorType[] | undefined): void {
    const { explainRetrace } = this.options;
    if (!explainRetrace) return;
    const log = typeof explainRetrace === 'function' ? explainRetrace : console.log;
    const name = this.name;
    const last = this.signatures.at(-1);
    if (!last) {
      log(`${name}: first trace (${parts.join(', ')})`);
      return;
    }
    const changed = parts
      .map((p, i) => (p === last[i] ? null : `argument ${i} changed from ${last[i] ?? 'absent'} to ${p}`))
      .filter(Boolean);
    const why = changed.length ? changed.join('; ') : `${parts.length} arguments instead of ${last.length}`;
    const relaxation = relaxed
      ? `; tracing the changed dimensions as dynamic (${relaxed.map(formatType).join(', ')}), which serves further sizes (reduceRetracing: false turns this off)`
      : '';
    log(`${name}: retracing: ${why}${relaxation}`);
  }
}

/** The IR type of a slot: a tensor's own shape, or a spec's (names and null are unknown dims). */
function slotType(s: Slot): TensorType {
  if (isSpec(s)) return tensorType(s.dtype, s.irShape);
  if (s.dtype !== 'float32' && s.dtype !== 'int32' && s.dtype !== 'bool')
    throw new StagingError(`tensors of dtype ${s.dtype} cannot be staged`);
  return tensorType(s.dtype as DType, s.shape);
}

const slotNames = (s: Slot): (string | null)[] => (isSpec(s) ? s.names : s.shape.map(() => null));

/** Whether a trace of `types` serves these slots: a spec only where its dynamic dims are the trace's. */
function accepts(types: TensorType[], slots: Slot[]): boolean {
  return slots.every((s, i) => {
    const t = types[i]!;
    if (isSpec(s)) return sameType(t, slotType(s));
    return (
      s.dtype === t.dtype &&
      s.shape.length === t.shape.length &&
      s.shape.every((d, k) => t.shape[k] === null || t.shape[k] === d)
    );
  });
}

/** Checks one argument against its part of the input signature (same structure; tensors fit their specs). */
function matchSignature(sig: unknown, arg: unknown, where: string, named: Map<string, number>): void {
  if (isSpec(sig)) {
    if (isSpec(arg)) {
      // an export may name the signature's dynamic dims (or leave its named ones unnamed)
      const fits =
        arg.dtype === sig.dtype &&
        arg.shape.length === sig.shape.length &&
        arg.shape.every((d, i) =>
          typeof d === 'number' ? d === sig.shape[i] : typeof sig.shape[i] !== 'number',
        );
      if (!fits) throw new SignatureError(`${where} is the spec ${arg}, but the input signature has ${sig}`);
      return;
    }
    if (!isTensor(arg))
      throw new SignatureError(`${where} must be a tensor matching ${sig}, got ${describeValue(arg)}`);
    const why = mismatch(sig, arg, where, named);
    if (why) throw new SignatureError(why);
    return;
  }
  if (Array.isArray(sig)) {
    if (!Array.isArray(arg) || arg.length !== sig.length)
      throw new SignatureError(
        `${where} must be an array of ${sig.length} (input signature), got ${describeValue(arg)}`,
      );
    sig.forEach((s, i) => matchSignature(s, arg[i], `${where}[${i}]`, named));
    return;
  }
  if (isPlainObject(sig)) {
    if (!isPlainObject(arg))
      throw new SignatureError(`${where} must be an object (input signature), got ${describeValue(arg)}`);
    const keys = Object.keys(sig);
    if (keys.join() !== Object.keys(arg).join())
      throw new SignatureError(
        `${where} must have the keys ${keys.join(', ')} (input signature), got ${Object.keys(arg).join(', ')}`,
      );
    for (const k of keys) matchSignature(sig[k], arg[k], `${where}.${k}`, named);
    return;
  }
  if (!Object.is(sig, arg))
    throw new SignatureError(
      `${where} must be ${describeValue(sig)} (a JS value of the input signature), got ${describeValue(arg)}`,
    );
}

const describeValue = (x: unknown): string =>
  isTensor(x)
    ? `a tensor ${x.dtype}[${x.shape.join(',')}]`
    : isSpec(x)
      ? `the spec ${x}`
      : (JSON.stringify(x) ?? String(x));

function traceConcrete(
  name: string,
  fn: AnyFunction,
  graphForm: AnyFunction,
  args: Skeleton,
  types: TensorType[],
  dimNames: (string | null)[][],
): Concrete {
  let output: Skeleton = { value: undefined };
  const { ir, effects } = withTrace(name, types, (recorder, inputs) => {
    // a call like any other: recursion inside it meets this call (staging/recursion.ts)
    const result = tracedCall(
      recorder,
      fn,
      name,
      graphForm,
      undefined,
      rebuildSkeleton(args, inputs) as unknown[],
    );
    const values: Value[] = [];
    output = flattenResult(recorder, result, values);
    return values;
  });
  if (dimNames.some((axes) => axes.some((n) => n !== null))) ir.inputDimNames = dimNames;
  optimize(ir, tf() as any);
  return { ir, effects, output, types };
}

/** The last call that reads or writes variables: the next one runs after it, as eager calls would. */
let lastStateful: Promise<unknown> = Promise.resolve();

function inOrder<T>(run: () => Promise<T>): Promise<T> {
  const next = lastStateful.then(run, run);
  lastStateful = next.catch(() => undefined);
  return next;
}

function flatten(x: unknown, tensors: Slot[]): Skeleton {
  if (isTensor(x) || isSpec(x)) return { tensor: tensors.push(x) - 1 };
  if (Array.isArray(x)) return { array: x.map((e) => flatten(e, tensors)) };
  if (isPlainObject(x)) return { object: Object.entries(x).map(([k, v]) => [k, flatten(v, tensors)]) };
  return { value: x };
}

/** An argument's part of the trace key; `erase` leaves out the dims (what a relaxed trace may serve). */
function signatureOf(x: unknown, erase = false): string {
  if (isTensor(x)) return erase ? `${x.dtype}[rank ${x.shape.length}]` : `${x.dtype}[${x.shape.join(',')}]`;
  if (isSpec(x)) return erase ? `${x.dtype}[rank ${x.shape.length}]` : `spec ${x}`;
  if (Array.isArray(x)) return `[${x.map((e) => signatureOf(e, erase)).join(', ')}]`;
  if (isPlainObject(x))
    return `{${Object.entries(x)
      .map(([k, v]) => `${k}: ${signatureOf(v, erase)}`)
      .join(', ')}}`;
  if (typeof x === 'function')
    throw new StagingError('functions cannot be arguments of a staged function; close over them instead');
  return `${typeof x} ${JSON.stringify(x) ?? String(x)}`;
}

const isPlainObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && Object.getPrototypeOf(x) === Object.prototype;
