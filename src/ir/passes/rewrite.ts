/** Replacing the uses of values, in a region and the regions nested in it. */
import type { Region, Value } from '../graph.ts';

export function replaceUses(region: Region, replacement: ReadonlyMap<Value, Value>): void {
  if (replacement.size === 0) return;
  const sub = (v: Value) => replacement.get(v) ?? v;
  for (const n of region.nodes) {
    n.inputs = n.inputs.map(sub);
    for (const r of n.regions) replaceUses(r, replacement);
  }
  region.results = region.results.map(sub);
}
