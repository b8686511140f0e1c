/**
 * Common-subexpression elimination: a pure node with the same op, inputs and attributes as one
 * already in scope (this region or an enclosing one) is replaced by it.
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
  if (n.regions.length || opDef(n.op)?.pure === false) return undefined;
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
