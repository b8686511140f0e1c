/**
 * Names that mean, everywhere inside a function, a function declared inside it: one declaration
 * (`function f() {}` or `const f = <function>`), never assigned, never declared otherwise, and not
 * also read as a free variable. Conversion converts such a function in place, so converted code
 * can call it directly, with no run-time lookup of a converted twin.
 */
import { bindingNames, isFunction, type Node, visit, visitPatternTargets } from '../ast.ts';
import { freeVariables } from './scopes.ts';

export function localFunctionNames(fn: Node): Set<string> {
  const declarations = new Map<string, number>();
  const functions = new Set<string>();
  const assigned = new Set<string>();
  const declare = (name: string, isFunctionBinding = false) => {
    declarations.set(name, (declarations.get(name) ?? 0) + 1);
    if (isFunctionBinding) functions.add(name);
  };
  const assign = (target: Node) =>
    visitPatternTargets(target, (t) => t.type === 'Identifier' && assigned.add(t.name));
  for (const p of fn.params) bindingNames(p).forEach((name) => declare(name));
  visit(fn.body, (n, parent) => {
    if (isFunction(n)) {
      if (n.id) declare(n.id.name, n.type === 'FunctionDeclaration');
      for (const p of n.params) bindingNames(p).forEach((name) => declare(name));
    } else if (n.type === 'VariableDeclarator') {
      const isConstFunction =
        parent?.kind === 'const' && n.init && isFunction(n.init) && n.id.type === 'Identifier';
      bindingNames(n.id).forEach((name) => declare(name, isConstFunction));
    } else if ((n.type === 'ClassDeclaration' || n.type === 'ClassExpression') && n.id) {
      declare(n.id.name);
    } else if (n.type === 'CatchClause' && n.param) {
      bindingNames(n.param).forEach((name) => declare(name));
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
  const free = freeVariables(fn);
  const names = new Set<string>();
  for (const name of functions)
    if (declarations.get(name) === 1 && !assigned.has(name) && !free.has(name)) names.add(name);
  return names;
}
