/**
 * Lists in staged code (TensorFlow's TensorArray / TensorList). A JS array of tensors that staged
 * control flow carries becomes a `StagedList`: its elements are the rows of one symbolic tensor
 * `stacked` of type `[n, ...element]`, where `n` may be dynamic (a list pushed to in a staged loop
 * grows, so the loop traces its length dynamic). `push` concatenates a row, `a[i]` gathers one,
 * `a.length` is the run-time length, `tf.stack(a)` is `stacked` itself and `tf.concat(a)` merges its
 * first two dims; `for…of` iterates its rows. An empty list stacks to `[0, ...element]` once an
 * element's type is known (a loop learns it from one traced iteration).
 */
import { StagingError } from '../errors.ts';
import { constData } from '../ir/graph.ts';
import { compatibleType, formatType, type TensorType, tensorType } from '../ir/types.ts';
import { isTensor, type TensorLike, tf } from '../runtime/tensors.ts';
import { dimOf } from './dynamic-dims.ts';
import { userLocation } from './trace.ts';
import { activeRecorder, recordOp } from './recording-backend.ts';

export class StagedList {
  /** The brand isStagedList checks: `#brand in x` runs no Proxy trap (`instanceof` runs getPrototypeOf). */
  readonly #brand = true;

  static is(x: unknown): x is StagedList {
    return typeof x === 'object' && x !== null && #brand in x;
  }

  /**
   * `stacked`: the elements as rows; undefined for an empty list whose element type is not known
   * yet (its first push decides it).
   */
  constructor(readonly stacked: TensorLike | undefined) {}

  /** The list's run-time length: a JS number when static, else a symbolic int32 scalar. */
  get length(): number | TensorLike {
    return this.stacked ? dimOf(this.stacked, 0) : 0;
  }

  /** Spreading or destructuring in JS: only a list of a static length has rows to hand out. */
  *[Symbol.iterator](): Iterator<TensorLike> {
    const n = this.length;
    if (typeof n !== 'number')
      throw new StagingError(
        'a list whose length is only known at run time cannot be spread or destructured in JS; use tf.stack(list), list[i] or for…of',
      );
    for (let i = 0; i < n; i++) yield listItem(this, i);
  }
}

/** tfjs's list-taking functions, as they take a staged list while tracing (`tf.stack(list)`). */
export function listTakingFunctions(): [unknown, (self: unknown, args: unknown[]) => unknown][] {
  const t = tf() as any;
  const axisZero = (what: string, axis: unknown) => {
    if (axis !== undefined && axis !== 0)
      throw new StagingError(`${what} of a staged list along axis ${String(axis)}: only axis 0 is supported`);
  };
  return [
    [
      t.stack,
      (_, [list, axis]) => {
        if (!isStagedList(list)) return t.stack(list, axis);
        axisZero('tf.stack', axis);
        return stackedRows(list);
      },
    ],
    [
      t.concat,
      (_, [list, axis]) => {
        if (!isStagedList(list)) return t.concat(list, axis);
        axisZero('tf.concat', axis);
        const rows = stackedRows(list);
        const rest = rows.shape.slice(2);
        if (rows.rank < 2) throw new StagingError('tf.concat of a list of scalars: use tf.stack');
        return t.reshape(rows, [-1, ...rest]);
      },
    ],
  ];
}

export const isStagedList = (x: unknown): x is StagedList => StagedList.is(x);

const at = (where: string | undefined) => (where ? `${where}: ` : '');

/** The rows of a list: one tensor, every element stacked (numbers and booleans are scalars). */
function stackElements(items: readonly unknown[], name: string, where: string | undefined): TensorLike {
  const t = tf();
  const tensors = items.map((x) => {
    if (isTensor(x)) return x;
    if (typeof x === 'number') return t.scalar(x);
    if (typeof x === 'boolean') return t.scalar(x, 'bool');
    throw new StagingError(
      `${at(where)}'${name}' holds ${x === null ? 'null' : typeof x}: staged control flow carries lists of tensors, numbers and booleans only`,
    );
  });
  const first = tensors[0]!;
  for (const [i, x] of tensors.entries()) {
    if (x.dtype !== first.dtype || x.shape.join() !== first.shape.join())
      throw new StagingError(
        `${at(where)}'${name}' is a list of mixed elements: element 0 is ${first.dtype}[${first.shape}] but element ${i} is ${x.dtype}[${x.shape}]; a staged list holds one dtype and shape`,
      );
  }
  return t.stack(tensors as any[]) as unknown as TensorLike;
}

/** A JS array that staged control flow carries, as a list (an empty one has no element type yet). */
export function listFromArray(
  items: readonly unknown[],
  name: string,
  where: string | undefined,
): StagedList {
  return new StagedList(items.length === 0 ? undefined : stackElements(items, name, where));
}

/** An empty list whose elements are `element` (known from another branch or iteration). */
export function emptyList(element: TensorType): StagedList {
  const r = activeRecorder()!;
  const empty = r.trace!.constant(
    constData(element.dtype, []),
    [0, ...(element.shape as number[])],
    element.dtype,
  );
  return new StagedList(r.tensorFor(empty));
}

/** The element type of a list's rows. */
export const elementType = (stacked: TensorType): TensorType =>
  tensorType(stacked.dtype, stacked.shape.slice(1));

/** `list.push(...items)` on a staged list: a new list with the rows appended. */
export function pushStaged(list: StagedList, items: unknown[]): StagedList {
  const t = tf();
  const where = locationHere();
  const rows = stackElements(items, 'the list', where);
  if (!list.stacked) return new StagedList(rows);
  const r = activeRecorder()!;
  const [have, add] = [list.stacked, rows].map((x) => elementType(r.valueFor(x as any).type));
  if (!compatibleType(have!, add!))
    throw new StagingError(
      `${at(where)}a list of ${formatType(have!)} elements cannot take a ${formatType(add!)} element; a staged list holds one dtype and shape`,
    );
  return new StagedList(t.concat([list.stacked as any, rows as any]) as unknown as TensorLike);
}

/** `list.pop()` on a staged list: the list without its last row, and that row. */
export function popStaged(list: StagedList): [StagedList, TensorLike] {
  const where = locationHere();
  const n = list.length;
  if (!list.stacked || n === 0) throw new StagingError(`${at(where)}pop() on an empty list`);
  const t = tf();
  const last = asInt(typeof n === 'number' ? n - 1 : t.sub(n as any, t.scalar(1, 'int32')));
  return [new StagedList(recordOp('SliceRows', [list.stacked, last])), t.gather(list.stacked as any, last)];
}

/** The user's `file:line:col` being traced, for list errors. */
const locationHere = () => userLocation(activeRecorder()?.trace).replace(/: $/, '') || undefined;

const asInt = (n: number | TensorLike): any => (typeof n === 'number' ? tf().scalar(n, 'int32') : n);

/** `list[i]` on a staged list: row `i` (a JS number or an int32 scalar). */
export function listItem(list: StagedList, i: unknown): TensorLike {
  if (!list.stacked) throw new StagingError('an empty list has no elements');
  return tf().gather(list.stacked as any, i as any) as unknown as TensorLike;
}

/** The list's rows as one tensor (`tf.stack(list)`), refusing an empty list of unknown elements. */
export function stackedRows(list: StagedList, where?: string): TensorLike {
  if (!list.stacked)
    throw new StagingError(
      `${at(where)}tf.stack of an empty list whose element type is unknown (nothing was pushed in this trace)`,
    );
  return list.stacked;
}

/** Whether converted code is tracing inside a staged region (a `cond` branch or `while` body). */
export const insideStagedRegion = (): boolean => (activeRecorder()?.trace?.depth ?? 0) > 1;
