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
import { type Node, type Region, scanCount, type Value } from '../../ir/graph.ts';
import { tensorType, type TensorType } from '../../ir/types.ts';
import { zeros } from '../control-flow.ts';
import type { Recorder } from '../recording-backend.ts';
import {
  accumulate,
  type Adjoints,
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

const int32Scalar = tensorType('int32', []);

export function condVjp(b: Backprop, c: Node, dys: (Value | undefined)[]): Grads {
  const { r } = b;
  const trace = r.trace!;
  const [pred] = c.inputs as [Value];
  const captured = capturesOf(c).filter((v) => b.active.has(v));
  if (!captured.length) return [];
  const outputs = [...c.outputs];
  const branch = (forward: Region) =>
    trace.region([], () => {
      const adjoints: Adjoints = new Map();
      outputs.forEach((o, i) => {
        const d = dys[i];
        if (d) accumulate(r, adjoints, forward.results[i]!, d);
      });
      backprop(b, forward.nodes, adjoints);
      return captured.map((v) => adjoints.get(v) ?? zerosLike(r, v));
    });
  const [then, orElse] = c.regions as [Region, Region];
  const backward = [branch(then), branch(orElse)] as const;
  exportFromBranch(r, c, 0, backward[0]);
  exportFromBranch(r, c, 1, backward[1]);
  const grads = trace.structured(
    'cond',
    [pred],
    [...backward],
    captured.map((v) => v.type),
  );
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
  const carried = [...Array(count).keys()].filter((i) => i > 0 && b.active.has(body.params[i]!));
  const captured = capturesOf(w).filter((v) => b.active.has(v));
  if (!carried.length && !captured.length) return [];
  const scanned = w.outputs.slice(count).map((o, s) => ({ output: o, result: body.results[count + s]! }));
  const carriedTypes = carried.map((i) => body.params[i]!.type);
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
        return g ? asType(r, emit(r, 'Add', [dCaptured[k]!, g]), v.type) : dCaptured[k]!;
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

/** Trip counts already added to loops. */
const counters = new WeakMap<Node, Value>();

/** The number of iterations `w` runs: an int32 loop value added to it (once). */
function tripCount(r: Recorder, w: Node): Value {
  const known = counters.get(w);
  if (known) return known;
  const trace = r.trace!;
  const [test, body] = w.regions as [Region, Region];
  const count = w.inputs.length;
  w.inputs.push(trace.constant(Int32Array.of(0), [], 'int32'));
  test.params.push(trace.values.value(int32Scalar));
  const iteration = trace.values.value(int32Scalar);
  body.params.push(iteration);
  const one = trace.constant(Int32Array.of(1), [], 'int32');
  body.results.splice(
    count,
    0,
    trace.appendTo(body, () => emit(r, 'Add', [iteration, one])),
  );
  const trips = trace.values.value(int32Scalar, w);
  w.outputs.splice(count, 0, trips);
  counters.set(w, trips);
  return trips;
}

/** Scan outputs already added to loops, per body value. */
const stacks = new WeakMap<Node, Map<Value, Value>>();

/**
 * Makes every value of `w`'s body that `backward` uses a scan output of `w` (one row per
 * iteration), and reads row `step` of it at `head` of `backward` instead.
 */
function stackForwardValues(r: Recorder, w: Node, backward: Region, step: Value, head: number): void {
  const trace = r.trace!;
  const body = w.regions[1]!;
  const defined = new Set([...body.params, ...body.nodes.flatMap((n) => n.outputs)]);
  const needed = usesOf(backward, defined);
  if (!needed.length) return;
  const known = stacks.get(w) ?? new Map<Value, Value>();
  stacks.set(w, known);
  const rows = trace.appendTo(backward, () =>
    needed.map((v) => {
      let stack = known.get(v);
      if (!stack) {
        body.results.push(v);
        w.attrs = { ...w.attrs, scans: scanCount(w) + 1 };
        stack = trace.values.value(stacked(v.type), w);
        w.outputs.push(stack);
        known.set(v, stack);
      }
      return emit(r, 'GatherV2', [stack, step], { axis: 0, batchDims: 0 });
    }),
  );
  const reads = backward.nodes.splice(backward.nodes.length - needed.length);
  backward.nodes.splice(head, 0, ...reads);
  substitute(backward, new Map(needed.map((v, k) => [v, rows[k]!])));
}

/** The type of a scan output stacking values of `type`. */
const stacked = (type: TensorType): TensorType => tensorType(type.dtype, [null, ...type.shape]);
