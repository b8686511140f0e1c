/**
 * Scan outputs for lists that a loop only appends to (TensorFlow's TensorArray, ONNX Loop's scan
 * outputs). A staged `list.push(x)` in a loop body carries the list as one `[n, ...element]` value and
 * appends with `Concat([list, Pack(x)])`, copying the whole list every iteration: quadratic. When the
 * body does nothing else with the list, the loop value is dropped and the pushed rows become a scan
 * value of the `while` (graph.ts), which the loop stacks once per iteration; after the loop, the list
 * is `Concat([initial list, stacked rows])`, or the stacked rows alone when the initial list has no
 * rows.
 *
 * The pattern, for a loop value j (not the condition):
 * - body result j is a chain of axis-0 `Concat`s of the body, `Concat(…Concat(param_j, R1…)…, Rk…)`
 *   (one per `push`), each used only by the next and the last only as result j;
 * - param_j is used only by the first Concat (no `list.length`, `list[i]` or pop in the body) and the
 *   cond region does not use its parameter j;
 * - each R has a static number of rows and the element type is static with elements (a dynamic dim
 *   of the element would make a loop that runs zero times give a stacked value ONNX Runtime sizes 0
 *   in that dim, which the initial list may not fit).
 * A push under a staged `if` leaves a `cond` that merges two list versions: not this pattern, left as
 * it is. Inner loops are rewritten before the loops around them.
 */
import { type IRFunction, type Node, Region, scanCount, type Value } from '../graph.ts';
import { isStatic, sameType, sizeOf, type TensorType, tensorType } from '../types.ts';
import { rewriteRegions } from './rewrite.ts';

export function introduceScanOutputs(fn: IRFunction): void {
  rewriteRegions(fn.body, (n) => (n.op === 'while' ? withScans(fn, n) : undefined));
}

/** A loop value that the body only appends rows to. */
interface Accumulation {
  /** Its index among the loop values. */
  index: number;
  /** The body's Concat nodes appending to it, first to last. */
  chain: Node[];
  /** The rows appended per iteration, in order. */
  rows: Value[];
  /** The element type (static, with elements). */
  element: TensorType;
}

function withScans(
  fn: IRFunction,
  loop: Node,
): { nodes: Node[]; replacement: Map<Value, Value> } | undefined {
  const [test, body] = loop.regions as [Region, Region];
  const count = loop.inputs.length;
  const uses = useCounts(body);
  const testUses = useCounts(test);
  const accumulations: Accumulation[] = [];
  for (let j = 1; j < count; j++) {
    if (testUses.has(test.params[j]!)) continue;
    const found = accumulation(body, j, uses);
    if (found) accumulations.push(found);
  }
  if (!accumulations.length) return undefined;

  // The body: the Concat chains go, each iteration's rows become a scan value.
  const removed = new Set(accumulations.flatMap((a) => a.chain));
  const bodyNodes = body.nodes.filter((n) => !removed.has(n));
  const scanValues = accumulations.map((a) => {
    const { value, node } = perIteration(fn, a);
    if (node) bodyNodes.push(node);
    return value;
  });
  const dropped = new Set(accumulations.map((a) => a.index));
  const kept = [...Array(count).keys()].filter((i) => !dropped.has(i));
  const oldScans = scanCount(loop);
  const newTest = new Region(
    kept.map((i) => test.params[i]!),
    test.nodes,
    test.results,
  );
  const newBody = new Region(
    kept.map((i) => body.params[i]!),
    bodyNodes,
    [...kept.map((i) => body.results[i]!), ...body.results.slice(count), ...scanValues],
  );
  const oldScanOutputs = loop.outputs.slice(count);
  const next = fn.values.node(
    'while',
    kept.map((i) => loop.inputs[i]!),
    { ...loop.attrs, scans: oldScans + accumulations.length },
    [
      ...kept.map((i) => loop.outputs[i]!.type),
      ...oldScanOutputs.map((v) => v.type),
      ...scanValues.map((v) => tensorType(v.type.dtype, [null, ...v.type.shape])),
    ],
    [newTest, newBody],
    loop.site,
  );

  // After the loop: each list is its initial rows and the stacked ones.
  const replacement = new Map<Value, Value>();
  kept.forEach((i, k) => replacement.set(loop.outputs[i]!, next.outputs[k]!));
  oldScanOutputs.forEach((v, k) => replacement.set(v, next.outputs[kept.length + k]!));
  const nodes = [next];
  accumulations.forEach((a, k) => {
    let rows = next.outputs[kept.length + oldScans + k]!;
    const listType = loop.outputs[a.index]!.type;
    if (rows.type.shape.length !== listType.shape.length) {
      // several rows per iteration: [iterations, m, ...element] → [iterations * m, ...element]
      const flat = fn.values.node(
        'Reshape',
        [rows],
        { shape: [-1, ...a.element.shape] },
        [listType],
        [],
        loop.site,
      );
      nodes.push(flat);
      rows = flat.outputs[0]!;
    }
    const init = loop.inputs[a.index]!;
    if (!hasNoRows(init)) {
      const joined = fn.values.node('Concat', [init, rows], { axis: 0 }, [listType], [], loop.site);
      nodes.push(joined);
      rows = joined.outputs[0]!;
    }
    replacement.set(loop.outputs[a.index]!, rows);
  });
  return { nodes, replacement };
}

/** Loop value j of `body` as an append-only list, if it is one. */
function accumulation(body: Region, j: number, uses: ReadonlyMap<Value, number>): Accumulation | undefined {
  const param = body.params[j]!;
  const listType = param.type;
  const [rowsDim, ...elementShape] = listType.shape;
  if (rowsDim !== null || listType.shape.length === 0) return undefined;
  if (!isStatic(elementShape) || sizeOf(elementShape) === 0) return undefined;
  const element = tensorType(listType.dtype, elementShape);
  if (uses.get(param) !== 1) return undefined;
  const chain: Node[] = [];
  const rows: Value[] = [];
  const own = new Set(body.nodes);
  let v = body.results[j]!;
  // the list after the last push: used as result j only
  if (uses.get(v) !== 1) return undefined;
  while (v !== param) {
    const concat = v.producer;
    if (!concat || concat.op !== 'Concat' || !own.has(concat) || concat.inputs.length < 2) return undefined;
    const axis = concat.attrs.axis;
    if (axis !== 0 && axis !== -listType.shape.length) return undefined;
    // an earlier version of the list: read by the next push only
    if (chain.length && uses.get(v) !== 1) return undefined;
    const added = concat.inputs.slice(1);
    if (!added.every((r) => isRows(r.type, element))) return undefined;
    chain.unshift(concat);
    rows.unshift(...added);
    v = concat.inputs[0]!;
  }
  return chain.length ? { index: j, chain, rows, element } : undefined;
}

/** `[m, ...element]` with a static m ≥ 1. */
const isRows = (t: TensorType, element: TensorType) =>
  t.dtype === element.dtype &&
  typeof t.shape[0] === 'number' &&
  t.shape[0] >= 1 &&
  sameType(tensorType(t.dtype, t.shape.slice(1)), element);

/**
 * What one iteration appends, as the scan value: the element itself for one row (the pushed value
 * when the row is its Pack, ExpandDims or Reshape), else the rows `[m, ...element]`; and the node
 * that computes it, when one is needed.
 */
function perIteration(fn: IRFunction, a: Accumulation): { value: Value; node?: Node } {
  const { rows, element } = a;
  const m = rows.reduce((n, r) => n + (r.type.shape[0] as number), 0);
  if (m === 1) {
    const row = rows[0]!;
    const p = row.producer;
    const wraps =
      (p?.op === 'Pack' && p.inputs.length === 1 && (p.attrs.axis ?? 0) === 0) ||
      (p?.op === 'ExpandDims' && p.attrs.dim === 0) ||
      p?.op === 'Reshape';
    if (wraps && sameType(p!.inputs[0]!.type, element)) return { value: p!.inputs[0]! };
    const node = fn.values.node('Reshape', [row], { shape: [...element.shape] }, [element], [], p?.site);
    return { value: node.outputs[0]!, node };
  }
  if (rows.length === 1) return { value: rows[0]! };
  const type = tensorType(element.dtype, [m, ...element.shape]);
  const node = fn.values.node('Concat', rows, { axis: 0 }, [type], [], rows[0]!.producer?.site);
  return { value: node.outputs[0]!, node };
}

/** Whether a list value certainly has no rows: no elements (through reshapes) and elements of size > 0. */
function hasNoRows(v: Value): boolean {
  if (sizeOf(v.type.shape) === 0) return true;
  const p = v.producer;
  return (
    (p?.op === 'DynamicReshape' || p?.op === 'Reshape' || p?.op === 'Identity') && hasNoRows(p.inputs[0]!)
  );
}

/**
 * How many times each value is used in `region`: as an input of a node at any depth, or as a result
 * of the region or of a region nested in it.
 */
function useCounts(region: Region): Map<Value, number> {
  const counts = new Map<Value, number>();
  const use = (v: Value) => counts.set(v, (counts.get(v) ?? 0) + 1);
  const walk = (r: Region) => {
    for (const n of r.nodes) {
      n.inputs.forEach(use);
      n.regions.forEach(walk);
    }
    r.results.forEach(use);
  };
  walk(region);
  return counts;
}
