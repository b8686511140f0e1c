/**
 * Control flow on symbolic values, as the graph-form runtime operators record it: `if`/`?:`/`&&`
 * become `cond` with both branches traced, loops become `while` with the loop variables (the
 * statement's threaded state) carried. JS numbers and booleans carried by staged control flow are
 * promoted to tensors (integers → int32); values must keep their dtype and shape.
 */
import { StagingError } from '../errors.ts';
import { constData, type Region, type Value } from '../ir/graph.ts';
import {
  type DType,
  formatShape,
  formatType,
  sameType,
  sizeOf,
  type TensorType,
  generalizeType,
} from '../ir/types.ts';
import { sameShape } from '../ir/ops/attrs.ts';
import { isTensor, type TensorLike, tf } from '../runtime/tensors.ts';
import { dimOf } from './dynamic-dims.ts';
import { isInt32, isWeakInt, isWeakInteger, markWeakInt } from './weak.ts';
import { elementType, emptyList, isStagedList, listFromArray } from './lists.ts';
import { commonLayout, LIST, type Layout, type Leaf, layoutOf, leavesOf, rebuild } from './structure.ts';
import { RETURN_VALUE } from '../protocol.ts';
import { taped } from './gradients/tape.ts';
import { activeRecorder, type Recorder } from './recording-backend.ts';
import { AlwaysFails, isUserThrow, registerStagingSignal } from './checks.ts';
import { failsPending } from './recursion.ts';
import { isVariable, type Variable } from './variables.ts';

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
  // A return value is read when the function returns: the variable's value then. Any other local
  // holding a variable would be carried as a value, which later assigns would not reach.
  if (isVariable(x) && name !== RETURN_VALUE)
    throw new StagingError(
      `${at(where)}'${name}' holds the tf.Variable '${(x as Variable).name}' on one path of staged control flow but not on the other (or changes in a staged loop): the graph would carry its value, which later assigns would not reach; use the variable itself after the statement, or take a copy of its value (tf.clone(v))`,
    );
  if (isTensor(x)) {
    const v = r.valueFor(x as any);
    // a tensor standing for JS integers, beside int32: int32 (see weak.ts)
    return dtype === 'int32' && isWeakInt(x) && v.type.dtype === 'float32'
      ? r.trace!.emit('Cast', [v], { dtype: 'int32' })[0]!
      : v;
  }
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

/** The dtype a JS integer takes beside `other` (another branch's value): int32 beside an int32 tensor. */
const weakDtype = (other: unknown): DType | undefined =>
  isTensor(other) && other.dtype === 'int32' && !isWeakInt(other) ? 'int32' : undefined;

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

/** A constant of zeros: the entry value of a loop variable first defined inside the loop. */
export function zeros(r: Recorder, type: TensorType): Value {
  // A dynamic dim is empty: the value stands in until the body assigns it (it is never read before,
  // or only where a flag says it holds a value), and the loop carries it as `type`.
  const shape = type.shape.map((d) => d ?? 0);
  const data = constData(type.dtype, new Array(sizeOf(shape)!).fill(0));
  return forgetDims(r, r.trace!.constant(data, shape, type.dtype), type);
}

const describe = (t: TensorType) => `${t.dtype} [${formatShape(t.shape)}]`;

/**
 * `if (cond) body else orelse` on a symbolic condition. Both branches are traced from the same entry
 * state; the first `outputs` names are the cond's outputs, the others are only restored between the
 * branches (they are dead after the statement).
 */
export function stagedIf(...args: Parameters<typeof stagedIfOnTape>): void {
  taped(() => stagedIfOnTape(...args));
}

function stagedIfOnTape(
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
  const pred = predicate(r, cond, where);
  const initial = getState ? getState() : [];
  const branch = (fn: (() => unknown) | null) =>
    traceBranch(r, () => {
      setState?.(initial);
      fn?.();
      return (getState ? getState() : []).slice(0, outputs);
    });
  const [then, orElse] = [branch(body), branch(orelse)];
  settleFailures(r, pred, then, orElse, where);
  const variables = assignedVariables(then, orElse);
  const merged = mergeBranches(
    r,
    pred,
    then,
    orElse,
    [...names.slice(0, outputs), ...variables.names],
    where,
    'the if statement',
  );
  setState?.([...merged.slice(0, outputs), ...initial.slice(outputs)]);
  variables.assign(merged.slice(outputs));
}

/** `c ? a() : b()` (and lazy `&&`/`||`) on a symbolic condition. */
export function stagedIfExp(...args: Parameters<typeof stagedIfExpOnTape>): unknown {
  return taped(() => stagedIfExpOnTape(...args));
}

function stagedIfExpOnTape(
  cond: unknown,
  a: () => unknown,
  b: () => unknown,
  where: string | undefined,
): unknown {
  const r = recorder();
  const pred = predicate(r, cond, where);
  const [then, orElse] = [traceBranch(r, () => [a()]), traceBranch(r, () => [b()])];
  settleFailures(r, pred, then, orElse, where);
  const variables = assignedVariables(then, orElse);
  const [value, ...assigned] = mergeBranches(
    r,
    pred,
    then,
    orElse,
    ['the value', ...variables.names],
    where,
    'the conditional expression',
  );
  variables.assign(assigned);
  return value;
}

interface Branch {
  region: Region;
  state: unknown[];
  /** The tf.Variables the branch assigned, with their values at its end. */
  assigned: Map<Variable, unknown>;
  /** What the branch threw (it fails when taken), if it did. */
  failed?: unknown;
  /** A failing branch's first `unknown` state entries have no values (the other branch's stand in). */
  unknown?: number;
  /** The values at the branch's end of the tf.Variables its state holds (a returned variable). */
  values: Map<Variable, unknown>;
}

/**
 * Traces one branch into a region from the variables' values before the statement, and restores them
 * after. A branch that throws (the user's `throw`, see checks.ts) is failing: taking it fails the run.
 */
function traceBranch(r: Recorder, build: () => unknown[]): Branch {
  const variables = r.trace!.variables;
  const entry = variables?.snapshot();
  let state: unknown[] = [];
  let assigned = new Map<Variable, unknown>();
  let failed: unknown;
  const values = new Map<Variable, unknown>();
  const region = r.trace!.region([], () => {
    try {
      state = build();
    } catch (e) {
      failed = failedWith(r, e);
    }
    if (variables) {
      assigned = variables.assignedSince(entry!);
      for (const v of variablesIn(state)) values.set(v, variables.current(v));
    }
    return [];
  });
  variables?.restore(entry!);
  return { region, state, assigned, failed, values };
}

/** The tf.Variables among `x`'s leaves (arrays and plain objects). */
function variablesIn(x: unknown): Variable[] {
  if (isVariable(x)) return [x];
  if (Array.isArray(x)) return x.flatMap(variablesIn);
  if (x && typeof x === 'object' && Object.getPrototypeOf(x) === Object.prototype)
    return Object.values(x).flatMap(variablesIn);
  return [];
}

/** `x` with each tf.Variable among its leaves replaced by its value in `values`. */
function withVariableValues(x: unknown, values: ReadonlyMap<Variable, unknown>): unknown {
  if (isVariable(x)) return values.get(x) ?? x;
  if (Array.isArray(x)) return x.map((e) => withVariableValues(e, values));
  if (x && typeof x === 'object' && Object.getPrototypeOf(x) === Object.prototype)
    return Object.fromEntries(Object.entries(x).map(([k, e]) => [k, withVariableValues(e, values)]));
  return x;
}

/**
 * What a branch or loop body that threw `e` fails with: the user's error (recorded as a staged
 * check), or the first error of a statement inside that always fails; anything else is rethrown.
 */
function failedWith(r: Recorder, e: unknown): unknown {
  if (e instanceof AlwaysFails) return e.first;
  if (failsPending(r.trace!, e)) return e;
  if (!isUserThrow(e) || !r.trace!.checks) throw e;
  r.trace!.checks.fail(e);
  return e;
}

/**
 * A failing branch gives no values: the cond's outputs there are zeros of the other branch's types
 * (never read: the run fails). When both fail, the statement fails whichever is taken: the cond
 * sets the failure code (and the variables assigned before the throws) and the enclosing branch fails.
 */
function settleFailures(r: Recorder, pred: Value, then: Branch, orElse: Branch, where: string | undefined) {
  if (then.failed === undefined && orElse.failed === undefined) return;
  if (then.failed === undefined || orElse.failed === undefined) {
    const [failing, other] = then.failed === undefined ? [orElse, then] : [then, orElse];
    failing.state = [...other.state];
    failing.unknown = other.state.length;
    return;
  }
  then.state = [];
  orElse.state = [];
  const variables = assignedVariables(then, orElse);
  variables.assign(mergeBranches(r, pred, then, orElse, variables.names, where, 'the statement'));
  throw new AlwaysFails(then.failed);
}

/**
 * The variables either branch assigned: further outputs of the cond (a branch that leaves one holds
 * its value from before the statement). `assign` gives them the merged values.
 */
function assignedVariables(then: Branch, orElse: Branch) {
  const variables = [...new Set([...then.assigned.keys(), ...orElse.assigned.keys()])];
  const entry = recorder().trace!.variables!;
  for (const branch of [then, orElse])
    branch.state.push(
      ...variables.map((v) => (branch.assigned.has(v) ? branch.assigned.get(v) : entry.current(v))),
    );
  return {
    names: variables.map(variableName),
    assign: (values: unknown[]) =>
      variables.forEach((v, k) => recorder().trace!.variables!.set(v, values[k] as Variable)),
  };
}

const variableName = (v: Variable) => `variable '${v.name}'`;

/**
 * Builds the `cond` node: variables that end equal JS values in both branches stay JS values; the
 * others become outputs, laid out alike in both branches (arrays and objects leaf by leaf, lists as
 * one value) and of the same dtype and rank; dims that differ are dynamic.
 */
function mergeBranches(
  r: Recorder,
  pred: Value,
  then: Branch,
  orElse: Branch,
  names: readonly string[],
  where: string | undefined,
  what: string,
): unknown[] {
  const trace = r.trace!;
  const staged: { i: number; layout: Layout }[] = [];
  for (const branch of [then, orElse]) {
    const i = names.indexOf(RETURN_VALUE);
    if (i >= 0) branch.state[i] = withVariableValues(branch.state[i], branch.values);
  }
  names.forEach((name, i) => {
    const [a, b] = [then.state[i], orElse.state[i]];
    // the same JS value (or the same tf.Variable) on both paths stays what it is
    if ((!isTensor(a) || isVariable(a)) && Object.is(a, b)) return;
    // A return value is only read once the return flag (set in the same branch) is true: the other
    // branch may hold zeros.
    if ((a === undefined) !== (b === undefined) && name !== RETURN_VALUE) {
      throw new StagingError(
        `${at(where)}'${name}' must be defined in both branches of ${what} (it is undefined in the ${a === undefined ? 'then' : 'else'} branch)`,
      );
    }
    staged.push({ i, layout: commonLayout(a, b, name, at(where)) });
  });
  const leaves = (branch: typeof then) =>
    staged.flatMap(({ i, layout }) => leavesOf(layout, branch.state[i], names[i]!, at(where)));
  const [thenLeaves, elseLeaves] = [leaves(then), leaves(orElse)];
  // the state index of each leaf: a failing branch has no values for the first `unknown` entries
  const stateIndex = staged.flatMap(({ i, layout }) =>
    leavesOf(layout, then.state[i], names[i]!, at(where)).map(() => i),
  );
  // each side's value (a JS number beside an int32 tensor is int32); an undefined side or an empty
  // list takes the type of the other side
  const unknown = (branch: Branch, k: number) => stateIndex[k]! < (branch.unknown ?? 0);
  const known = (leaf: Leaf, other: Leaf, branch: Branch, k: number): Value | undefined =>
    leaf.value === undefined || (leaf.list && isEmptyList(leaf.value)) || unknown(branch, k)
      ? undefined
      : trace.appendTo(branch.region, () => leafValue(r, leaf, undefined, where, weakDtype(other.value)));
  const thenKnown = thenLeaves.map((l, k) => known(l, elseLeaves[k]!, then, k));
  const elseKnown = elseLeaves.map((l, k) => known(l, thenLeaves[k]!, orElse, k));
  const complete = (own: (Value | undefined)[], other: (Value | undefined)[], mine: Leaf[], branch: Branch) =>
    own.map((v, k) => {
      if (v) return v;
      const like = other[k];
      if (!like)
        throw new StagingError(
          `${at(where)}'${mine[k]!.name}' is an empty list in both branches of ${what}, with no element type`,
        );
      return trace.appendTo(branch.region, () =>
        mine[k]!.list && !unknown(branch, k) ? leafValue(r, mine[k]!, like.type, where) : zeros(r, like.type),
      );
    });
  then.region.results = complete(thenKnown, elseKnown, thenLeaves, then);
  orElse.region.results = complete(elseKnown, thenKnown, elseLeaves, orElse);
  thenLeaves.forEach((leaf, k) => {
    const [a, b] = [then.region.results[k]!.type, orElse.region.results[k]!.type];
    if (sameType(a, b)) return;
    if (a.dtype !== b.dtype || a.shape.length !== b.shape.length) {
      throw new StagingError(
        `${at(where)}'${leaf.name}' is ${describe(a)} in the then branch but ${describe(b)} in the else branch of ${what}; both branches must give it the same dtype and rank`,
      );
    }
    // dims that differ between the branches are dynamic in the cond's output
    const type = generalizeType(a, b);
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
  // a JS integer on both paths (or a tensor standing for one) stays weakly typed
  const tensors = outputs.map((v, k) => {
    const t = r.tensorFor(v);
    const weak = isWeakInteger(thenLeaves[k]!.value) && isWeakInteger(elseLeaves[k]!.value);
    return weak && v.type.dtype === 'float32' ? markWeakInt(t) : t;
  });
  const values = tensors[Symbol.iterator]();
  for (const { i, layout } of staged) merged[i] = rebuild(layout, values);
  return merged;
}

/** Whether a list value has no elements yet (its element type is unknown). */
const isEmptyList = (x: unknown) => (isStagedList(x) ? !x.stacked : Array.isArray(x) && x.length === 0);

/**
 * The IR value of one leaf: a tensor or JS number/boolean, or a list's stacked rows (an empty list
 * with rows of `like`'s type, the type the list has elsewhere).
 */
function leafValue(
  r: Recorder,
  leaf: Leaf,
  like: TensorType | undefined,
  where: string | undefined,
  dtype?: DType,
): Value {
  if (!leaf.list) return toValue(r, leaf.value, leaf.name, where, dtype);
  const x = leaf.value;
  if (!isStagedList(x) && !Array.isArray(x))
    throw new StagingError(
      `${at(where)}'${leaf.name}' is a list on one path and ${x === undefined ? 'undefined' : typeof x} on another`,
    );
  const list = isStagedList(x) ? x : listFromArray(x, leaf.name, where);
  if (list.stacked) return r.valueFor(list.stacked as any);
  if (!like)
    throw new StagingError(`${at(where)}'${leaf.name}' is an empty list whose element type is unknown`);
  return r.valueFor(emptyList(elementType(like)).stacked as any);
}

/** `v` as a value of `type`, whose dims are `v`'s or unknown: the same values, with dims forgotten. */
export function forgetDims(r: Recorder, v: Value, type: TensorType): Value {
  if (sameType(v.type, type)) return v;
  const trace = r.trace!;
  const [shape] = trace.emit('Shape', [v], {}) as [Value];
  return trace.emit('DynamicReshape', [v, shape], { dims: [...type.shape] })[0]!;
}

/**
 * What one traced iteration taught a loop, so that it is traced again: a JS integer leaf that met
 * int32 values and became int32, a leaf whose dims changed, an array that grew (a list), or a
 * variable first defined (or a list first given elements) in the body.
 */
interface LoopPlan {
  int32: Set<string>;
  relaxed: Map<string, TensorType>;
  lists: Set<number>;
  learned: Map<number, { layout: Layout; types: TensorType[] }>;
  /** The tf.Variables the body assigns: carried after the statement's variables. */
  variables: Set<Variable>;
}

class RetraceLoop extends Error {
  constructor(readonly learn: (plan: LoopPlan) => void) {
    super('the loop is traced again with what one iteration showed');
  }
}
registerStagingSignal(RetraceLoop);

/**
 * `while (test()) body()` whose condition `first` (the test just evaluated, its effects on the state
 * applied) is symbolic. The condition is carried as a loop value and recomputed at the end of each
 * iteration, so what the test assigns (`i++ < n`) is seen by the body and kept, exactly as in JS.
 * Variables still undefined after one traced iteration are not assigned in this trace and stay out.
 *
 * Each variable is carried leaf by leaf (arrays and objects of tensors), a list as its stacked rows.
 * The loop is traced again when one iteration shows that an entry type was too narrow: a JS integer
 * enters weakly typed (float32, as tfjs sees a JS number, see weak.ts) and as int32 when an iteration
 * makes it int32 beside int32 values (`steps = steps + n % 2`); a value whose dims change gets
 * those dims dynamic; an array that grows is a list; a variable first defined in the body enters as
 * zeros of the type one iteration gives it (TensorFlow AutoGraph's rule), and a list first given
 * elements in the body enters empty with that element type. The tf.Variables the body assigns are
 * carried too.
 */
export function stagedWhile(...args: Parameters<typeof stagedWhileOnTape>): void {
  taped(() => stagedWhileOnTape(...args));
}

function stagedWhileOnTape(
  first: unknown,
  test: () => unknown,
  body: () => unknown,
  getState: GetState,
  setState: SetState,
  names: readonly string[],
  where: string | undefined,
): void {
  const r = recorder();
  const variables = r.trace!.variables;
  const entryVariables = variables?.snapshot();
  const all = getState ? getState() : [];
  const plan: LoopPlan = {
    int32: new Set(),
    relaxed: new Map(),
    lists: new Set(),
    learned: new Map(),
    variables: new Set(),
  };
  for (;;) {
    const carried = [...plan.variables];
    const parts = carryingVariables({ first, test, body, getState, setState, names, where }, carried);
    try {
      whileOnce(r, parts, [...all, ...carried.map((v) => variables!.current(v))], plan);
      return;
    } catch (e) {
      setState?.([...all]);
      variables?.restore(entryVariables!);
      if (!(e instanceof RetraceLoop)) throw e;
      e.learn(plan);
    }
  }
}

/**
 * The loop's parts with the tf.Variables it carries after the statement's own variables; a body that
 * assigns a variable not carried yet has the loop traced again carrying it.
 */
function carryingVariables(parts: WhileParts, carried: Variable[]): WhileParts {
  const variables = recorder().trace!.variables;
  if (!variables) return parts;
  const { getState, setState, names, body } = parts;
  const own = names.length;
  return {
    ...parts,
    names: [...names, ...carried.map(variableName)],
    getState: () => [...(getState ? getState() : []), ...carried.map((v) => variables.current(v))],
    setState: (values) => {
      setState?.(values.slice(0, own));
      carried.forEach((v, k) => variables.set(v, values[own + k] as Variable));
    },
    body: () => {
      const before = variables.snapshot();
      const start = getState ? getState() : [];
      try {
        body();
      } catch (e) {
        // a body that throws fails the run when it runs (the loop then stops); what its variables
        // hold at the throw is never read (the converter drops dead values: they may be out of scope)
        failedWith(recorder(), e);
        setState?.(start);
      }
      const more = [...variables.assignedSince(before).keys()].filter((v) => !carried.includes(v));
      if (more.length) throw new RetraceLoop((p) => more.forEach((v) => p.variables.add(v)));
    },
  };
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

/** A loop variable as the loop carries it: its layout and entry leaves. */
interface Carried {
  i: number;
  layout: Layout;
  entry: Leaf[];
}

function whileOnce(r: Recorder, parts: WhileParts, all: unknown[], plan: LoopPlan): void {
  const { first, test, body, getState, setState, names, where } = parts;
  const trace = r.trace!;
  const loc = at(where);
  const carried: Carried[] = [];
  all.forEach((x, i) => {
    const learned = plan.learned.get(i);
    const list = plan.lists.has(i) || isStagedList(x);
    if (x === undefined || (list && isEmptyList(x))) {
      // not carried until one iteration shows what it holds
      if (learned)
        carried.push({ i, layout: learned.layout, entry: leavesOf(learned.layout, x, names[i]!, loc) });
      return;
    }
    const layout = list ? LIST : layoutOf(x);
    carried.push({ i, layout, entry: leavesOf(layout, x, names[i]!, loc) });
  });
  const learnedTypes = new Map<string, TensorType>();
  for (const [i, { layout, types }] of plan.learned)
    leavesOf(layout, undefined, names[i]!, loc).forEach((l, k) => learnedTypes.set(l.name, types[k]!));
  const entries = carried.flatMap((c) => c.entry);
  const checks = trace.checks;
  const guarded = (p: Value) => (checks ? checks.guard(p) : p);
  const init = [
    guarded(predicate(r, first, where)),
    ...entries.map((leaf) => {
      const like = learnedTypes.get(leaf.name);
      const v =
        leaf.value === undefined
          ? zeros(r, like!)
          : leafValue(r, leaf, like, where, plan.int32.has(leaf.name) ? 'int32' : undefined);
      const relaxed = plan.relaxed.get(leaf.name);
      return relaxed ? forgetDims(r, v, relaxed) : v;
    }),
  ];
  const types = init.map((v) => v.type);
  const state = () => (getState ? getState() : []);
  // JS integers not shown to meet int32 values enter weakly typed (float32 to tfjs)
  const weak = entries.map((leaf) => isWeakInteger(leaf.value) && !plan.int32.has(leaf.name));
  const set = (values: Value[]) => {
    const next = state();
    const it = values
      .map((v, k) => (weak[k] ? markWeakInt(r.tensorFor(v)) : r.tensorFor(v)))
      [Symbol.iterator]();
    for (const c of carried) next[c.i] = rebuild(c.layout, it);
    setState?.(next);
  };
  const cond = trace.region(types, (params) => [params[0]!]);
  const carriedValues = (): Value[] => {
    const now = state();
    const leaves = carried.flatMap((c) => {
      const x = now[c.i];
      // an array that grew (a push) is a list: traced again with it as one
      const { layout } = c;
      if ('array' in layout && ((Array.isArray(x) && x.length !== layout.array.length) || isStagedList(x)))
        throw new RetraceLoop((p) => p.lists.add(c.i));
      return leavesOf(c.layout, x, names[c.i]!, loc);
    });
    return leaves.map((leaf, k) => {
      const entry = types[k + 1]!;
      const v = leafValue(r, leaf, entry, where, entry.dtype);
      if (sameType(v.type, entry)) return v;
      if (
        weak[k] &&
        entry.dtype === 'float32' &&
        v.type.dtype === 'int32' &&
        sameShape(v.type.shape, entry.shape)
      )
        throw new RetraceLoop((p) => p.int32.add(leaf.name));
      if (v.type.dtype !== entry.dtype || v.type.shape.length !== entry.shape.length)
        throw new StagingError(
          `${loc}'${leaf.name}' is ${describe(entry)} before the loop but ${describe(v.type)} after one iteration; a loop variable must keep its dtype and rank (${formatType(entry)})`,
        );
      const general = generalizeType(entry, v.type);
      // a value that grows (or shrinks): the loop is traced again with those dims dynamic
      if (!sameType(general, entry)) throw new RetraceLoop((p) => p.relaxed.set(leaf.name, general));
      return forgetDims(r, v, entry);
    });
  };
  /** Variables the loop does not carry yet but the body defined (or gave list elements). */
  const learn = () => {
    const now = state();
    all.forEach((x, i) => {
      if (carried.some((c) => c.i === i) || now[i] === undefined || isEmptyList(now[i])) return;
      const list =
        plan.lists.has(i) || isStagedList(x) || isStagedList(now[i]) || (Array.isArray(x) && x.length === 0);
      const layout = list ? LIST : layoutOf(now[i]);
      const types = leavesOf(layout, now[i], names[i]!, loc).map(
        (leaf) => leafValue(r, leaf, undefined, where).type,
      );
      throw new RetraceLoop((p) => {
        p.learned.set(i, { layout, types });
        if (list) p.lists.add(i);
      });
    });
  };
  const missing = all.filter((x, i) => x === undefined && !plan.learned.has(i)).length > 0;
  const loop = trace.region(types, (params) => {
    set(params.slice(1));
    try {
      body();
    } catch (e) {
      if (!missing || e instanceof StagingError || e instanceof RetraceLoop) throw e;
      const list = all.flatMap((x, i) => (x === undefined ? [`'${names[i]}'`] : [])).join(', ');
      throw new StagingError(
        `${loc}${list} not defined before the loop, and the loop body needs a value first: ${(e as Error).message}`,
      );
    }
    learn();
    carriedValues(); // checked before the test, so a type change is reported as such
    const next = guarded(predicate(r, test(), where));
    return [next, ...carriedValues()];
  });
  const outputs = trace.structured('while', init, [cond, loop], types);
  set(outputs.slice(1));
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
  // a tf.Variable: the rows of the value it has now, as eagerly, even if the body assigns it (a
  // clone: taped, so gradients still reach the variable)
  if (isVariable(iterable)) iterable = t.clone(iterable as any);
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
