/**
 * Lexical scopes of a function: which identifier references are bound inside it and which are free
 * (must come from a closure, the module or globals).
 */
import { bindingNames, children, isFunction, type Node } from '../ast.ts';
import { isReference } from '../converters/unsupported.ts';

interface Scope {
  names: Set<string>;
  parent: Scope | null;
}

/** The free variables of `fn`, each with its first reference (in source order). */
export function freeVariables(fn: Node): Map<string, Node> {
  const free = new Map<string, Node>();
  const resolve = (name: string, scope: Scope | null): boolean => {
    for (let s = scope; s; s = s.parent) if (s.names.has(name)) return true;
    return false;
  };
  const walk = (n: Node, parent: Node | null, scope: Scope) => {
    let inner = scope;
    if (isFunction(n)) {
      inner = { names: new Set(), parent: scope };
      if (n.type === 'FunctionExpression' && n.id) inner.names.add(n.id.name);
      if (n.type !== 'ArrowFunctionExpression') inner.names.add('arguments');
      for (const p of n.params) bindingNames(p).forEach((x) => inner.names.add(x));
      declareHoisted(n.body, inner.names);
    } else if (
      n.type === 'BlockStatement' ||
      n.type === 'StaticBlock' ||
      n.type === 'SwitchStatement' ||
      /^For/.test(n.type)
    ) {
      inner = { names: new Set(), parent: scope };
      const stmts =
        n.type === 'SwitchStatement'
          ? n.cases.flatMap((c: Node) => c.consequent)
          : n.type === 'BlockStatement' || n.type === 'StaticBlock'
            ? n.body
            : [n.init ?? n.left].filter(Boolean);
      for (const s of stmts) declareLexical(s, inner.names);
    } else if (n.type === 'CatchClause' && n.param) {
      inner = { names: new Set(bindingNames(n.param)), parent: scope };
    } else if (n.type === 'ClassExpression' && n.id) {
      inner = { names: new Set([n.id.name]), parent: scope };
    }
    if (
      n.type === 'Identifier' &&
      isReference(n, parent) &&
      !isDeclarationSite(n, parent) &&
      !resolve(n.name, scope)
    ) {
      if (!free.has(n.name)) free.set(n.name, n);
    }
    for (const c of children(n)) walk(c, n, inner);
  };
  walk(fn, null, { names: new Set(), parent: null });
  return free;
}

function isDeclarationSite(n: Node, parent: Node | null): boolean {
  return (
    !!parent &&
    ((isFunction(parent) && parent.id === n) ||
      ((parent.type === 'ClassDeclaration' || parent.type === 'ClassExpression') && parent.id === n))
  );
}

function declareLexical(s: Node, names: Set<string>): void {
  if (s.type === 'VariableDeclaration' && s.kind !== 'var')
    s.declarations.forEach((d: Node) => bindingNames(d.id, [] as string[]).forEach((x) => names.add(x)));
  if ((s.type === 'ClassDeclaration' || s.type === 'FunctionDeclaration') && s.id) names.add(s.id.name);
}

/** `var` declarations and top-level function declarations of a function body. */
function declareHoisted(body: Node, names: Set<string>): void {
  if (body.type !== 'BlockStatement') return;
  for (const s of body.body) declareLexical(s, names);
  const walk = (n: Node) => {
    if (isFunction(n)) return;
    if (n.type === 'VariableDeclaration' && n.kind === 'var')
      n.declarations.forEach((d: Node) => bindingNames(d.id).forEach((x) => names.add(x)));
    children(n).forEach(walk);
  };
  walk(body);
}
