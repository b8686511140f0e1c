/** Replacing the uses of values, in a region and the regions nested in it; the passes' region walk. */
import type { Node, Region, Value } from '../graph.ts';

export function replaceUses(region: Region, replacement: ReadonlyMap<Value, Value>): void {
  if (replacement.size === 0) return;
  const sub = (v: Value) => replacement.get(v) ?? v;
  for (const n of region.nodes) {
    n.inputs = n.inputs.map(sub);
    for (const r of n.regions) replaceUses(r, replacement);
  }
  region.results = region.results.map(sub);
}

/** What a node becomes: the nodes standing in its place, and the values replacing its outputs. */
export interface NodeRewrite {
  nodes: Node[];
  replacement?: ReadonlyMap<Value, Value>;
}

/**
 * Rewrites a region and the regions nested in it, inner regions first: each node's inputs take the
 * replacements made before it, then `rewriteNode` may replace it (undefined keeps it).
 */
export function rewriteRegions(region: Region, rewriteNode: (n: Node) => NodeRewrite | undefined): void {
  const replacement = new Map<Value, Value>();
  const nodes: Node[] = [];
  for (const n of region.nodes) {
    n.inputs = n.inputs.map((v) => replacement.get(v) ?? v);
    for (const r of n.regions) {
      replaceUses(r, replacement);
      rewriteRegions(r, rewriteNode);
    }
    const rewritten = rewriteNode(n);
    if (!rewritten) {
      nodes.push(n);
      continue;
    }
    nodes.push(...rewritten.nodes);
    for (const [from, to] of rewritten.replacement ?? []) replacement.set(from, to);
  }
  region.nodes = nodes;
  region.results = region.results.map((v) => replacement.get(v) ?? v);
}
