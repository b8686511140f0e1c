/** Small ONNX lowerings shared by op registrations (each op's lowering stays beside its registration). */
import { type Dim, type DType, formatShape, isStatic } from '../types.ts';
import type { OnnxLowering } from './registry.ts';

/** ONNX TensorProto.DataType codes of our dtypes. */
export const ONNX_ELEM_TYPE: Record<DType, number> = { float32: 1, int32: 6, bool: 9 };
/** float64: no IR dtype, but what float32 sums accumulate in and what the print log carries. */
export const ONNX_FLOAT64 = 11;

/** The same computation as one ONNX op, inputs and outputs in order. */
export const same =
  (opType: string, attrs?: (ctx: OnnxLowering) => Record<string, unknown>) =>
  (ctx: OnnxLowering): void =>
    ctx.emit(opType, ctx.inputs, ctx.outputs, attrs?.(ctx));

/** `f(x)` as a chain `op(... op(x))` through temporaries, the last writing the output. */
export const chain =
  (...steps: ((ctx: OnnxLowering, input: string, output: string) => void)[]) =>
  (ctx: OnnxLowering): void => {
    let current = ctx.inputs[0]!;
    steps.forEach((step, i) => {
      const next = i === steps.length - 1 ? ctx.outputs[0]! : ctx.temp();
      step(ctx, current, next);
      current = next;
    });
  };

/** Axes attribute of a reduction as absolute, sorted indices (null: every axis). */
export function reductionAxes(axis: unknown, rank: number): number[] {
  if (axis === null || axis === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = Array.isArray(axis) ? axis : [axis];
  return [...new Set(list.map((a: number) => (a < 0 ? a + rank : a)))].sort((a, b) => a - b);
}

/** The refusal of a lowering that needs a dim that is only known at run time. */
export function noDynamicLowering(c: OnnxLowering, detail: string): never {
  throw new Error(`${c.op} with a dynamic dimension has no ONNX lowering yet: ${detail}`);
}

/** `shape` when every dim is known; otherwise the lowering is refused (`what` names the shape). */
export function staticShape(c: OnnxLowering, shape: readonly Dim[], what: string): number[] {
  if (!isStatic(shape)) noDynamicLowering(c, `${what} [${formatShape(shape)}]`);
  return [...shape];
}

/** Input `i`'s run-time shape, an int64 vector (ONNX Shape). */
export function runtimeShape(c: OnnxLowering, i: number): string {
  const shape = c.temp();
  c.emit('Shape', [c.inputs[i]!], [shape]);
  return shape;
}

/**
 * Output `i` filled with one value: empty cases, and ops that ignore the values. Its shape must be
 * static, or `like` names an input of that same shape whose run-time shape it takes.
 */
export function fillOutput(c: OnnxLowering, value: number, i = 0, like?: number): void {
  const { dtype, shape } = c.outputTypes[i]!;
  const target =
    isStatic(shape) || like === undefined
      ? c.int64(staticShape(c, shape, 'a filled output'))
      : runtimeShape(c, like);
  c.emit('Expand', [c.scalar(value, dtype), target], [c.outputs[i]!]);
}

/** ONNX Where, also for bool values (which ONNX Runtime's Where does not take): through int32. */
export function where(c: OnnxLowering, cond: string, a: string, b: string, out: string, dtype: DType): void {
  if (dtype !== 'bool') return void c.emit('Where', [cond, a, b], [out]);
  const [ai, bi, r] = [c.temp(), c.temp(), c.temp()];
  c.emit('Cast', [a], [ai], { to: ONNX_ELEM_TYPE.int32 });
  c.emit('Cast', [b], [bi], { to: ONNX_ELEM_TYPE.int32 });
  c.emit('Where', [cond, ai, bi], [r]);
  c.emit('Cast', [r], [out], { to: ONNX_ELEM_TYPE.bool });
}

/** Input `i` in `dtype`, through a Cast when it has another. */
export function inputAs(c: OnnxLowering, i: number, dtype: DType): string {
  if (c.inputTypes[i]!.dtype === dtype) return c.inputs[i]!;
  const cast = c.temp();
  c.emit('Cast', [c.inputs[i]!], [cast], { to: ONNX_ELEM_TYPE[dtype] });
  return cast;
}

/** Whether output `i` has no elements. */
export const emptyOutput = (c: OnnxLowering, i = 0): boolean => c.outputTypes[i]!.shape.includes(0);
