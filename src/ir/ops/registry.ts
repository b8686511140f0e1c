/**
 * The op registry: one registration per op, holding its shape/dtype rule and its tfjs execution (and,
 * later, its lowerings). Op names are tfjs kernel names, so a recorded kernel call is a node as it is.
 * Only type imports of tfjs here: the tfjs instance is passed in, whichever copy the user has.
 */
import type * as tfc from '@tensorflow/tfjs-core';
import type { Attrs } from '../graph.ts';
import type { TensorType } from '../types.ts';

export type Tf = typeof tfc;
export type Tensor = tfc.Tensor;

export interface OpDef {
  readonly name: string;
  /** Names of the kernel's inputs, in node input order (`x`, or `a` and `b`, ...). */
  readonly inputNames: readonly string[];
  /**
   * Inputs tfjs may leave out (null or undefined: a fused op's `bias`): a node has only the present
   * ones, in `inputNames` order; `infer` and the lowerings tell which from the count and the attributes.
   */
  readonly optionalInputs?: readonly string[];
  /** Output types from input types and attributes; throws on invalid combinations. */
  infer(inputs: readonly TensorType[], attrs: Attrs): TensorType[];
  /** Runs the op eagerly with tfjs (the reference semantics, the tfjs executor, constant folding). */
  eager(tf: Tf, inputs: Tensor[], attrs: Attrs): Tensor[];
  /** False for ops with effects (prints): never removed or merged. */
  readonly pure: boolean;
  /** tfjs passes the inputs as an array (Concat, Pack), not by name. */
  readonly variadic?: boolean;
  /** The kernel returns an array of outputs even when there is one (Unpack, TopK). */
  readonly multipleOutputs?: boolean;
  /**
   * Fails at run time on some input values (indices out of range), so it never runs speculatively
   * (see passes/simplify.ts); every other op only fails on types, which the trace has checked.
   */
  readonly canFail?: boolean;
  /** Its result depends on its inputs' types only, not their values: it folds to a constant. */
  readonly readsOnlyTypes?: boolean;
  /** Its ONNX lowering (opset 20): emits ONNX nodes computing `outputs` from `inputs`. */
  readonly onnx?: (ctx: OnnxLowering) => void;
  /**
   * Its lowering to plain JS on numbers (backends/js, for static scalars): a JS expression computing
   * the output from the operands' expressions, or undefined where these types or attributes have none
   * (then the op runs as a tensor op). It must give exactly what tfjs's cpu kernel stores (see
   * ops/scalar.ts for the conventions).
   */
  readonly scalar?: (ctx: ScalarLowering) => string | undefined;
  /**
   * True where `eager` is tfjs's kernel of the same name called with the node's attributes (the
   * default): a backend may then call that kernel directly (backends/js).
   */
  readonly tfjsKernel: boolean;
  /**
   * Its vector-Jacobian product, run with symbolic tensors while a trace builds a backward pass
   * (staging/gradients/): per input, the adjoint, or undefined where none flows. By default tfjs's
   * own gradient of the kernel of the same name (`getGradient`), so backward ops are recorded like
   * forward ones.
   */
  readonly gradient: (ctx: GradientContext) => (Tensor | undefined)[];
}

/** What an op's gradient gets: symbolic tensors for the node's inputs, outputs and output adjoints. */
export interface GradientContext {
  readonly tf: Tf;
  readonly inputs: readonly Tensor[];
  readonly outputs: readonly Tensor[];
  /** One adjoint per output (zeros where the output does not reach the loss). */
  readonly dys: readonly Tensor[];
  /** The attributes tfjs passed to the kernel (tfjs's own view of dynamic dims). */
  readonly attrs: Attrs;
  /** The IR types of the inputs and outputs (with their dynamic dims). */
  readonly inputTypes: readonly TensorType[];
  readonly outputTypes: readonly TensorType[];
  /** A tensor standing for `t`'s value that tfjs sees with `shape` (a dynamic dim's size known here). */
  withShape(t: Tensor, shape: readonly number[]): Tensor;
  /** Records one of the IR's own ops (not a tfjs kernel: `Shape`, `DynamicReshape`, …). */
  record(op: string, inputs: readonly Tensor[], attrs?: Record<string, unknown>): Tensor;
}

/** Raised by a gradient for an op that has none; the caller adds the user's location. */
export class NoGradientError extends Error {
  constructor(readonly op: string) {
    super(`the op '${op}' has no gradient`);
  }
}

/**
 * What an op's scalar lowering gets: JS expressions for its operands (numbers: float32 values as
 * doubles, int32 as integers, bool as 0/1), their types, the output's type and the attributes.
 */
export interface ScalarLowering {
  readonly args: readonly string[];
  readonly inputTypes: readonly TensorType[];
  readonly outputType: TensorType;
  readonly attrs: Attrs;
}

/** What an op's ONNX lowering gets: value names, types, and a way to emit nodes and constants. */
export interface OnnxLowering {
  /** The op being lowered (for error messages). */
  readonly op: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attrs: Attrs;
  readonly inputTypes: readonly TensorType[];
  readonly outputTypes: readonly TensorType[];
  emit(
    opType: string,
    inputs: readonly string[],
    outputs: readonly string[],
    attrs?: Record<string, unknown>,
  ): void;
  /** A fresh name for an intermediate value. */
  temp(): string;
  /** An int64 constant (shapes, axes), by name. */
  int64(values: readonly number[], shape?: readonly number[]): string;
  /** A float32 constant (interpolation weights), by name. */
  float32(values: readonly number[], shape?: readonly number[]): string;
  /** A scalar constant of `dtype`, by name. */
  scalar(value: number, dtype: TensorType['dtype']): string;
  /** The values of input `i` when it is a constant (captured or folded), to specialize on them. */
  constantInput(i: number): ArrayLike<number> | undefined;
  /**
   * Appends float64 vectors to the run's print log, after a marker naming this node: how a staged
   * print leaves an ONNX graph (see backends/onnx/prints.ts).
   */
  log(values: readonly string[]): void;
}

const registry = new Map<string, OpDef>();

type Registration = Omit<OpDef, 'eager' | 'pure' | 'gradient' | 'tfjsKernel'> &
  Partial<Pick<OpDef, 'eager' | 'pure' | 'gradient'>>;

/** Registers an op; by default it executes as, and differentiates like, the tfjs kernel of the same name. */
export function registerOp(def: Registration): void {
  if (registry.has(def.name)) throw new Error(`op '${def.name}' is registered twice`);
  registry.set(def.name, {
    pure: true,
    eager: runKernel(def.name, def.inputNames, !!def.variadic),
    gradient: tfjsGradient(def.name, def.inputNames, !!def.variadic),
    tfjsKernel: !def.eager,
    ...def,
  });
}

/** A gradient for ops whose outputs carry no gradient (shapes, indices): nothing flows back. */
export const noGradient = (): undefined[] => [];

/** The node inputs of a kernel call's named inputs: `inputNames` in order, absent optional ones left out. */
export function presentInputs<T>(def: OpDef, named: Record<string, T | null | undefined>): T[] {
  const optional = def.optionalInputs ?? [];
  return def.inputNames.filter((n) => named[n] != null || !optional.includes(n)).map((n) => named[n]!);
}

export function opDef(name: string): OpDef | undefined {
  return registry.get(name);
}

export function registeredOps(): string[] {
  return [...registry.keys()];
}

/** Eager execution through tfjs's kernel dispatch: exactly what the recorded call would have run. */
function runKernel(name: string, inputNames: readonly string[], variadic: boolean) {
  return (tf: Tf, inputs: Tensor[], attrs: Attrs): Tensor[] => {
    const named = variadic ? inputs : Object.fromEntries(inputNames.map((n, i) => [n, inputs[i]]));
    const out = tf.engine().runKernel(name, named as any, attrs as any) as Tensor | Tensor[];
    return Array.isArray(out) ? out : [out];
  };
}

/**
 * The gradient tfjs registers for kernel `name` (`@tensorflow/tfjs` registers them all; tfjs-core
 * alone in Node registers none), called as tfjs's tape calls it: with the inputs and outputs its
 * config says to save, and one adjoint (or the array of them for several outputs).
 */
export function tfjsGradient(name: string, inputNames: readonly string[], variadic = false) {
  const gradient = ({ tf, inputs, outputs, dys, attrs }: GradientContext): (Tensor | undefined)[] => {
    const config = tf.getGradient(name);
    if (!config) throw new NoGradientError(name);
    const names = variadic ? inputs.map((_, i) => String(i)) : inputNames;
    const savedInputs = config.saveAllInputs
      ? [...inputs]
      : (config.inputsToSave ?? []).map((n) => inputs[names.indexOf(n)]!);
    const saved = [...savedInputs, ...outputs.filter((_, i) => config.outputsToSave?.[i])];
    const grads = config.gradFunc((dys.length > 1 ? dys : dys[0]) as any, saved, attrs as any);
    return names.map((n, i) => {
      try {
        return grads[n]?.();
      } catch (e) {
        // tfjs computes an input's adjoint only when it is asked for, and some integer ones cannot
        // be computed (Mod's divisor: floor of an int32): none flows there, as tfjs would ask for none
        if (inputs[i]?.dtype === 'int32') return undefined;
        throw e;
      }
    });
  };
  return gradient;
}
