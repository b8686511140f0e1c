/**
 * Recursion while tracing. Recursion decided by JS values (a tree of arrays, a JS depth) unrolls into
 * the graph, as any JS control flow does. Recursion decided by a tensor never reaches its base case
 * while tracing (a staged `if` traces both branches), so it is staged as calls: a function re-entered
 * with the same signature (tensor types, JS values) inside staged control flow it opened since, or
 * from a function being traced for this, becomes a `call` node of an IR function traced once for
 * that signature (ir/graph.ts); mutual recursion meets its first function again the same way.
 *
 * The callee's result types are not known while its own body is traced: a first pass makes each
 * recursive call fail its branch (PendingRecursion; the staged `if` keeps the other branch, as it does
 * for a branch that throws), which gives the base case's types; the next passes call with those
 * types until the body returns what it was assumed to (dims that differ become dynamic).
 *
 * Values a callee reads from around it (a staged input a closure captures) become further parameters
 * of the callee, passed by every call (`finishRecursion`); constants are copied into it.
 */
import { platform } from '#platform';
import { StagingError } from '../errors.ts';
import { allNodes, IRFunction, type Node, type Region, type Value } from '../ir/graph.ts';
import { formatShape, formatType, generalizeType, sameType, type TensorType } from '../ir/types.ts';
import { isTensor, tf } from '../runtime/tensors.ts';
import { AlwaysFails, registerStagingSignal } from './checks.ts';
import { isStagedList } from './lists.ts';
import type { Recorder } from './recording-backend.ts';
import { flattenResult, rebuildSkeleton, type Skeleton } from './structure.ts';
import type { Trace } from './trace.ts';
import { replaceUses } from '../ir/passes/rewrite.ts';
import { userLocation, userWhere } from './trace.ts';
import { taped } from './gradients/tape.ts';

/**
 * Consecutive levels at which a function re-entered itself, with other arguments, inside newly opened
 * staged control flow (recursion that JS values decide, unrolled). A simple recursive function
 * overflows Node's default stack at about 440 traced levels (a trace that overflows anyway is a
 * StagingError too: trace-function.ts).
 */
export const STAGED_RECURSION_LIMIT = 200;

/** How many times a callee's body is traced to find its result types (the first pass included). */
const TYPE_PASSES = 4;

/** A function of the staged graph: one recursive user function at one signature. */
interface Callee {
  name: string;
  /** The result types and structure assumed for its calls (unknown during the first pass). */
  results?: { skeleton: Skeleton; types: TensorType[] };
  /** The finished IR function. */
  ir?: IRFunction;
  /** Calls met before its result types were known (each failed its branch). */
  pendingCalls: number;
  /**
   * The tensors from around it that its body read (weights, a captured tree): read again at each
   * call while a gradient tape records, so that the call's tape node has them as inputs.
   */
  reads: Set<object>;
}

interface Activation {
  fn: Function;
  /** The call's signature (see `signatureOf`). */
  key: string;
  /** The callee whose body is being traced when the call began (null: the staged function itself). */
  context: Callee | null;
  /** Whether this call is the body of `context` being traced. */
  root: boolean;
  /** Regions open when the call began. */
  depth: number;
  /** How many consecutive self-calls, ending with this one, each began inside a deeper region. */
  deepening: number;
}

/** The recursion state of one trace. */
class Recursion {
  readonly activations: Activation[] = [];
  readonly contexts: Callee[] = [];
  readonly callees = new Map<Function, Map<string, Callee>>();
  readonly finished: Callee[] = [];
  /** Per function and the captured values it differentiates, its backward function (gradients/calls.ts). */
  readonly backward = new Map<IRFunction, Map<string, Backward>>();
  private count = 0;
  constructor(readonly trace: Trace) {}

  uniqueName(name: string): string {
    return `${name}#${++this.count}`;
  }
}

/** A function's backward function: its name, the captured values it gives adjoints of, its result types. */
export interface Backward {
  name: string;
  captured: Value[];
  types: TensorType[];
}

/** The finished function named `name` of the graph being traced. */
export function tracedFunction(trace: Trace, name: string): IRFunction {
  const found = states.get(trace)?.finished.find((c) => c.name === name)?.ir;
  if (!found)
    throw new StagingError(`a gradient reached a call of '${name}' inside its own body: not supported yet`);
  return found;
}

/**
 * The values `fn` reads from around it, directly or through the functions it calls (they become its
 * parameters when the trace ends), constants left out (they are copied in).
 */
export function capturedBy(trace: Trace, fn: IRFunction): Value[] {
  const reached = new Set<IRFunction>();
  const visit = (f: IRFunction) => {
    if (reached.has(f)) return;
    reached.add(f);
    for (const n of allNodes(f.body))
      if (n.op === 'call') visit(tracedFunction(trace, n.attrs.callee as string));
  };
  visit(fn);
  const sets = freeValueSets([...reached], (name) => tracedFunction(trace, name));
  return [...sets.get(fn)!].filter((v) => !isConstant(v));
}

/**
 * The backward function of `fn` that gives the adjoints of `captured` (made by `make` the first time,
 * which may call it: its name and result types are known before its body is).
 */
export function backwardOf(
  trace: Trace,
  fn: IRFunction,
  captured: Value[],
  make: (b: Backward) => Region,
  types: TensorType[],
): Backward {
  const state = stateOf(trace);
  let byCaptured = state.backward.get(fn);
  if (!byCaptured) state.backward.set(fn, (byCaptured = new Map()));
  const key = captured.map((v) => v.id).join(',');
  let b = byCaptured.get(key);
  if (b) return b;
  b = { name: state.uniqueName(`${fn.name.replace(/#\d+$/, '')}.grad`), captured, types };
  byCaptured.set(key, b);
  const region = make(b);
  const ir = new IRFunction(b.name, region, trace.values);
  state.finished.push({ name: b.name, ir, pendingCalls: 0, reads: new Set() });
  return b;
}

/** Thrown by a call of a callee whose result types are not known yet: its branch fails (first pass). */
export class PendingRecursion extends Error {
  constructor(readonly callee: Callee) {
    super(`the result types of '${callee.name}' are not known yet`);
  }
}
registerStagingSignal(PendingRecursion);

const states = new WeakMap<Trace, Recursion>();
const stateOf = (trace: Trace): Recursion => {
  let state = states.get(trace);
  if (!state) states.set(trace, (state = new Recursion(trace)));
  return state;
};

/**
 * Whether a staged branch that threw `e` fails (a recursive call of the callee being traced, in its
 * first pass): the branch's values are then the other branch's. A call pending in an outer callee
 * aborts the callee being traced instead.
 */
export function failsPending(trace: Trace, e: unknown): boolean {
  return e instanceof PendingRecursion && states.get(trace)?.contexts.at(-1) === e.callee;
}

/**
 * Runs a call of `fn` (a user function whose graph twin is `twin`) while `recorder` traces: inlined,
 * or a `call` node where it recurses under staged control flow (see the module comment).
 */
export function tracedCall(
  recorder: Recorder,
  fn: Function,
  name: string,
  twin: Function,
  thisArg: unknown,
  args: unknown[],
): unknown {
  const trace = recorder.trace!;
  const state = stateOf(trace);
  const signature = signatureOf(thisArg, args);
  const context = state.contexts.at(-1) ?? null;
  const depth = trace.depth;
  const same = state.activations.findLast((a) => a.fn === fn && a.key === signature.key);
  if (same && (same.root || same.context !== context || depth > same.depth))
    return callStaged({ recorder, state, fn, name, twin, signature });
  const previous = state.activations.findLast((a) => a.fn === fn);
  const deepening =
    previous && previous.context === context && depth > previous.depth ? previous.deepening + 1 : 0;
  if (deepening >= STAGED_RECURSION_LIMIT)
    throw new StagingError(
      `${userLocation(trace)}'${name}' calls itself ${STAGED_RECURSION_LIMIT} levels deep inside staged control flow, with other arguments at each level: ` +
        'a recursive call under a tensor condition is staged as a call only when its arguments have the types and JS values of the call it is inside of ' +
        '(JS numbers, strings and objects are part of the signature, as tensor shapes are); pass what changes from level to level as a tensor',
    );
  state.activations.push({ fn, key: signature.key, context, root: false, depth, deepening });
  try {
    return twin.apply(thisArg, args);
  } finally {
    state.activations.pop();
  }
}

/** A call's signature: its text key, its tensors (the call's inputs) and how to rebuild the arguments. */
interface Signature {
  key: string;
  tensors: { dtype: string; shape: number[] }[];
  skeleton: Skeleton;
}

/** Arrays longer than this are keyed by identity (a JS array of data, not a structure of tensors). */
const MAX_KEYED_ELEMENTS = 64;

const objectIds = new WeakMap<object, number>();
let nextObjectId = 0;
const objectId = (x: object) => {
  let id = objectIds.get(x);
  if (id === undefined) objectIds.set(x, (id = ++nextObjectId));
  return id;
};

const isPlainObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && Object.getPrototypeOf(x) === Object.prototype;

/**
 * The signature of a call with `thisArg` and `args`: tensors by type (each an input of the call),
 * arrays and plain objects element by element, other objects by identity, JS primitives by value.
 */
function signatureOf(thisArg: unknown, args: unknown[]): Signature {
  const tensors: Signature['tensors'] = [];
  const parts: string[] = [];
  const open = new Set<object>();
  const walk = (x: unknown): Skeleton => {
    if (isTensor(x)) {
      const t = x as Signature['tensors'][number];
      parts.push(`${t.dtype}[${t.shape}]`);
      return { tensor: tensors.push(t) - 1 };
    }
    if (isStagedList(x)) {
      parts.push(`list ${objectId(x as object)}`);
      return { value: x };
    }
    if (isStructure(x) && !open.has(x)) {
      open.add(x);
      try {
        return Array.isArray(x) ? walkArray(x) : walkObject(x as Record<string, unknown>);
      } finally {
        open.delete(x);
      }
    }
    if ((typeof x === 'object' && x !== null) || typeof x === 'function') parts.push(`@${objectId(x)}`);
    else if (typeof x === 'number') parts.push(Object.is(x, -0) ? '-0' : String(x));
    else parts.push(`${typeof x} ${String(x)}`);
    return { value: x };
  };
  const walkArray = (x: unknown[]): Skeleton => {
    parts.push('[');
    const array = x.map(walk);
    parts.push(']');
    return { array };
  };
  const walkObject = (x: Record<string, unknown>): Skeleton => {
    parts.push('{');
    const object = Object.entries(x).map(([k, v]): [string, Skeleton] => {
      parts.push(JSON.stringify(k));
      return [k, walk(v)];
    });
    parts.push('}');
    return { object };
  };
  const skeleton = walk([thisArg, ...args]);
  return { key: parts.join(' '), tensors, skeleton };
}

/**
 * Whether `x` is keyed element by element: a short array or a plain object of data properties (a
 * Proxy, a getter or a long array of data is keyed by identity: reading it would run code the
 * program does not run, or cost more than it saves).
 */
function isStructure(x: unknown): x is object {
  if (typeof x !== 'object' || x === null || platform.isProxy(x)) return false;
  if (Array.isArray(x)) return x.length <= MAX_KEYED_ELEMENTS;
  return (
    isPlainObject(x) && Object.values(Object.getOwnPropertyDescriptors(x)).every((d) => !d.get && !d.set)
  );
}

/** A call staged as a `call` node: of user function `fn` (graph twin `twin`), at `signature`. */
interface StagedCall {
  recorder: Recorder;
  state: Recursion;
  fn: Function;
  name: string;
  twin: Function;
  signature: Signature;
}

/** The call as a `call` node, tracing its callee first if needed. */
function callStaged(call: StagedCall): unknown {
  const { recorder, state, fn, name, signature } = call;
  const trace = recorder.trace!;
  let byKey = state.callees.get(fn);
  if (!byKey) state.callees.set(fn, (byKey = new Map()));
  let callee = byKey.get(signature.key);
  if (!callee) {
    callee = { name: state.uniqueName(name), pendingCalls: 0, reads: new Set() };
    byKey.set(signature.key, callee);
    try {
      traceCallee(call, callee);
    } catch (e) {
      byKey.delete(signature.key);
      throw e;
    }
  }
  if (!callee.results) {
    callee.pendingCalls++;
    throw new PendingRecursion(callee);
  }
  // on a gradient tape, the call is one node, whose gradient calls the callee's backward function
  // (gradients/calls.ts); what the callee reads from around it are inputs of that node too
  const known = callee;
  return taped(() => {
    for (const t of known.reads)
      if (!(t as { isDisposed?: boolean }).isDisposed) recorder.valueFor(t as never);
    const inputs = signature.tensors.map((t) => recorder.valueFor(t as never));
    // (found now: the stack of a call traced deep inside others may not reach the user's frame later)
    const outputs = trace.call(known.name, inputs, known.results!.types, userWhere(trace));
    return rebuildSkeleton(
      known.results!.skeleton,
      outputs.map((v) => recorder.tensorFor(v)),
    );
  });
}

/** Traces `callee`'s body until the types its calls assume are the types it returns. */
function traceCallee(call: StagedCall, callee: Callee): void {
  const { recorder, state, name } = call;
  const trace = recorder.trace!;
  const where = userLocation(trace);
  state.contexts.push(callee);
  try {
    for (let pass = 0; pass < TYPE_PASSES; pass++) {
      const { region, skeleton, pending } = traceBodyExplained(call, callee, where);
      const types = region.results.map((v) => v.type);
      const assumed = callee.results;
      if (assumed && JSON.stringify(assumed.skeleton) !== JSON.stringify(skeleton))
        throw new StagingError(
          `${where}'${name}' returns ${describeSkeleton(assumed.skeleton)} in its base case but ${describeSkeleton(skeleton)} where it recurses: a staged recursive function must return the same structure on every path`,
        );
      const same =
        assumed &&
        types.length === assumed.types.length &&
        types.every((t, i) => sameType(t, assumed.types[i]!));
      if (same || (!assumed && !pending)) {
        callee.results ??= { skeleton, types };
        callee.ir = new IRFunction(callee.name, region, trace.values);
        state.finished.push(callee);
        return;
      }
      if (assumed) {
        const changed = types.findIndex(
          (t, i) => t.dtype !== assumed.types[i]!.dtype || t.shape.length !== assumed.types[i]!.shape.length,
        );
        if (changed >= 0)
          throw new StagingError(
            `${where}'${name}' returns ${formatType(assumed.types[changed]!)} in its base case but ${formatType(types[changed]!)} where it recurses (result ${changed}): a staged recursive function must return the same dtype and rank on every path`,
          );
      }
      // the next pass calls with these types; dims that changed become dynamic
      callee.results = {
        skeleton,
        types: assumed ? types.map((t, i) => generalizeType(assumed.types[i]!, t)) : types,
      };
    }
    throw new StagingError(
      `${where}'${name}': its result shapes did not settle after ${TYPE_PASSES} traces of its recursion`,
    );
  } finally {
    state.contexts.pop();
  }
}

/**
 * `traceBody`, whose staging errors in a pass after the first say which function was traced and what
 * its recursive calls were assumed to return (a branch that recurses then meets the base case's types).
 */
function traceBodyExplained(call: StagedCall, callee: Callee, where: string): ReturnType<typeof traceBody> {
  const assumed = callee.results;
  try {
    return traceBody(call, callee, where);
  } catch (e) {
    if (!assumed || !(e instanceof StagingError) || e.message.includes('staged recursive function')) throw e;
    throw new StagingError(
      `${e.message} (in the staged recursive function '${call.name}', whose recursive calls return ${describeSkeleton(assumed.skeleton, assumed.types)} as its base case does)`,
      { cause: e },
    );
  }
}

/** One trace of a callee's body into a region of its own. */
function traceBody(
  call: StagedCall,
  callee: Callee,
  where: string,
): { region: Region; skeleton: Skeleton; pending: boolean } {
  const { recorder, state, fn, name, twin, signature } = call;
  const trace = recorder.trace!;
  const t = tf();
  const variables = trace.variables;
  const before = variables?.snapshot();
  let skeleton: Skeleton = { value: undefined };
  const pendingBefore = callee.pendingCalls;
  const types = signature.tensors.map((t) => recorder.valueFor(t as never).type);
  const firstValue = trace.values.peek();
  const stop = recorder.watch({
    read: (t, v) => {
      if (v.id < firstValue) callee.reads.add(t);
    },
    made() {},
  });
  const region = trace.region(types, (params) => {
    const values: Value[] = [];
    state.activations.push({
      fn,
      key: signature.key,
      context: callee,
      root: true,
      depth: trace.depth,
      deepening: 0,
    });
    try {
      t.tidy(() => {
        const args = rebuildSkeleton(
          signature.skeleton,
          params.map((p) => recorder.tensorFor(p)),
        ) as unknown[];
        let result: unknown;
        try {
          result = twin.apply(args[0], args.slice(1));
        } catch (e) {
          const first = e instanceof AlwaysFails ? e.first : e;
          if (first instanceof PendingRecursion && first.callee === callee)
            throw new StagingError(
              `${where}'${name}' recurses on every path of its body (as traced with ${types.map(formatType).join(', ') || 'no tensors'}): a staged recursive function needs a base case that does not call itself`,
            );
          if (e instanceof AlwaysFails) throw unsupportedThrow(where, name);
          throw e;
        }
        skeleton = flattenResult(recorder, result, values);
      });
    } finally {
      state.activations.pop();
      stop();
    }
    return values;
  });
  // a pass that met its own calls before their types were known found only the base case's types
  const pending = callee.pendingCalls > pendingBefore;
  if (variables && before) {
    const assigned = [...variables.assignedSince(before).keys()];
    variables.restore(before);
    // (a staged check sets the failure code, which the trace carries as a variable)
    if (assigned.some((v) => v === trace.checks?.cell)) throw unsupportedThrow(where, name);
    if (assigned.length)
      throw new StagingError(
        `${where}'${name}' assigns the tf.Variable '${assigned[0]!.name}' in a recursion decided by a tensor: assigning variables inside staged recursive calls is not supported yet; return the new value instead`,
      );
  }
  return { region, skeleton, pending };
}

const unsupportedThrow = (where: string, name: string) =>
  new StagingError(
    `${where}'${name}' throws under a tensor condition in a recursion decided by a tensor: staged checks inside staged recursive calls are not supported yet`,
  );

/** A result's structure as text, its tensors by type when `types` are given. */
function describeSkeleton(s: Skeleton, types?: readonly TensorType[]): string {
  const describe = (x: Skeleton): string => {
    if ('tensor' in x)
      return types ? `${types[x.tensor]!.dtype} [${formatShape(types[x.tensor]!.shape)}]` : 'a tensor';
    if ('array' in x) return `[${x.array.map(describe).join(', ')}]`;
    if ('object' in x) return `{${x.object.map(([k, v]) => `${k}: ${describe(v)}`).join(', ')}}`;
    return String(x.value);
  };
  return describe(s);
}

/**
 * After the trace of `top`: each callee becomes one of `top`'s functions. What a callee reads from
 * around it (directly, or through the callees it calls) becomes a parameter after its own, passed by
 * each of its calls; a constant is copied in instead.
 */
export function finishRecursion(trace: Trace, top: IRFunction): void {
  const state = states.get(trace);
  if (!state?.finished.length) return;
  const functions = numbered(
    state.finished.map((c) => c.ir!),
    top,
  );
  const byName = new Map(functions.map((f) => [f.name, f]));
  const free = freeValueSets(functions, (name) => byName.get(name)!);
  const topDefined = definedIn(top.body);
  const captured = new Map<IRFunction, Value[]>([[top, []]]);
  const asParam = new Map<IRFunction, Map<Value, Value>>([[top, new Map()]]);
  for (const f of functions) {
    const values = [...free.get(f)!];
    const escaped = values.find((v) => !topDefined.has(v));
    if (escaped)
      throw new StagingError(
        `${escaped.producer?.where ? `${escaped.producer.where}: ` : ''}a tensor computed inside the staged recursive function '${f.name.replace(/#\d+$/, '')}' is used outside it: staged recursive functions must return what they compute, not store it in variables or arrays around them`,
      );
    const replacement = new Map<Value, Value>();
    const copies: Node[] = [];
    for (const v of values.filter(isConstant)) {
      const copy = trace.values.node('Const', [], v.producer!.attrs, [v.type], [], v.producer!.site);
      copies.push(copy);
      replacement.set(v, copy.outputs[0]!);
    }
    f.body.nodes.unshift(...copies);
    const params = new Map<Value, Value>();
    for (const v of values.filter((v) => !isConstant(v))) {
      const p = trace.values.value(v.type);
      f.body.params.push(p);
      params.set(v, p);
      replacement.set(v, p);
    }
    captured.set(f, [...params.keys()]);
    asParam.set(f, params);
    replaceUses(f.body, replacement);
  }
  // every call passes its callee's captured values, as the calling function sees them
  for (const f of [top, ...functions]) {
    const params = asParam.get(f)!;
    for (const n of allNodes(f.body))
      if (n.op === 'call')
        n.inputs.push(...captured.get(byName.get(n.attrs.callee as string)!)!.map((v) => params.get(v) ?? v));
  }
  top.functions = byName;
  for (const f of functions) f.functions = byName;
}

/**
 * The functions named `name#1`, `name#2`, … per user function, in the order they were finished (the
 * numbers they were traced with skip those of traces given up), their calls renamed alike.
 */
function numbered(functions: IRFunction[], top: IRFunction): IRFunction[] {
  const count = new Map<string, number>();
  const names = new Map<string, string>();
  for (const f of functions) {
    const base = f.name.replace(/#\d+$/, '');
    count.set(base, (count.get(base) ?? 0) + 1);
    names.set(f.name, `${base}#${count.get(base)}`);
  }
  const renamed = functions.map((f) => new IRFunction(names.get(f.name)!, f.body, f.values));
  for (const f of [top, ...renamed])
    for (const n of allNodes(f.body))
      if (n.op === 'call') n.attrs = { ...n.attrs, callee: names.get(n.attrs.callee as string) };
  return renamed;
}

const isConstant = (v: Value) => v.producer?.op === 'Const';

/**
 * Per function, the values it reads from around it: its own free values (constants included) and
 * the non-constant ones of the functions it calls that it does not define (a fixpoint over the call
 * graph; constants are each function's own).
 */
function freeValueSets(
  functions: readonly IRFunction[],
  named: (name: string) => IRFunction,
): Map<IRFunction, Set<Value>> {
  const free = new Map(functions.map((f) => [f, freeValues(f.body)]));
  for (let grew = true; grew; ) {
    grew = false;
    for (const f of functions) {
      const own = free.get(f)!;
      const defined = definedIn(f.body);
      for (const n of allNodes(f.body)) {
        if (n.op !== 'call') continue;
        for (const v of free.get(named(n.attrs.callee as string))!)
          if (!isConstant(v) && !defined.has(v) && !own.has(v)) {
            own.add(v);
            grew = true;
          }
      }
    }
  }
  return free;
}

/** The values a region defines: its parameters and every node's outputs, nested regions included. */
function definedIn(region: Region): Set<Value> {
  const defined = new Set<Value>(region.params);
  for (const n of allNodes(region)) {
    for (const o of n.outputs) defined.add(o);
    for (const r of n.regions) for (const p of r.params) defined.add(p);
  }
  return defined;
}

/** The values a region uses but does not define, in first-use order. */
function freeValues(region: Region): Set<Value> {
  const defined = definedIn(region);
  const free = new Set<Value>();
  const see = (v: Value) => {
    if (!defined.has(v)) free.add(v);
  };
  for (const n of allNodes(region)) {
    n.inputs.forEach(see);
    for (const r of n.regions) r.results.forEach(see);
  }
  region.results.forEach(see);
  return free;
}
