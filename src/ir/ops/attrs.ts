/**
 * Attribute parsing and small shape helpers shared by the op rules. Attributes arrive as tfjs's ops pass
 * them to the kernel (numbers, arrays of numbers, null or undefined for defaults); every helper throws
 * an Error naming the op when an attribute is not of the form the kernel accepts.
 */
import type { Attrs } from '../graph.ts';
import { compatibleDim, type Dim, type DType, formatShape, type TensorType } from '../types.ts';

export const DTYPES: readonly DType[] = ['float32', 'int32', 'bool'];

export function fail(op: string, message: string): never {
  throw new Error(`${op}: ${message}`);
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/** An integer attribute; `fallback` when it is null/undefined (or an error when there is none). */
export function intAttr(op: string, attrs: Attrs, name: string, fallback?: number): number {
  const v = attrs[name];
  if (v == null && fallback !== undefined) return fallback;
  if (!isInt(v)) fail(op, `attribute '${name}' must be an integer, got ${show(v)}`);
  return v;
}

export function numberAttr(op: string, attrs: Attrs, name: string, fallback?: number): number {
  const v = attrs[name];
  if (v == null && fallback !== undefined) return fallback;
  if (typeof v !== 'number') fail(op, `attribute '${name}' must be a number, got ${show(v)}`);
  return v;
}

/**
 * An attribute that tfjs computed from a dynamic dim (the recording backend passes null there) where the
 * op needs a known value.
 */
export function dynamicAttr(op: string, name: string): never {
  return fail(op, `attribute '${name}' depends on a dynamic dimension`);
}

export function intListAttr(op: string, attrs: Attrs, name: string): number[] {
  const v = attrs[name];
  if (Array.isArray(v) && v.includes(null)) dynamicAttr(op, name);
  if (!Array.isArray(v) || !v.every(isInt))
    fail(op, `attribute '${name}' must be an array of integers, got ${show(v)}`);
  return [...(v as number[])];
}

/** A list of dims: integers, or null where tfjs computed the entry from a dynamic dim. */
export function dimListAttr(op: string, attrs: Attrs, name: string): Dim[] {
  const v = attrs[name];
  if (!Array.isArray(v) || !v.every((d) => d === null || isInt(d)))
    fail(op, `attribute '${name}' must be an array of integers (null: dynamic), got ${show(v)}`);
  return [...(v as Dim[])];
}

export function dtypeAttr(op: string, attrs: Attrs, name: string): DType {
  const v = attrs[name];
  if (!DTYPES.includes(v as DType))
    fail(op, `attribute '${name}' must be one of ${DTYPES.join(', ')}, got ${show(v)}`);
  return v as DType;
}

export function show(v: unknown): string {
  if (v === undefined) return 'undefined';
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
}

/** Exactly `n` inputs (the node's input count). */
export function arity(op: string, inputs: readonly TensorType[], n: number): void {
  if (inputs.length !== n) fail(op, `takes ${n} input${n === 1 ? '' : 's'}, got ${inputs.length}`);
}

/** One axis in [-rank, rank), normalised to [0, rank). */
export function normAxis(op: string, axis: number, rank: number, what = 'axis'): number {
  if (!isInt(axis) || axis < -rank || axis >= rank)
    fail(op, `${what} ${show(axis)} is out of range for rank ${rank}`);
  return axis < 0 ? axis + rank : axis;
}

/**
 * tfjs's `parseAxisParam`: null/undefined means every axis, a number one axis, an array those axes;
 * each in [-rank, rank). Duplicates are rejected (tfjs's reductions give ill-formed shapes for them).
 */
export function parseAxes(op: string, axis: unknown, rank: number, what = 'axis'): number[] {
  if (axis == null) return Array.from({ length: rank }, (_, i) => i);
  const list = Array.isArray(axis) ? axis : [axis];
  if (!list.every(isInt)) fail(op, `${what} must be an integer or an array of integers, got ${show(axis)}`);
  const axes = (list as number[]).map((a) => normAxis(op, a, rank, what));
  if (new Set(axes).size !== axes.length) fail(op, `${what} ${show(axis)} repeats an axis`);
  return axes;
}

/** Non-negative integers, or null (unknown). */
export function checkDims(op: string, shape: readonly Dim[], what = 'shape'): void {
  if (!shape.every((d) => d === null || (isInt(d) && d >= 0)))
    fail(op, `${what} [${formatShape(shape)}] must be made of non-negative integers`);
}

/** Exactly the same dims (a null dim equals only a null dim). */
export const sameShape = (a: readonly Dim[], b: readonly Dim[]) =>
  a.length === b.length && a.every((d, i) => d === b[i]);

/** Shapes that may be equal at run time: same rank, each pair of dims equal or either null. */
export const compatibleShape = (a: readonly Dim[], b: readonly Dim[]) =>
  a.length === b.length && a.every((d, i) => compatibleDim(d, b[i]!));

/** The dim two compatible dims must both be at run time: the known one, else null. */
export const mergeDim = (a: Dim, b: Dim): Dim => a ?? b;

/** `a * b` on dims: unknown if either is, except that anything times 0 is 0. */
export const mulDim = (a: Dim, b: Dim): Dim =>
  a === 0 || b === 0 ? 0 : a === null || b === null ? null : a * b;

/** `a + b` on dims: unknown if either is. */
export const addDim = (a: Dim, b: Dim): Dim => (a === null || b === null ? null : a + b);

/** tfjs's `upcastType` on the IR dtypes: float32 wins, then int32, then bool. */
export function upcast(a: DType, b: DType): DType {
  if (a === 'float32' || b === 'float32') return 'float32';
  if (a === 'int32' || b === 'int32') return 'int32';
  return 'bool';
}

/** Normalises -0 (which integer arithmetic on shapes can produce) to 0. */
export const dim = (d: number) => d + 0;
/** `dim` that leaves an unknown dim unknown. */
export const dimOrNull = (d: Dim): Dim => (d === null ? null : d + 0);
