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
  /** Its ONNX lowering (opset 17): emits ONNX nodes computing `outputs` from `inputs`. */
  readonly onnx?: (ctx: OnnxLowering) => void;
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

type Registration = Omit<OpDef, 'eager' | 'pure'> & Partial<Pick<OpDef, 'eager' | 'pure'>>;

/** Registers an op; by default it executes as the tfjs kernel of the same name. */
export function registerOp(def: Registration): void {
  if (registry.has(def.name)) throw new Error(`op '${def.name}' is registered twice`);
  registry.set(def.name, { pure: true, eager: runKernel(def.name, def.inputNames, !!def.variadic), ...def });
}

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
