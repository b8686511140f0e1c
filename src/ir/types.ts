/**
 * Value types of the IR: a dtype and a shape. A dimension is a number or `null`, unknown at trace time
 * (TensorFlow's `None`): a batch size or a sequence length that changes from run to run. A null dim is
 * compatible with any dim; two null dims are not known to be equal at run time.
 */

export type DType = 'float32' | 'int32' | 'bool';

/** One dimension: its size, or null where it is only known at run time. */
export type Dim = number | null;

export interface TensorType {
  readonly dtype: DType;
  readonly shape: readonly Dim[];
}

export const tensorType = (dtype: DType, shape: readonly Dim[]): TensorType => ({
  dtype,
  shape: [...shape],
});

/** Exactly the same type: a null dim equals only a null dim. */
export const sameType = (a: TensorType, b: TensorType) =>
  a.dtype === b.dtype && a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape[i]);

/** Two dims that may be equal at run time: equal, or either unknown. */
export const compatibleDim = (a: Dim, b: Dim) => a === null || b === null || a === b;

/** Same dtype and rank, and each pair of dims compatible (equal, or either null). */
export const compatibleType = (a: TensorType, b: TensorType) =>
  a.dtype === b.dtype &&
  a.shape.length === b.shape.length &&
  a.shape.every((d, i) => compatibleDim(d, b.shape[i]!));

/** `b`'s type with every dim that differs from `a`'s unknown (the type that serves both shapes). */
export const generalizeType = (a: TensorType, b: TensorType): TensorType =>
  tensorType(
    b.dtype,
    b.shape.map((d, i) => (d === a.shape[i] ? d : null)),
  );

/** Whether every dim is known. */
export const isStatic = (shape: readonly Dim[]): shape is readonly number[] => shape.every((d) => d !== null);

/** The element count, or null when a dim is unknown (a static 0 still makes it 0). */
export const sizeOf = (shape: readonly Dim[]): number | null => {
  if (shape.includes(0)) return 0;
  return isStatic(shape) ? shape.reduce((n, d) => n * d, 1) : null;
};

/** A dim as text: its size, or `?` when it is unknown. */
export const formatDim = (d: Dim) => (d === null ? '?' : String(d));

/** A shape as text, `2,?,3` (no brackets). */
export const formatShape = (shape: readonly Dim[]) => shape.map(formatDim).join(',');

/** `f32[2,3]`, `i32[]`, `bool[4]`, `f32[?,8]`. */
export function formatType(t: TensorType): string {
  const short = t.dtype === 'float32' ? 'f32' : t.dtype === 'int32' ? 'i32' : 'bool';
  return `${short}[${formatShape(t.shape)}]`;
}

/**
 * Numpy-style broadcasting of two shapes; throws when they are certainly incompatible. An unknown dim
 * against 1 stays unknown; against a known n ≠ 1 it must be n (or the run fails), so it is n.
 */
export function broadcastShapes(a: readonly Dim[], b: readonly Dim[]): Dim[] {
  const rank = Math.max(a.length, b.length);
  const out: Dim[] = [];
  for (let i = 0; i < rank; i++) {
    // (a missing leading dim is 1; a null one is unknown, so not `?? 1`)
    const ia = a.length - rank + i;
    const ib = b.length - rank + i;
    const da = ia < 0 ? 1 : a[ia]!;
    const db = ib < 0 ? 1 : b[ib]!;
    if (da === null || db === null) {
      const known = da ?? db;
      out.push(known === null || known === 1 ? null : known);
      continue;
    }
    if (da !== db && da !== 1 && db !== 1)
      throw new Error(`shapes [${formatShape(a)}] and [${formatShape(b)}] cannot be broadcast`);
    out.push(da === 1 ? db : da);
  }
  return out;
}
