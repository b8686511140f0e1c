/** Staged results against eager ones, as plain data: shared by the staged corpus and the staged fuzzer. */
import * as tf from '@tensorflow/tfjs-core';

/** A result as plain data: tensors read with their dtype and shape. */
export type Plain =
  | { tensor: { dtype: string; shape: number[]; values: number[] } }
  | { number: number }
  | { boolean: boolean }
  | { array: Plain[] }
  | { object: [string, Plain][] }
  | { other: unknown };

export function toArrays(x: unknown): Plain {
  if (x instanceof tf.Tensor) {
    return {
      tensor: { dtype: x.dtype, shape: [...x.shape], values: Array.from(x.dataSync() as ArrayLike<number>) },
    };
  }
  if (typeof x === 'number') return { number: x };
  if (typeof x === 'boolean') return { boolean: x };
  if (Array.isArray(x)) return { array: x.map(toArrays) };
  if (typeof x === 'object' && x !== null && Object.getPrototypeOf(x) === Object.prototype) {
    return { object: Object.entries(x).map(([k, v]) => [k, toArrays(v)]) };
  }
  return { other: x };
}

/** How close staged values must be to eager ones. */
export interface Tolerance {
  abs: number;
  rel: number;
  /**
   * Gradients past an overflow: a staged NaN matches any value, and any non-finite value matches any
   * other. A staged backward pass builds the adjoints of both branches of a cond and of every loop
   * value; one that is zero at run time (a branch not taken) times an overflowed ∞ is NaN where eager
   * tfjs, which never builds it, gives a number or ∞ (TensorFlow's graphs behave the same).
   */
  nonFinite?: boolean;
}

function closeWithin(tolerance: Tolerance) {
  return (a: number, e: number): boolean => {
    if (tolerance.nonFinite && (Number.isNaN(a) || !Number.isFinite(e))) return !Number.isFinite(a);
    if (Number.isNaN(e)) return Number.isNaN(a);
    if (!Number.isFinite(e)) return a === e;
    return Math.abs(a - e) <= tolerance.abs + tolerance.rel * Math.abs(e);
  };
}

const show = (p: Plain) => JSON.stringify(p);

/**
 * Where `staged` differs from `eager`, or null. A JS number or boolean on the eager side matches a
 * staged scalar tensor of the same value (staging turns them into tensors).
 */
export function difference(
  eager: Plain,
  staged: Plain,
  tolerance: Tolerance = { abs: 1e-6, rel: 1e-5 },
  path = 'result',
): string | null {
  const close = closeWithin(tolerance);
  if ('number' in eager || 'boolean' in eager) {
    const e = 'number' in eager ? eager.number : Number(eager.boolean);
    if ('tensor' in staged) {
      const t = staged.tensor;
      if (t.shape.length !== 0) return `${path}: eager ${e}, staged a tensor of shape [${t.shape}]`;
      const dtypes = 'boolean' in eager ? ['bool'] : ['int32', 'float32'];
      if (!dtypes.includes(t.dtype)) return `${path}: eager ${show(eager)}, staged dtype ${t.dtype}`;
      return close(t.values[0]!, e) ? null : `${path}: eager ${e}, staged ${t.values[0]}`;
    }
    const s = 'number' in staged ? staged.number : 'boolean' in staged ? Number(staged.boolean) : undefined;
    return s !== undefined && close(s, e) ? null : `${path}: eager ${show(eager)}, staged ${show(staged)}`;
  }
  if ('tensor' in eager) {
    if (!('tensor' in staged)) return `${path}: eager a tensor, staged ${show(staged)}`;
    const [e, s] = [eager.tensor, staged.tensor];
    if (e.dtype !== s.dtype) return `${path}: eager dtype ${e.dtype}, staged ${s.dtype}`;
    if (show({ other: e.shape }) !== show({ other: s.shape }))
      return `${path}: eager shape [${e.shape}], staged [${s.shape}]`;
    const bad = e.values.findIndex((v, i) => !close(s.values[i]!, v));
    return bad < 0 ? null : `${path}[${bad}]: eager ${e.values}, staged ${s.values}`;
  }
  if ('array' in eager) {
    if (!('array' in staged) || staged.array.length !== eager.array.length)
      return `${path}: eager ${show(eager)}, staged ${show(staged)}`;
    for (const [i, e] of eager.array.entries()) {
      const d = difference(e, staged.array[i]!, tolerance, `${path}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  if ('object' in eager) {
    if (!('object' in staged)) return `${path}: eager ${show(eager)}, staged ${show(staged)}`;
    const keys = (p: { object: [string, Plain][] }) => p.object.map(([k]) => k).join(',');
    if (keys(eager) !== keys(staged)) return `${path}: keys ${keys(eager)} vs ${keys(staged)}`;
    for (const [i, [k, e]] of eager.object.entries()) {
      const d = difference(e, staged.object[i]![1], tolerance, `${path}.${k}`);
      if (d) return d;
    }
    return null;
  }
  return Object.is(eager.other, 'other' in staged ? staged.other : Symbol())
    ? null
    : `${path}: eager ${show(eager)}, staged ${show(staged)}`;
}
