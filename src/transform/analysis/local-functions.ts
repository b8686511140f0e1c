/**
 * Names that mean, everywhere inside a function, a function declared at the top of its body: one
 * declaration (`function f() {}` or `const f = <function>`) in the whole function, never assigned,
 * and not named by its parameters (whose defaults cannot see the body). Conversion converts such a
 * function in place, so converted code can call it directly, with no run-time lookup of a twin.
 */
import { bindingNames, isFunction, type Node, visit, visitPatternTargets } from '../ast.ts';

export function localFunctionNames(fn: Node): Set<string> {
  if (fn.body.type !== 'BlockStatement') return new Set();
  const candidates = new Set<string>();
  for (const s of fn.body.body) {
    if (s.type === 'FunctionDeclaration' && s.id) candidates.add(s.id.name);
    if (s.type === 'VariableDeclaration' && s.kind === 'const')
      for (const d of s.declarations)
        if (d.id.type === 'Identifier' && d.init && isFunction(d.init)) candidates.add(d.id.name);
  }
  if (candidates.size === 0) return candidates;
  const declarations = new Map<string, number>();
  const excluded = new Set<string>();
  const declare = (name: string) => declarations.set(name, (declarations.get(name) ?? 0) + 1);
  const assign = (target: Node) =>
    visitPatternTargets(target, (t) => t.type === 'Identifier' && excluded.add(t.name));
  for (const p of fn.params)
    visit(p, (n) => {
      if (n.type === 'Identifier') excluded.add(n.name);
    });
  visit(fn.body, (n) => {
    if (isFunction(n)) {
      if (n.id) declare(n.id.name);
      for (const p of n.params) bindingNames(p).forEach(declare);
    } else if (n.type === 'VariableDeclarator') {
      bindingNames(n.id).forEach(declare);
    } else if ((n.type === 'ClassDeclaration' || n.type === 'ClassExpression') && n.id) {
      declare(n.id.name);
    } else if (n.type === 'CatchClause' && n.param) {
      bindingNames(n.param).forEach(declare);
    } else if (n.type === 'AssignmentExpression') {
      assign(n.left);
    } else if (n.type === 'UpdateExpression') {
      assign(n.argument);
    } else if (
      (n.type === 'ForInStatement' || n.type === 'ForOfStatement') &&
      n.left.type !== 'VariableDeclaration'
    ) {
      assign(n.left);
    }
  });
  for (const name of candidates)
    if (declarations.get(name) !== 1 || excluded.has(name)) candidates.delete(name);
  return candidates;
}
