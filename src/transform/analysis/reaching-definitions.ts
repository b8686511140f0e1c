/**
 * Definitely-defined variables (a must-analysis over reaching definitions): which of the function's
 * local variables certainly hold an assigned value on entry to a statement. A variable that a loop
 * modifies but that is not defined on entry must be initialized from the loop body when staged.
 */
import type { Node } from '../ast.ts';
import type { Cfg, CfgNode } from './cfg.ts';
import { boundary, useDef } from './dataflow.ts';

export interface DefinedOnEntry {
  /** Local variables certainly assigned on entry to `stmt` (variables from outside the function always are). */
  definedOnEntry(stmt: Node): Set<string>;
}

export function reachingDefinitions(cfg: Cfg, params: Iterable<string>): DefinedOnEntry {
  const defs = new Map<CfgNode, Set<string>>(cfg.nodes.map((n) => [n, useDef(n).def]));
  const universe = new Set<string>([...params, ...[...defs.values()].flatMap((d) => [...d])]);
  const out = new Map<CfgNode, Set<string>>(cfg.nodes.map((n) => [n, new Set(universe)]));
  const inOf = (n: CfgNode): Set<string> =>
    n === cfg.entry ? new Set(params) : intersect([...n.pred].map((p) => out.get(p)!));
  for (let changed = true; changed; ) {
    changed = false;
    for (const n of cfg.nodes) {
      const next = inOf(n);
      for (const d of defs.get(n)!) next.add(d);
      if (next.size !== out.get(n)!.size) {
        out.set(n, next);
        changed = true;
      }
    }
  }
  return {
    definedOnEntry(stmt) {
      const head = cfg.heads.get(stmt);
      if (stmt.type === 'ForStatement' && head) return inOf(head);
      const { entries } = boundary(cfg, stmt);
      const members = cfg.members.get(stmt);
      return intersect(
        entries.flatMap((e) => [...e.pred].filter((p) => !members?.has(p)).map((p) => out.get(p)!)),
      );
    },
  };
}

function intersect(sets: Set<string>[]): Set<string> {
  if (sets.length === 0) return new Set();
  const out = new Set<string>();
  for (const v of sets[0]!) if (sets.every((s) => s.has(v))) out.add(v);
  return out;
}
