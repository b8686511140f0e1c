/** Value types of the IR: a dtype and a static shape (every dimension known). */

export type DType = 'float32' | 'int32' | 'bool';

export interface TensorType {
  readonly dtype: DType;
  readonly shape: readonly number[];
}

export const tensorType = (dtype: DType, shape: readonly number[]): TensorType => ({
  dtype,
  shape: [...shape],
});

export const sameType = (a: TensorType, b: TensorType) =>
  a.dtype === b.dtype && a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape[i]);

export const sizeOf = (shape: readonly number[]) => shape.reduce((n, d) => n * d, 1);

/** `f32[2,3]`, `i32[]`, `bool[4]`. */
export function formatType(t: TensorType): string {
  const short = t.dtype === 'float32' ? 'f32' : t.dtype === 'int32' ? 'i32' : 'bool';
  return `${short}[${t.shape.join(',')}]`;
}

/** Numpy-style broadcasting of two shapes; throws when they are incompatible. */
export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) throw new Error(`shapes [${a}] and [${b}] cannot be broadcast`);
    out.push(da === 1 ? db : da);
  }
  return out;
}
