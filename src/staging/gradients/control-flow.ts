/**
 * The gradients of `cond` and `while` (TensorFlow's cond_v2 / while_v2 design, see docs/gradients.md).
 *
 * - `cond`: a `cond` on the same predicate whose branches are the backward passes of the forward
 *   branches. Forward values a backward branch needs leave the forward `cond` as extra outputs (the
 *   other branch gives zeros of their type).
 * - `while`: the forward loop counts its iterations (an extra int32 loop value) and stacks, as scan
 *   outputs (graph.ts), every value of its body that the backward body needs; the backward loop runs
 *   as many iterations, reading the stacks from the last row to the first, and carries the adjoints
 *   of the loop values and of the values the body captures.
 * Both rewrite the forward node in place (outputs are only ever appended), so a node differentiated
 * twice (second order, or two gradients of one function) reuses its counter and stacks.
 */
import { constData, dependencies, type Node, type Region, scanCount, type Value } from '../../ir/graph.ts';
import { isStatic, tensorType } from '../../ir/types.ts';
import { zeros } from '../control-flow.ts';
import type { Recorder } from '../recording-backend.ts';
import {
  accumulate,
  type Adjoints,
  adjointType,
  asType,
  type Backprop,
  backprop,
  capturesOf,
  emit,
  substitute,
  usesOf,
  zerosLike,
} from './backprop.ts';

type Grads = [Value, Value][];

export function condVjp(b: Backprop, c: Node, dys: (Value | undefined)[]): Grads {
  const { r } = b;
  const trace = r.trace!;
  const [pred] = c.inputs as [Value];
  const candidates = capturesOf(c).filter((v) => b.active.has(v));
  if (!candidates.length) return [];
  const outputs = [...c.outputs];
  const branch = (forward: Region) => {
    const adjoints: Adjoints = new Map();
    const region = trace.region([], () => {
      outputs.forEach((o, i) => {
        const d = dys[i];
        if (d) accumulate(r, adjoints, forward.results[i]!, d);
      });
      backprop(b, forward.nodes, adjoints);
      return [];
    });
    return { region, adjoints };
  };
  const [then, orElse] = (c.regions as [Region, Region]).map(branch) as [
    ReturnType<typeof branch>,
    ReturnType<typeof branch>,
  ];
  // only the captured values an adjoint reached in a branch (a zero one would turn 0·∞ into NaN
  // where tfjs, which never builds it, gives a number)
  const captured = candidates.filter((v) => then.adjoints.has(v) || orElse.adjoints.has(v));
  if (!captured.length) return [];
  for (const { region, adjoints } of [then, orElse])
    region.results = trace.appendTo(region, () => captured.map((v) => adjoints.get(v) ?? zerosLike(r, v)));
  exportFromBranch(r, c, 0, then.region);
  exportFromBranch(r, c, 1, orElse.region);
  const grads = trace.structured('cond', [pred], [then.region, orElse.region], captured.map(adjointType));
  return captured.map((v, k) => [v, grads[k]!]);
}

/** Extra outputs of a `cond`, per forward value they export. */
const exported = new WeakMap<Node, Map<Value, Value>>();

/** Makes the forward values of branch `side` that `backward` uses outputs of `c`, and uses those instead. */
function exportFromBranch(r: Recorder, c: Node, side: 0 | 1, backward: Region): void {
  const trace = r.trace!;
  const forward = c.regions[side]!;
  const other = c.regions[1 - side]!;
  const defined = new Set(forward.nodes.flatMap((n) => n.outputs));
  const needed = usesOf(backward, defined);
  if (!needed.length) return;
  const outputs = exported.get(c) ?? new Map<Value, Value>();
  exported.set(c, outputs);
  const map = new Map<Value, Value>();
  for (const v of needed) {
    let out = outputs.get(v);
    if (!out) {
      forward.results.push(v);
      other.results.push(trace.appendTo(other, () => zeros(r, v.type)));
      out = trace.values.value(v.type, c);
      c.outputs.push(out);
      outputs.set(v, out);
    }
    map.set(v, out);
  }
  substitute(backward, map);
}

export function whileVjp(b: Backprop, w: Node, dys: (Value | undefined)[]): Grads {
  const { r } = b;
  const trace = r.trace!;
  const [, body] = w.regions as [Region, Region];
  // by value: counting and stacking append outputs
  const adjointOf = new Map(w.outputs.map((o, i) => [o, dys[i]]));
  const count = w.inputs.length;
  const scanned = w.outputs.slice(count).map((o, s) => ({ output: o, result: body.results[count + s]! }));
  // The loop values and captured values an adjoint can reach: those the results given adjoints are
  // computed from, in some iteration (no zero adjoints carried: 0·∞ would be NaN where tfjs gives a
  // number, and they cost a loop value each).
  const active = [...Array(count).keys()].filter((i) => i > 0 && b.active.has(body.params[i]!));
  const reached = new Set(active.filter((i) => adjointOf.get(w.outputs[i]!)));
  const seeds = scanned.filter(({ output }) => adjointOf.get(output)).map(({ result }) => result);
  let sources: Set<Value>;
  for (;;) {
    sources = dependencies(body, [...[...reached].map((i) => body.results[i]!), ...seeds]);
    const more = active.filter((i) => !reached.has(i) && sources.has(body.params[i]!));
    if (!more.length) break;
    for (const i of more) reached.add(i);
  }
  const carried = active.filter((i) => reached.has(i));
  const captured = capturesOf(w).filter((v) => b.active.has(v) && sources.has(v));
  if (!carried.length && !captured.length) return [];
  const carriedTypes = carried.map((i) => adjointType(body.params[i]!));
  const trips = tripCount(r, w);

  const [one, zero] = [1, 0].map((k) => trace.constant(Int32Array.of(k), [], 'int32')) as [Value, Value];
  const init = [
    emit(r, 'Greater', [trips, zero]),
    zero,
    ...carried.map((i, k) =>
      asType(r, adjointOf.get(w.outputs[i]!) ?? zerosLike(r, w.outputs[i]!), carriedTypes[k]!),
    ),
    ...captured.map((v) => zerosLike(r, v)),
  ];
  const types = init.map((v) => v.type);
  let step: Value | undefined; // the forward iteration a backward iteration undoes
  let head = 0;
  const backwardBody = trace.region(types, (params) => {
    const [, j, ...rest] = params as [Value, Value, ...Value[]];
    const dCarried = rest.slice(0, carried.length);
    const dCaptured = rest.slice(carried.length);
    step = emit(r, 'Sub', [emit(r, 'Sub', [trips, one]), j]);
    head = trace.currentNodes.length;
    const adjoints: Adjoints = new Map();
    carried.forEach((i, k) => accumulate(r, adjoints, body.results[i]!, dCarried[k]!));
    for (const { output, result } of scanned) {
      const d = adjointOf.get(output);
      if (d) accumulate(r, adjoints, result, emit(r, 'GatherV2', [d, step!], { axis: 0, batchDims: 0 }));
    }
    backprop(b, body.nodes, adjoints);
    const next = emit(r, 'Add', [j, one]);
    return [
      emit(r, 'Less', [next, trips]),
      next,
      ...carried.map((i, k) =>
        asType(r, adjoints.get(body.params[i]!) ?? zerosLike(r, body.params[i]!), carriedTypes[k]!),
      ),
      ...captured.map((v, k) => {
        const g = adjoints.get(v);
        return g ? asType(r, emit(r, 'Add', [dCaptured[k]!, g]), adjointType(v)) : dCaptured[k]!;
      }),
    ];
  });
  stackForwardValues(r, w, backwardBody, step!, head);
  const test = trace.region(types, (params) => [params[0]!]);
  const grads = trace.structured('while', init, [test, backwardBody], types);
  return [
    ...carried.map((i, k): [Value, Value] => [w.inputs[i]!, grads[2 + k]!]),
    ...captured.map((v, k): [Value, Value] => [v, grads[2 + carried.length + k]!]),
  ];
}

/**
 * Adds a loop value to `w`: it enters as `init` (a value defined before `w`), the body computes its
 * next value with `next` (from its value at the start of the iteration); returns `w`'s output for it.
 */
function addLoopValue(r: Recorder, w: Node, init: Value, next: (current: Value) => Value): Value {
  const trace = r.trace!;
  const [test, body] = w.regions as [Region, Region];
  const count = w.inputs.length;
  w.inputs.push(init);
  test.params.push(trace.values.value(init.type));
  const current = trace.values.value(init.type);
  body.params.push(current);
  body.results.splice(
    count,
    0,
    trace.appendTo(body, () => next(current)),
  );
  const output = trace.values.value(init.type, w);
  w.outputs.splice(count, 0, output);
  return output;
}

/** Adds a scan output to `w` stacking its body's `v` (computed by the body); returns it. */
function addScan(r: Recorder, w: Node, v: Value): Value {
  w.regions[1]!.results.push(v);
  w.attrs = { ...w.attrs, scans: scanCount(w) + 1 };
  const stack = r.trace!.values.value(tensorType(v.type.dtype, [null, ...v.type.shape]), w);
  w.outputs.push(stack);
  return stack;
}

/** Trip counts already added to loops. */
const counters = new WeakMap<Node, Value>();

/** The number of iterations `w` runs: an int32 loop value added to it (once). */
function tripCount(r: Recorder, w: Node): Value {
  let trips = counters.get(w);
  if (!trips) {
    const trace = r.trace!;
    const [zero, one] = [0, 1].map((k) => trace.constant(Int32Array.of(k), [], 'int32')) as [Value, Value];
    trips = addLoopValue(r, w, zero, (i) => emit(r, 'Add', [i, one]));
    counters.set(w, trips);
  }
  return trips;
}

/** How the backward loop reads, at a step, what one forward iteration computed. */
type Reader = (step: Value) => Value;

/** Readers already made for loops, per body value (a value differentiated twice is stacked once). */
const readers = new WeakMap<Node, Map<Value, Reader>>();

/**
 * Makes every value of `w`'s body that `backward` uses available per iteration, and reads the row
 * of step `step` at `head` of `backward` instead.
 */
function stackForwardValues(r: Recorder, w: Node, backward: Region, step: Value, head: number): void {
  const trace = r.trace!;
  const body = w.regions[1]!;
  const defined = new Set([...body.params, ...body.nodes.flatMap((n) => n.outputs)]);
  const needed = usesOf(backward, defined);
  if (!needed.length) return;
  const known = readers.get(w) ?? new Map<Value, Reader>();
  readers.set(w, known);
  const before = backward.nodes.length;
  const rows = trace.appendTo(backward, () =>
    needed.map((v) => {
      let read = known.get(v);
      if (!read) {
        read = varyingShape(v) ? raggedStack(r, w, v) : stack(r, w, v);
        known.set(v, read);
      }
      return read(step);
    }),
  );
  backward.nodes.splice(head, 0, ...backward.nodes.splice(before));
  substitute(backward, new Map(needed.map((v, k) => [v, rows[k]!])));
}

/** A scan output: one row per iteration, all of the same shape. */
function stack(r: Recorder, w: Node, v: Value): Reader {
  const rows = addScan(r, w, v);
  return (step) => emit(r, 'GatherV2', [rows, step], { axis: 0, batchDims: 0 });
}

/**
 * Whether `v`'s dims may differ from one iteration to the next, so that its rows cannot be stacked:
 * any dynamic dim may (a list that grows, an inner loop's stacks); a static shape may not.
 */
const varyingShape = (v: Value): boolean => !isStatic(v.type.shape);

/**
 * Rows of varying shapes: the loop carries all of them flattened one after the other (a copy per
 * iteration: quadratic in the total size) and stacks where each starts and ends and its shape.
 */
function raggedStack(r: Recorder, w: Node, v: Value): Reader {
  const trace = r.trace!;
  const { dtype } = v.type;
  const flatten = trace.constant(Int32Array.of(-1), [1], 'int32');
  const none = trace.constant(Int32Array.of(0), [1], 'int32');
  const zero = trace.constant(constData(dtype, [0]), [], dtype);
  let perIteration: Value[] = [];
  const all = addLoopValue(r, w, trace.hoisted('DynamicFill', [none, zero], { dims: [null] }), (flat) => {
    const next = emit(r, 'Concat', [flat, emit(r, 'DynamicReshape', [v, flatten], { dims: [null] })], {
      axis: 0,
    });
    perIteration = [emit(r, 'Shape', [flat]), emit(r, 'Shape', [next]), emit(r, 'Shape', [v])];
    return next;
  });
  const [starts, ends, shapes] = perIteration.map((x) => addScan(r, w, x)) as [Value, Value, Value];
  const one = trace.constant(Int32Array.of(1), [], 'int32');
  return (step) => {
    const at = (stacked: Value) => emit(r, 'GatherV2', [stacked, step], { axis: 0, batchDims: 0 });
    const scalar = (x: Value) => emit(r, 'Reshape', [x], { shape: [] });
    const indices = emit(r, 'DynamicRange', [scalar(at(starts)), scalar(at(ends)), one], { dtype: 'int32' });
    const rows = emit(r, 'GatherV2', [all, indices], { axis: 0, batchDims: 0 });
    return emit(r, 'DynamicReshape', [rows, at(shapes)], { dims: [...v.type.shape] });
  };
}
