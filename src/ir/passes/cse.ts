/**
 * Common-subexpression elimination: a pure node with the same op, inputs and attributes as one
 * already in scope (this region or an enclosing one) is replaced by it. Loop values are merged the
 * same way: two values a `while` carries that start from the same value and are updated alike (a
 * `for…of`'s hidden index and the user's own counter `t = t + 1`) are equal on every iteration, so
 * one serves for both (DCE then drops the other).
 */
import type { IRFunction, Node, Region, Value } from '../graph.ts';
import { opDef } from '../ops/index.ts';
import { replaceUses } from './rewrite.ts';

/** Constants larger than this are not compared (hashing them costs more than it saves). */
const MAX_CONST_KEY = 64;

export function eliminateCommonSubexpressions(fn: IRFunction): void {
  visit(fn.body, new Map());
}

function visit(region: Region, outer: ReadonlyMap<string, Node>): void {
  const seen = new Map(outer);
  const replacement = new Map<Value, Value>();
  const kept: Node[] = [];
  for (const n of region.nodes) {
    n.inputs = n.inputs.map((v) => replacement.get(v) ?? v);
    for (const r of n.regions) {
      replaceUses(r, replacement);
      visit(r, seen);
    }
    // (after the body's own CSE: the updates then read the same constants)
    if (n.op === 'while') mergeEqualLoopValues(n, replacement);
    const key = keyOf(n);
    const earlier = key === undefined ? undefined : seen.get(key);
    if (earlier) {
      n.outputs.forEach((o, i) => replacement.set(o, earlier.outputs[i]!));
      continue;
    }
    if (key !== undefined) seen.set(key, n);
    kept.push(n);
  }
  region.nodes = kept;
  region.results = region.results.map((v) => replacement.get(v) ?? v);
}

function keyOf(n: Node): string | undefined {
  if (n.regions.length || n.op === 'call' || opDef(n.op)?.pure === false) return undefined;
  const attrs = Object.entries(n.attrs).map(([k, v]) => {
    if (!ArrayBuffer.isView(v)) return [k, v];
    const data = v as unknown as ArrayLike<number>;
    return data.length > MAX_CONST_KEY
      ? [k, Symbol()]
      : [k, `${v.constructor.name}:${Array.from(data).join(',')}`];
  });
  if (attrs.some(([, v]) => typeof v === 'symbol')) return undefined;
  return `${n.op}(${n.inputs.map((v) => v.id).join(',')})${JSON.stringify(attrs)}`;
}

/**
 * In a `while` node, loop value b is replaced by an earlier loop value a when both start from the same
 * value and the body computes b's next value from b as it computes a's from a (by induction they are
 * equal): the regions read a's parameter for b's, and the node's users read a's output (`replacement`).
 */
function mergeEqualLoopValues(n: Node, replacement: Map<Value, Value>): void {
  const [cond, body] = n.regions as [Region, Region];
  const count = n.inputs.length;
  for (let b = 1; b < count; b++) {
    for (let a = 0; a < b; a++) {
      if (n.inputs[a] !== n.inputs[b] || !updatedAlike(body, a, b)) continue;
      const params = new Map([
        [body.params[b]!, body.params[a]!],
        [cond.params[b]!, cond.params[a]!],
      ]);
      replaceUses(body, params);
      replaceUses(cond, params);
      replacement.set(n.outputs[b]!, n.outputs[a]!);
      break;
    }
  }
}

/** Whether the body's next values of loop values a and b are the same function of each one's own. */
function updatedAlike(body: Region, a: number, b: number): boolean {
  const [pa, pb] = [body.params[a]!, body.params[b]!];
  const [ra, rb] = [body.results[a]!, body.results[b]!];
  if (ra === rb) return true;
  const [na, nb] = [ra.producer, rb.producer];
  if (!na || !nb || !body.nodes.includes(na) || !body.nodes.includes(nb)) return false;
  if (na.op !== nb.op || na.regions.length || na.op === 'call' || opDef(na.op)?.pure === false) return false;
  if (JSON.stringify(na.attrs) !== JSON.stringify(nb.attrs) || na.inputs.length !== nb.inputs.length)
    return false;
  return na.inputs.every((x, i) => {
    const y = nb.inputs[i]!;
    return x === y || (x === pa && y === pb);
  });
}
