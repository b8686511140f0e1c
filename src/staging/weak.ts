/**
 * Weakly typed integers in staged code. A JS integer that staged control flow carries (a loop
 * counter) is a float32 tensor to tfjs, as tfjs makes every JS number, so `tf.div(t, i)` or
 * `tf.stack([i])` mean what they mean eagerly; the converted operators treat it as the JS integer it
 * stands for, so beside an int32 tensor it is int32 (`steps + n % 2` on an int32 `n`), as a JS
 * number is there eagerly. Sums, differences, products and remainders of such values stay weak.
 */
const weakInts = new WeakSet<object>();

/** Marks a symbolic tensor as standing for JS integers; returns it. */
export function markWeakInt<T>(t: T): T {
  if (typeof t === 'object' && t !== null) weakInts.add(t);
  return t;
}

/** Whether `x` is a symbolic tensor standing for JS integers. */
export const isWeakInt = (x: unknown): boolean => typeof x === 'object' && x !== null && weakInts.has(x);

/** A JS number that int32 holds exactly. */
export const isInt32 = (x: unknown): x is number =>
  typeof x === 'number' && Number.isInteger(x) && x >= -(2 ** 31) && x < 2 ** 31;

/** A JS integer, or a tensor standing for one. */
export const isWeakInteger = (x: unknown): boolean => isInt32(x) || isWeakInt(x);
