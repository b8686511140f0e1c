/**
 * Control-flow operators. Converted code passes each statement's parts as closures, plus
 * `getState`/`setState` accessors for the variables the statement threads (modified and live), their
 * names, and the statement's source location. On JS values and eager tensors the statement runs
 * natively; the state accessors are there for staging, which traces the closures instead.
 */

import { stagedForOf, stagedIf, stagedWhile } from '../staging/control-flow.ts';
import { isSymbolic } from '../staging/recording-backend.ts';
import { isStagedList } from '../staging/lists.ts';
import { unrollWatch } from '../staging/unroll.ts';
import { truthy } from './operators.ts';
import { isTensor, type TensorLike, tf } from './tensors.ts';

export type Thunk = () => unknown;
export type GetState = (() => unknown[]) | null;
export type SetState = ((values: unknown[]) => void) | null;

/** `if (cond) body else orelse`. */
export function if_(
  cond: unknown,
  body: Thunk,
  orelse: Thunk | null,
  getState: GetState,
  setState: SetState,
  names: readonly string[],
  /** How many of `names` are outputs; the others are only restored between the branches. */
  outputs: number,
  where?: string,
): void {
  if (isSymbolic(cond)) stagedIf(cond, body, orelse, getState, setState, names, outputs, where);
  else if (truthy(cond, where)) body();
  else if (orelse !== null) orelse();
}

/** `while (test()) body()`. */
export function while_(
  test: Thunk,
  body: Thunk,
  getState: GetState,
  setState: SetState,
  names: readonly string[],
  where?: string,
): void {
  // A JS loop whose condition turns symbolic (a tensor-conditioned break set its flag) continues as
  // a staged loop: the iterations so far ran (unrolled) at trace time.
  const unrolled = unrollWatch(where);
  for (let c = test(); ; c = test()) {
    if (isSymbolic(c)) {
      stagedWhile(c, test, body, getState, setState, names, where);
      return;
    }
    if (!truthy(c, where)) return;
    body();
    unrolled?.();
  }
}

/** `do body() while (test())`. */
export function doWhile(
  body: Thunk,
  test: Thunk,
  getState: GetState,
  setState: SetState,
  names: readonly string[],
  where?: string,
): void {
  let c: unknown;
  const unrolled = unrollWatch(where);
  do {
    body();
    unrolled?.();
    c = test();
    // the first iteration ran as JS; the rest is a staged loop when the condition turned symbolic
    if (isSymbolic(c)) {
      stagedWhile(c, test, body, getState, setState, names, where);
      return;
    }
  } while (truthy(c, where));
}

/** `for (; test(); update()) body()`; the init part runs before, as a plain statement. */
export function for_(
  test: Thunk | null,
  update: Thunk | null,
  body: Thunk,
  getState: GetState,
  setState: SetState,
  names: readonly string[],
  where?: string,
): void {
  const step = () => {
    body();
    update?.();
  };
  const unrolled = unrollWatch(where);
  for (let c = test === null ? true : test(); ; c = test === null ? true : test()) {
    if (isSymbolic(c)) {
      stagedWhile(c, test!, step, getState, setState, names, where);
      return;
    }
    if (!truthy(c, where)) return;
    step();
    unrolled?.();
  }
}

/**
 * `for (target of iterable) body(value)`. `extraTest` (set when the body can break or return) is
 * checked after each iteration, before the iterator is advanced, so iterators close exactly as
 * the original `break` would close them. A tensor is iterated along its first axis.
 */
export function forOf(
  iterable: unknown,
  /** The iterable's source text, for JS's "x is not iterable" message (see `iterate`). */
  text: string | null,
  body: (value: unknown) => void,
  extraTest: Thunk | null,
  getState: GetState,
  setState: SetState,
  names: readonly string[],
  where?: string,
): void {
  if (isStagedList(iterable)) {
    // an empty list of unknown elements has no rows to iterate
    if (iterable.stacked) stagedForOf(iterable.stacked, body, extraTest, getState, setState, names, where);
    return;
  }
  if (isSymbolic(iterable)) {
    stagedForOf(iterable as any, body, extraTest, getState, setState, names, where);
    return;
  }
  let go: unknown = true;
  const unrolled = unrollWatch(where);
  for (const value of iterate(iterable, text)) {
    unrolled?.();
    // Once a break/return flag is symbolic, each further iteration of the (unrolled) JS iteration
    // runs under a staged cond on it.
    if (isSymbolic(go)) stagedIf(go, () => body(value), null, getState, setState, names, names.length, where);
    else body(value);
    if (extraTest === null) continue;
    go = extraTest();
    if (!isSymbolic(go) && !truthy(go, where)) break;
  }
}

/** `for (key in object) body(key)`, with `extraTest` as in `forOf`. */
export function forIn(
  object: unknown,
  body: (key: string) => void,
  extraTest: Thunk | null,
  getState: GetState,
  setState: SetState,
  names: readonly string[],
  where?: string,
): void {
  let go: unknown = true;
  for (const key in object as object) {
    if (isSymbolic(go)) stagedIf(go, () => body(key), null, getState, setState, names, names.length, where);
    else body(key);
    if (extraTest === null) continue;
    go = extraTest();
    if (!isSymbolic(go) && !truthy(go, where)) break;
  }
}

/**
 * What `for (… of x)` iterates: a tensor's rows, or `x` itself. A non-iterable gets JS's TypeError:
 * `text` names it as V8 would, or is null where V8 describes the value instead.
 */
export function iterate(iterable: unknown, text: string | null): Iterable<unknown> {
  if (isTensor(iterable)) return tensorRows(iterable);
  if (iterable == null || typeof (iterable as any)[Symbol.iterator] !== 'function') {
    throw new TypeError(
      text === null
        ? `${describe(iterable)} is not iterable (cannot read property Symbol(Symbol.iterator))`
        : `${text} is not iterable`,
    );
  }
  return iterable as Iterable<unknown>;
}

/** V8's description of a value in an error message ("number 6", "object null", "undefined"). */
function describe(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (v === null) return 'object null';
  if (typeof v === 'number' || typeof v === 'boolean') return `${typeof v} ${String(v)}`;
  return typeof v;
}

function tensorRows(t: TensorLike): unknown[] {
  if (t.rank === 0) throw new TypeError('a scalar tensor cannot be iterated');
  // tfjs's gradient of a one-row unstack breaks (it stacks a single adjoint, not an array of them)
  if (t.shape[0] === 1) return [tf().reshape(t as any, t.shape.slice(1))];
  return tf().unstack(t as any);
}
