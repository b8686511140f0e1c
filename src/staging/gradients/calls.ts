/**
 * The gradient of a `call` (staged recursion, staging/recursion.ts): a call of the callee's backward
 * function, which takes the call's arguments and its outputs' adjoints and gives the adjoints of the
 * arguments and of the values the callee reads from around it (its weights) that are differentiated. The backward function
 * runs the callee's body again (its recursive calls included), then the backward pass of that body,
 * whose recursive calls call the backward function: recomputing instead of storing, so a call
 * at depth d runs the forward pass of its subtree again, d times in all for the deepest ones.
 */
import { cloneNodes, type Node, type Region, type Value } from '../../ir/graph.ts';
import type { Recorder } from '../recording-backend.ts';
import { backwardOf, capturedBy, tracedFunction } from '../recursion.ts';
import { accumulate, activeValues, adjointType, type Backprop, backprop, zerosLike } from './backprop.ts';

export function callVjp(b: Backprop, n: Node, dys: (Value | undefined)[]): [Value, Value][] {
  const { r } = b;
  const trace = r.trace!;
  const fn = tracedFunction(trace, n.attrs.callee as string);
  // only the captured values this gradient differentiates (a frozen embedding table's adjoint, a
  // dense [vocabulary, dim] sum per leaf, would cost more than the rest of the backward pass)
  const captured = capturedBy(trace, fn).filter((v) => v.type.dtype === 'float32' && b.active.has(v));
  const backward = backwardOf(
    trace,
    fn,
    captured,
    (bwd) => backwardBody(r, fn.body, bwd.captured),
    [...fn.body.params, ...captured].map(adjointType),
  );
  const outerWhere = trace.where;
  trace.where = n.where; // the backward call points at the forward call's line
  try {
    const seeds = n.outputs.map((o, i) => dys[i] ?? zerosLike(r, o));
    const grads = trace.call(backward.name, [...n.inputs, ...seeds], backward.types);
    const targets = [...n.inputs, ...backward.captured];
    return targets.map((v, i) => [v, grads[i]!] as [Value, Value]).filter(([v]) => b.active.has(v));
  } finally {
    trace.where = outerWhere;
  }
}

/** The values the call of `n`'s callee reads from around it: the activity of its outputs depends on them too. */
export function callCaptures(r: Recorder, n: Node): Value[] {
  return capturedBy(r.trace!, tracedFunction(r.trace!, n.attrs.callee as string));
}

/** The backward function's body: (params, adjoints of the results) → adjoints of params and `captured`. */
function backwardBody(r: Recorder, body: Region, captured: Value[]): Region {
  const trace = r.trace!;
  return trace.region([...body.params.map((p) => p.type), ...body.results.map(adjointType)], (params) => {
    const count = body.params.length;
    const copy = new Map(body.params.map((p, i) => [p, params[i]!]));
    const nodes = cloneNodes(body.nodes, copy, trace.values);
    trace.currentNodes.push(...nodes);
    const inputs = params.slice(0, count);
    const adjoints = new Map<Value, Value>();
    body.results.forEach((v, i) => accumulate(r, adjoints, copy.get(v) ?? v, params[count + i]!));
    backprop({ r, active: activeValues(nodes, [...inputs, ...captured]) }, nodes, adjoints);
    return [...inputs, ...captured].map((v) => adjoints.get(v) ?? zerosLike(r, v));
  });
}
