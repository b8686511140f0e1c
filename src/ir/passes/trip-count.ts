/**
 * Trip counts of counted loops. A staged `for (let i = c0; i < N && …; i++)` (or a `for…of`, whose
 * hidden index counts the same way) tests `i + 1 < N` at the end of every iteration. When `i` starts
 * at a constant, steps by exactly 1 and `N` is a constant, that test is the loop's trip count
 * `ceil(N - c0)`: it goes to the `while` node's `tripCount` attribute (ONNX Loop's `M`, which ONNX
 * Runtime checks without running a node) and leaves the condition. The counter is still carried
 * where the body reads it.
 */
import type { IRFunction, Node, Region, Value } from '../graph.ts';
import { allNodes } from '../graph.ts';

/** Float32 counters count exactly up to here. */
const EXACT_COUNT = 2 ** 24;

export function inferTripCounts(fn: IRFunction): void {
  for (const n of [...allNodes(fn.body)]) {
    if (n.op === 'while' && n.attrs.tripCount === undefined) countTrips(fn, n);
  }
}

function countTrips(fn: IRFunction, loop: Node): void {
  const body = loop.regions[1]!;
  const test = body.results[0]!.producer;
  const parts = test?.op === 'LogicalAnd' ? test.inputs : [body.results[0]!];
  for (const [k, part] of parts.entries()) {
    const bound = countedBound(loop, body, part);
    if (bound === undefined) continue;
    const rest = test?.op === 'LogicalAnd' ? parts[1 - k]! : trueIn(fn, body);
    loop.attrs = { ...loop.attrs, tripCount: bound };
    body.results = [rest, ...body.results.slice(1)];
    return;
  }
}

/** The trip count `part` imposes if it is `i + 1 < N` on a counter `i` from a constant, else undefined. */
function countedBound(loop: Node, body: Region, part: Value): number | undefined {
  const less = part.producer;
  if (less?.op !== 'Less') return undefined;
  const [next, limit] = less.inputs as [Value, Value];
  const N = scalarConstant(limit);
  const step = next.producer;
  if (N === undefined || step?.op !== 'Add') return undefined;
  // (among the loop values: a body's scan values, graph.ts, come after them and have no parameter)
  const index = body.results.slice(0, body.params.length).indexOf(next);
  if (index < 1) return undefined;
  const counter = body.params[index]!;
  const [a, b] = step.inputs as [Value, Value];
  const one = a === counter ? b : b === counter ? a : undefined;
  if (!one || scalarConstant(one) !== 1) return undefined;
  const c0 = scalarConstant(loop.inputs[index]!);
  if (c0 === undefined || Math.abs(c0) > EXACT_COUNT || Math.abs(N) > EXACT_COUNT) return undefined;
  return Math.max(0, Math.ceil(N - c0));
}

function scalarConstant(v: Value): number | undefined {
  const p = v.producer;
  if (p?.op !== 'Const' || v.type.shape.length !== 0 || v.type.dtype === 'bool') return undefined;
  return (p.attrs.value as ArrayLike<number>)[0];
}

/** A `true` constant at the start of `body`: the condition when the count was the whole test. */
function trueIn(fn: IRFunction, body: Region): Value {
  const t = fn.values.node('Const', [], { value: Uint8Array.of(1), dtype: 'bool', shape: [] }, [
    { dtype: 'bool', shape: [] },
  ]);
  body.nodes.unshift(t);
  return t.outputs[0]!;
}
