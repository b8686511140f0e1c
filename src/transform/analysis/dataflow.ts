/** What one CFG node reads (uses) and definitely assigns (defines), for the dataflow analyses. */
import { bindingNames, isFunction, type Node, visit } from '../ast.ts';
import { activity } from './activity.ts';
import type { Cfg, CfgNode } from './cfg.ts';

export interface UseDef {
  use: Set<string>;
  def: Set<string>;
}

const useDefs = new WeakMap<CfgNode, UseDef>();

/** `computeUseDef`, once per CFG node (liveness and reaching definitions both ask; callers must not mutate the sets). */
export function useDef(n: CfgNode): UseDef {
  let facts = useDefs.get(n);
  if (!facts) useDefs.set(n, (facts = computeUseDef(n)));
  return facts;
}

function computeUseDef(n: CfgNode): UseDef {
  const ast = n.ast;
  if (!ast) return { use: new Set(), def: new Set() };
  if (n.kind === 'loop-head') {
    const target = ast.left.type === 'VariableDeclaration' ? ast.left.declarations[0].id : ast.left;
    // the head reads the iterable, and the extra test (break/return flags) each iteration
    const use = activity(ast.right).read;
    if (ast.extraTest) for (const name of activity(ast.extraTest).read) use.add(name);
    return { use, def: new Set(bindingNames(target)) };
  }
  if (ast.type === 'CatchClause')
    return { use: new Set(), def: new Set(ast.param ? bindingNames(ast.param) : []) };
  return { use: activity(ast).read, def: definiteWrites(ast) };
}

/** Variables certainly assigned when `ast` completes: writes inside closures (user or generated) may not run. */
function definiteWrites(ast: Node): Set<string> {
  const out = new Set<string>();
  visit(ast, (n) => {
    if (n !== ast && isFunction(n)) return false;
    if (n.type === 'VariableDeclarator' && n.init !== null) bindingNames(n.id).forEach((x) => out.add(x));
    if (n.type === 'VariableDeclarator' && n.init === null && n.id.type === 'Identifier') out.add(n.id.name);
    if (n.type === 'AssignmentExpression' && n.operator === '=')
      bindingNames(n.left).forEach((x) => out.add(x));
    if ((n.type === 'FunctionDeclaration' || n.type === 'ClassDeclaration') && n.id) out.add(n.id.name);
  });
  return out;
}

/** The nodes of a statement through which control enters it, and the outside nodes it flows to. */
export function boundary(cfg: Cfg, stmt: Node): Boundary {
  let byStmt = boundaries.get(cfg);
  if (!byStmt) boundaries.set(cfg, (byStmt = new Map()));
  let b = byStmt.get(stmt);
  if (!b) byStmt.set(stmt, (b = computeBoundary(cfg, stmt)));
  return b;
}

interface Boundary {
  entries: CfgNode[];
  successors: CfgNode[];
}
const boundaries = new WeakMap<Cfg, Map<Node, Boundary>>();

function computeBoundary(cfg: Cfg, stmt: Node): Boundary {
  const members = cfg.members.get(stmt) ?? new Set<CfgNode>();
  const entries: CfgNode[] = [];
  const successors = new Set<CfgNode>();
  for (const n of members) {
    for (const p of n.pred)
      if (!members.has(p)) {
        entries.push(n);
        break;
      }
    for (const s of n.succ) if (!members.has(s)) successors.add(s);
  }
  return { entries, successors: [...successors] };
}
