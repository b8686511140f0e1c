/** Liveness: the variables whose current value may still be read, on entry to and exit from statements. */
import type { Node } from '../ast.ts';
import type { Cfg, CfgNode } from './cfg.ts';
import { boundary, type UseDef, useDef } from './dataflow.ts';

export interface Liveness {
  /** Live on entry; for a loop, at the start of each iteration. */
  liveIn(stmt: Node): Set<string>;
  liveOut(stmt: Node): Set<string>;
}

export function liveness(cfg: Cfg): Liveness {
  const facts = new Map<CfgNode, UseDef>(cfg.nodes.map((n) => [n, useDef(n)]));
  const liveIn = new Map<CfgNode, Set<string>>(cfg.nodes.map((n) => [n, new Set(facts.get(n)!.use)]));
  // Backward dataflow to a fixed point. A node's set only grows, so it grows in place.
  for (let changed = true; changed; ) {
    changed = false;
    for (let i = cfg.nodes.length - 1; i >= 0; i--) {
      const n = cfg.nodes[i]!;
      const { def } = facts.get(n)!;
      const current = liveIn.get(n)!;
      for (const s of n.succ)
        for (const v of liveIn.get(s)!)
          if (!def.has(v) && !current.has(v)) {
            current.add(v);
            changed = true;
          }
    }
  }
  const union = (nodes: CfgNode[]) => new Set(nodes.flatMap((n) => [...liveIn.get(n)!]));
  return {
    liveIn: (stmt) =>
      cfg.heads.has(stmt) ? new Set(liveIn.get(cfg.heads.get(stmt)!)) : union(boundary(cfg, stmt).entries),
    liveOut: (stmt) => union(boundary(cfg, stmt).successors),
  };
}
