/**
 * Control flow on symbolic values, as the graph-form runtime operators record it: `if`/`?:`/`&&`
 * become `cond` with both branches traced, loops become `while` with the loop variables (the
 * statement's threaded state) carried. JS numbers and booleans carried by staged control flow are
 * promoted to tensors (integers → int32); values must keep their dtype and shape.
 */
import { StagingError } from '../errors.ts';
import type { Region, Value } from '../ir/graph.ts';
import { type DType, formatType, sameType, sizeOf, type TensorType, tensorType } from '../ir/types.ts';
import { isTensor, type TensorLike, tf } from '../runtime/tensors.ts';
import { dimOf } from './dynamic-dims.ts';
import { RETURN_VALUE } from '../protocol.ts';
import { activeRecorder, type Recorder } from './recording-backend.ts';

type GetState = (() => unknown[]) | null;
type SetState = ((values: unknown[]) => void) | null;

const at = (where: string | undefined) => (where ? `${where}: ` : '');

function recorder(): Recorder {
  const r = activeRecorder();
  if (!r) throw new StagingError('staged control flow outside a trace');
  return r;
}

/**
 * The IR value of what a variable holds: a tensor, or a JS number/boolean promoted to a constant.
 * A JS number is float32, as tfjs makes every JS number, unless `dtype` asks for int32 and it is an
 * integer int32 holds (weak typing: the number takes the dtype of the values it meets).
 */
function toValue(r: Recorder, x: unknown, name: string, where: string | undefined, dtype?: DType): Value {
  if (isTensor(x)) return r.valueFor(x as any);
  const trace = r.trace!;
  if (typeof x === 'number')
    return dtype === 'int32' && isInt32(x)
      ? trace.constant(Int32Array.of(x), [], 'int32')
      : trace.constant(Float32Array.of(x), [], 'float32');
  if (typeof x === 'boolean') return trace.constant(Uint8Array.of(x ? 1 : 0), [], 'bool');
  const what = x === undefined ? 'undefined' : x === null ? 'null' : typeof x;
  throw new StagingError(
    `${at(where)}'${name}' is ${what}, but staged control flow can only carry tensors, numbers and booleans` +
      (x === undefined ? ` (define '${name}' before the statement)` : ''),
  );
}

const isInt32 = (x: unknown): x is number =>
  typeof x === 'number' && Number.isInteger(x) && x >= -(2 ** 31) && x < 2 ** 31;

/** The dtype a JS number takes beside `other` (another branch's value): int32 beside an int32 tensor. */
const weakDtype = (other: unknown): DType | undefined =>
  isTensor(other) && other.dtype === 'int32' ? 'int32' : undefined;

/** A staged condition: a scalar; numbers are true when non-zero. */
function predicate(r: Recorder, cond: unknown, where: string | undefined): Value {
  const v = toValue(r, cond, 'condition', where);
  if (v.type.shape.length !== 0) {
    throw new StagingError(
      `${at(where)}a condition must be a scalar, got a tensor of shape [${v.type.shape.join(',')}]; reduce it first (tf.any, tf.all, tf.sum)`,
    );
  }
  if (v.type.dtype === 'bool') return v;
  const zero = toValue(r, 0, 'zero', where);
  const z = v.type.dtype === 'float32' ? zero : r.trace!.emit('Cast', [zero], { dtype: v.type.dtype })[0]!;
  return r.trace!.emit('NotEqual', [v, z], {})[0]!;
}

/**
 * Variables first defined inside a loop (an early-return value, a result assigned in the body) have
 * no value to enter with. As TensorFlow's AutoGraph does, the body is traced once, in a region that is
 * then dropped, to learn their dtype and shape; they enter the loop as zeros of that type. A body that
 * needs such a variable's value before assigning it cannot be staged.
 */
function typesAfterOneIteration(
  r: Recorder,
  initial: unknown[],
  body: () => unknown,
  getState: GetState,
  setState: SetState,
  names: readonly string[],
  where: string | undefined,
  entryDtype: (i: number) => DType | undefined,
): (TensorType | undefined)[] {
  const missing = initial.flatMap((x, i) => (x === undefined ? [i] : []));
  if (missing.length === 0) return [];
  const learned: (TensorType | undefined)[] = [];
  const defined = initial.map((x, i) =>
    x === undefined ? undefined : toValue(r, x, names[i]!, where, entryDtype(i)).type,
  );
  const list = missing.map((i) => `'${names[i]}'`).join(', ');
  r.trace!.region(
    defined.filter((t): t is TensorType => t !== undefined),
    (params) => {
      let k = 0;
      setState?.(initial.map((x) => (x === undefined ? undefined : r.tensorFor(params[k++]!))));
      try {
        body();
      } catch (e) {
        if (e instanceof StagingError) throw e;
        throw new StagingError(
          `${at(where)}${list} not defined before the loop, and the loop body needs a value first: ${(e as Error).message}`,
        );
      }
      const after = getState ? getState() : [];
      // still undefined: this trace's body does not assign it, so it is not a loop variable here
      for (const i of missing)
        if (after[i] !== undefined) learned[i] = toValue(r, after[i], names[i]!, where).type;
      return [];
    },
  );
  return learned;
}

/** The type a branch gives variable `i` (converted inside that branch's region). */
function toValueIn(
  r: Recorder,
  branch: { region: Region; state: unknown[] },
  i: number,
  name: string,
  where: string | undefined,
  dtype?: DType,
): Value {
  return r.trace!.appendTo(branch.region, () => toValue(r, branch.state[i], name, where, dtype));
}

/** A constant of zeros: the entry value of a loop variable first defined inside the loop. */
function zeros(r: Recorder, type: TensorType): Value {
  const size = sizeOf(type.shape);
  if (size === null)
    throw new StagingError(`a loop variable of type ${formatType(type)} has a dynamic dimension`);
  const data =
    type.dtype === 'float32'
      ? new Float32Array(size)
      : type.dtype === 'int32'
        ? new Int32Array(size)
        : new Uint8Array(size);
  return r.trace!.constant(data, type.shape as number[], type.dtype);
}

const describe = (t: TensorType) => `${t.dtype} [${t.shape.join(',')}]`;

/**
 * `if (cond) body else orelse` on a symbolic condition. Both branches are traced from the same entry
 * state; the first `outputs` names are the cond's outputs, the others are only restored between the
 * branches (they are dead after the statement).
 */
export function stagedIf(
  cond: unknown,
  body: () => unknown,
  orelse: (() => unknown) | null,
  getState: GetState,
  setState: SetState,
  names: readonly string[],
  outputs: number,
  where: string | undefined,
): void {
  const r = recorder();
  const trace = r.trace!;
  const pred = predicate(r, cond, where);
  const initial = getState ? getState() : [];
  const branch = (fn: (() => unknown) | null) => {
    let state: unknown[] = [];
    const region = trace.region([], () => {
      setState?.(initial);
      fn?.();
      state = (getState ? getState() : []).slice(0, outputs);
      return [];
    });
    return { region, state };
  };
  const then = branch(body);
  const orElse = branch(orelse);
  const merged = mergeBranches(r, pred, then, orElse, names.slice(0, outputs), where, 'the if statement');
  setState?.([...merged, ...initial.slice(outputs)]);
}

/** `c ? a() : b()` (and lazy `&&`/`||`) on a symbolic condition. */
export function stagedIfExp(
  cond: unknown,
  a: () => unknown,
  b: () => unknown,
  where: string | undefined,
): unknown {
  const r = recorder();
  const trace = r.trace!;
  const pred = predicate(r, cond, where);
  const branch = (fn: () => unknown) => {
    let value: unknown;
    const region = trace.region([], () => {
      value = fn();
      return [];
    });
    return { region, state: [value] };
  };
  const [value] = mergeBranches(
    r,
    pred,
    branch(a),
    branch(b),
    ['the value'],
    where,
    'the conditional expression',
  );
  return value;
}

/**
 * Builds the `cond` node: variables that end equal JS values in both branches stay JS values; the
 * others become outputs, of the same type in both branches.
 */
function mergeBranches(
  r: Recorder,
  pred: Value,
  then: { region: Region; state: unknown[] },
  orElse: { region: Region; state: unknown[] },
  names: readonly string[],
  where: string | undefined,
  what: string,
): unknown[] {
  const trace = r.trace!;
  const staged: number[] = [];
  names.forEach((name, i) => {
    const [a, b] = [then.state[i], orElse.state[i]];
    if (!isTensor(a) && !isTensor(b) && Object.is(a, b)) return;
    if ((a === undefined) !== (b === undefined) && name === RETURN_VALUE) {
      // Only read once the return flag (set in the same branch) is true: the other branch may hold zeros.
      return staged.push(i);
    }
    if ((a === undefined) !== (b === undefined)) {
      throw new StagingError(
        `${at(where)}'${name}' must be defined in both branches of ${what} (it is undefined in the ${a === undefined ? 'then' : 'else'} branch)`,
      );
    }
    staged.push(i);
  });
  const results = (branch: typeof then, other: typeof then) =>
    trace.appendTo(branch.region, () =>
      staged.map((i) =>
        branch.state[i] === undefined
          ? zeros(r, toValueIn(r, other, i, names[i]!, where).type)
          : toValue(r, branch.state[i], names[i]!, where, weakDtype(other.state[i])),
      ),
    );
  then.region.results = results(then, orElse);
  orElse.region.results = results(orElse, then);
  staged.forEach((i, k) => {
    const [a, b] = [then.region.results[k]!.type, orElse.region.results[k]!.type];
    if (sameType(a, b)) return;
    if (a.dtype !== b.dtype || a.shape.length !== b.shape.length) {
      throw new StagingError(
        `${at(where)}'${names[i]}' is ${describe(a)} in the then branch but ${describe(b)} in the else branch of ${what}; both branches must give it the same dtype and rank`,
      );
    }
    // dims that differ between the branches are dynamic in the cond's output
    const type = generalize(a, b);
    for (const branch of [then, orElse])
      branch.region.results[k] = trace.appendTo(branch.region, () =>
        forgetDims(r, branch.region.results[k]!, type),
      );
  });
  const outputs = trace.structured(
    'cond',
    [pred],
    [then.region, orElse.region],
    then.region.results.map((v) => v.type),
  );
  const merged = [...then.state];
  staged.forEach((i, k) => (merged[i] = r.tensorFor(outputs[k]!)));
  return merged;
}

/** A loop value whose dims changed in one iteration: traced again with `type` (those dims dynamic). */
class LoopValueRelaxed extends Error {
  constructor(
    readonly index: number,
    readonly type: TensorType,
  ) {
    super('a loop variable changed its dims');
  }
}

/** `b`'s type with every dim that differs from `a`'s unknown. */
const generalize = (a: TensorType, b: TensorType): TensorType =>
  tensorType(
    b.dtype,
    b.shape.map((d, i) => (d === a.shape[i] ? d : null)),
  );

/** `v` as a value of `type`, whose dims are `v`'s or unknown: the same values, with dims forgotten. */
function forgetDims(r: Recorder, v: Value, type: TensorType): Value {
  if (sameType(v.type, type)) return v;
  const trace = r.trace!;
  const [shape] = trace.emit('Shape', [v], {}) as [Value];
  return trace.emit('DynamicReshape', [v, shape], { dims: [...type.shape] })[0]!;
}

/** A JS integer carried by a loop entered as int32, and one iteration made it float32. */
class WeakNumberWidened extends Error {
  constructor(readonly index: number) {
    super('a weakly typed loop variable became float32');
  }
}

/**
 * `while (test()) body()` whose condition `first` (the test just evaluated, its effects on the state
 * applied) is symbolic. The condition is carried as a loop value and recomputed at the end of each
 * iteration, so what the test assigns (`i++ < n`) is seen by the body and kept, exactly as in JS.
 * Variables still undefined after one traced iteration are not assigned in this trace and stay out.
 *
 * JS integers are weakly typed: they enter as int32, and the loop is traced again with one as float32
 * when an iteration makes it float32 (`s = s + 0.5`) or when tracing with int32 values fails (a tfjs
 * op that needs matching dtypes), so a counter stays int32 beside int32 tensors, as it does eagerly.
 */
export function stagedWhile(
  first: unknown,
  test: () => unknown,
  body: () => unknown,
  getState: GetState,
  setState: SetState,
  names: readonly string[],
  where: string | undefined,
): void {
  const r = recorder();
  const all = getState ? getState() : [];
  const asFloat = new Set<number>();
  const relaxed = new Map<number, TensorType>();
  for (;;) {
    const entryDtype = (i: number): DType | undefined => (asFloat.has(i) ? undefined : 'int32');
    try {
      whileOnce(r, { first, test, body, getState, setState, names, where }, all, entryDtype, relaxed);
      return;
    } catch (e) {
      const weak = all.flatMap((x, i) => (isInt32(x) && !asFloat.has(i) ? [i] : []));
      if (e instanceof WeakNumberWidened) asFloat.add(e.index);
      else if (e instanceof LoopValueRelaxed) relaxed.set(e.index, e.type);
      else if (weak.length > 0) for (const i of weak) asFloat.add(i);
      else throw e;
      setState?.([...all]);
    }
  }
}

interface WhileParts {
  first: unknown;
  test: () => unknown;
  body: () => unknown;
  getState: GetState;
  setState: SetState;
  names: readonly string[];
  where: string | undefined;
}

function whileOnce(
  r: Recorder,
  { first, test, body, getState, setState, names, where }: WhileParts,
  all: unknown[],
  entryDtype: (i: number) => DType | undefined,
  relaxed: ReadonlyMap<number, TensorType>,
): void {
  const trace = r.trace!;
  const learned = typesAfterOneIteration(r, all, body, getState, setState, names, where, entryDtype);
  // The carried variables: those defined, or defined by the body.
  const carried = all.flatMap((x, i) => (x !== undefined || learned[i] ? [i] : []));
  const get = () => {
    const state = getState ? getState() : [];
    return carried.map((i) => state[i]);
  };
  const set = (values: unknown[]) => {
    const state = getState ? getState() : [];
    carried.forEach((i, k) => (state[i] = values[k]));
    setState?.(state);
  };
  const init = [
    predicate(r, first, where),
    ...carried.map((i) => {
      const v =
        all[i] === undefined ? zeros(r, learned[i]!) : toValue(r, all[i], names[i]!, where, entryDtype(i));
      const type = relaxed.get(i);
      return type ? forgetDims(r, v, type) : v;
    }),
  ];
  const types = init.map((v) => v.type);
  const enter = (params: Value[]) => set(params.slice(1).map((p) => r.tensorFor(p)));
  const cond = trace.region(types, (params) => [params[0]!]);
  const carriedValues = () =>
    get().map((x, k) => {
      const i = carried[k]!;
      const entry = types[k + 1]!;
      const v = toValue(r, x, names[i]!, where, entry.dtype);
      if (sameType(v.type, entry)) return v;
      if (entry.dtype === 'int32' && v.type.dtype === 'float32' && isInt32(all[i]))
        throw new WeakNumberWidened(i);
      if (v.type.dtype !== entry.dtype || v.type.shape.length !== entry.shape.length)
        throw new StagingError(
          `${at(where)}'${names[i]}' is ${describe(entry)} before the loop but ${describe(v.type)} after one iteration; a loop variable must keep its dtype and rank (${formatType(entry)})`,
        );
      const general = generalize(entry, v.type);
      // a value that grows (or shrinks): the loop is traced again with those dims dynamic
      if (!sameType(general, entry)) throw new LoopValueRelaxed(i, general);
      return forgetDims(r, v, entry);
    });
  const loop = trace.region(types, (params) => {
    enter(params);
    body();
    carriedValues(); // checked before the test, so a type change is reported as such
    const next = predicate(r, test(), where);
    return [next, ...carriedValues()];
  });
  const outputs = trace.structured('while', init, [cond, loop], types);
  set(outputs.slice(1).map((v) => r.tensorFor(v)));
}

/**
 * `for (const v of t)` over a symbolic tensor: a staged loop over the first axis, with a hidden
 * int32 index carried beside the statement's own variables; `extraTest` (break/return flags) stops it.
 */
export function stagedForOf(
  iterable: { shape: number[] },
  body: (value: unknown) => void,
  extraTest: (() => unknown) | null,
  getState: GetState,
  setState: SetState,
  names: readonly string[],
  where: string | undefined,
): void {
  const t = tf();
  if (iterable.shape.length === 0) throw new StagingError(`${at(where)}a scalar tensor cannot be iterated`);
  // An int32 length: a JS number would be float32 and cast the index every iteration.
  const rows = dimOf(iterable as TensorLike, 0);
  const length = typeof rows === 'number' ? t.scalar(rows, 'int32') : (rows as any);
  let index: unknown = t.scalar(0, 'int32');
  const test = () => {
    const more = t.less(index as any, length);
    if (extraTest === null) return more;
    const go = extraTest();
    return typeof go === 'boolean' ? (go ? more : t.scalar(false)) : t.logicalAnd(more, go as any);
  };
  stagedWhile(
    test(),
    test,
    () => {
      body(t.gather(iterable as any, index as any));
      index = t.add(index as any, t.scalar(1, 'int32'));
    },
    () => [index, ...(getState ? getState() : [])],
    (values) => {
      index = values[0];
      setState?.(values.slice(1));
    },
    ['the loop index', ...names],
    where,
  );
}
