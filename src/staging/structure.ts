/**
 * Structured values in staged control flow (TensorFlow's nests): a variable that a `cond` or `while`
 * carries may hold an array or a plain object of tensors (`c ? [a, b] : [d, e]`, an LSTM's `[h, c]`
 * state) or a list (a JS array that grows: see lists.ts). Its layout says how its value maps to the
 * flat IR values of the node: one per tensor leaf, one per list; JS values equal on every path stay
 * JS values.
 */
import { StagingError } from '../errors.ts';
import type { Value } from '../ir/graph.ts';
import { isStagedList, StagedList, stackedRows } from './lists.ts';
import type { Recorder } from './recording-backend.ts';
import { isTensor, tf } from '../runtime/tensors.ts';

export type Layout =
  | { leaf: true }
  | { list: true }
  | { same: unknown }
  | { array: Layout[] }
  | { object: [string, Layout][] };

const LEAF: Layout = { leaf: true };
export const LIST: Layout = { list: true };

const isPlainObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && Object.getPrototypeOf(x) === Object.prototype;

/**
 * The layout that fits both `a` and `b` (the values of one variable on two paths): arrays of the same
 * length and objects with the same keys element by element, arrays of different lengths as lists.
 * `undefined` on one side takes the other side's layout (its leaves are then zeros).
 */
export function commonLayout(a: unknown, b: unknown, name: string, where: string): Layout {
  if (a === undefined) return b === undefined ? LEAF : commonLayout(b, b, name, where);
  if (b === undefined) return commonLayout(a, a, name, where);
  if (!isTensor(a) && !isTensor(b) && !isStagedList(a) && !isStagedList(b) && Object.is(a, b)) {
    if (!Array.isArray(a) && !isPlainObject(a)) return { same: a };
  }
  if (isStagedList(a) || isStagedList(b)) return LIST;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return LIST;
    return { array: a.map((x, i) => commonLayout(x, b[i], `${name}[${i}]`, where)) };
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    if (keys.join() !== Object.keys(b).join())
      throw new StagingError(
        `${where}'${name}' is an object with keys {${keys.join(', ')}} on one path and {${Object.keys(b).join(', ')}} on another; staged control flow needs the same keys`,
      );
    return { object: keys.map((k) => [k, commonLayout(a[k], b[k], `${name}.${k}`, where)]) };
  }
  if (Array.isArray(a) !== Array.isArray(b) || isPlainObject(a) !== isPlainObject(b))
    throw new StagingError(
      `${where}'${name}' is ${kind(a)} on one path and ${kind(b)} on another; staged control flow needs the same structure`,
    );
  return LEAF;
}

const kind = (x: unknown) =>
  Array.isArray(x) ? 'an array' : isPlainObject(x) ? 'an object' : isTensor(x) ? 'a tensor' : typeof x;

/**
 * The layout of a loop's entry value: arrays and objects element by element, every other value one
 * leaf (the body may change it, so even a JS number is carried).
 */
export function layoutOf(x: unknown): Layout {
  if (isStagedList(x)) return LIST;
  if (Array.isArray(x)) return { array: x.map(layoutOf) };
  if (isPlainObject(x)) return { object: Object.entries(x).map(([k, v]) => [k, layoutOf(v)]) };
  return LEAF;
}

/** One leaf of a flattened value: the value there (undefined where the variable is), its path for messages. */
export interface Leaf {
  value: unknown;
  name: string;
  list: boolean;
}

/** `x` flattened by `layout` (which must fit it, else a StagingError naming the variable). */
export function leavesOf(layout: Layout, x: unknown, name: string, where: string): Leaf[] {
  if ('leaf' in layout) return [{ value: x, name, list: false }];
  if ('list' in layout) return [{ value: x, name, list: true }];
  if ('same' in layout) return [];
  if (x === undefined) {
    const items =
      'array' in layout
        ? layout.array.map((l, i) => [`${name}[${i}]`, l] as const)
        : layout.object.map(([k, l]) => [`${name}.${k}`, l] as const);
    return items.flatMap(([n, l]) => leavesOf(l, undefined, n, where));
  }
  if ('array' in layout) {
    if (!Array.isArray(x) || x.length !== layout.array.length)
      throw new StructureChanged(name, Array.isArray(x) ? `an array of ${x.length}` : kind(x), where);
    return layout.array.flatMap((l, i) => leavesOf(l, x[i], `${name}[${i}]`, where));
  }
  if (!isPlainObject(x)) throw new StructureChanged(name, kind(x), where);
  return layout.object.flatMap(([k, l]) => leavesOf(l, x[k], `${name}.${k}`, where));
}

/** A value whose structure changed where staged control flow needs it fixed (an array that grew). */
class StructureChanged extends StagingError {
  constructor(
    readonly variable: string,
    now: string,
    where: string,
  ) {
    super(
      `${where}'${variable}' changed its structure (it is ${now} now); staged control flow needs the same structure on every path`,
    );
  }
}

/** The value of `layout` rebuilt from its leaves, in order (lists as StagedLists). */
export function rebuild(layout: Layout, leaves: Iterator<unknown>): unknown {
  if ('leaf' in layout) return leaves.next().value;
  if ('list' in layout) return new StagedList(leaves.next().value as any);
  if ('same' in layout) return layout.same;
  if ('array' in layout) return layout.array.map((l) => rebuild(l, leaves));
  return Object.fromEntries(layout.object.map(([k, l]) => [k, rebuild(l, leaves)]));
}

/** A flattened argument or result: tensors become slots, everything else stays as it is. */
export type Skeleton =
  | { tensor: number }
  | { array: Skeleton[] }
  | { object: [string, Skeleton][] }
  | { value: unknown };

/** The values of skeleton `s` rebuilt with `tensors` in its slots. */
export function rebuildSkeleton(s: Skeleton, tensors: readonly unknown[]): unknown {
  if ('tensor' in s) return tensors[s.tensor];
  if ('array' in s) return s.array.map((e) => rebuildSkeleton(e, tensors));
  if ('object' in s) return Object.fromEntries(s.object.map(([k, v]) => [k, rebuildSkeleton(v, tensors)]));
  return s.value;
}

/** The result of the traced function as outputs: tensors, and numbers/booleans as constants. */
export function flattenResult(recorder: Recorder, x: unknown, values: Value[]): Skeleton {
  if (isTensor(x)) return { tensor: values.push(recorder.valueFor(x as any)) - 1 };
  // a list of a dynamic length leaves as its stacked rows (tf.stack of it)
  if (isStagedList(x)) return flattenResult(recorder, stackedRows(x), values);
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
