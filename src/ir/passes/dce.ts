/** Dead-code elimination: pure nodes whose outputs nothing uses are removed, in every region. */
import { allNodes, type IRFunction, type Region, type Value } from '../graph.ts';
import { opDef } from '../ops/index.ts';

export function eliminateDeadCode(fn: IRFunction): void {
  sweep(fn.body);
}

/** Removes dead nodes of `region`; returns every value the region still uses (its own and outer ones). */
function sweep(region: Region): Set<Value> {
  const used = new Set<Value>(region.results);
  const kept = [];
  for (let i = region.nodes.length - 1; i >= 0; i--) {
    const n = region.nodes[i]!;
    // A cond or while is pure when nothing at any depth of its regions has effects.
    const pure = n.regions.length
      ? n.regions.every((r) => [...allNodes(r)].every((m) => opDef(m.op)?.pure !== false))
      : opDef(n.op)?.pure !== false;
    if (pure && !n.outputs.some((o) => used.has(o))) continue;
    kept.push(n);
    for (const v of n.inputs) used.add(v);
    for (const r of n.regions) for (const v of sweep(r)) used.add(v);
  }
  region.nodes = kept.reverse();
  return used;
}
