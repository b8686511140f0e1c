/**
 * Hoists `var` declarations to the top of their function: blocks become closures during conversion,
 * and a `var` left inside one would be scoped to that closure instead of the function.
 */
import {
  bindingNames,
  declarationAsAssignment,
  declare,
  exprStmt,
  isFunction,
  type Node,
  withLoc,
} from '../ast.ts';

const isVar = (n: Node) => n?.type === 'VariableDeclaration' && n.kind === 'var';

export function hoistVars(fnBody: Node): void {
  const names = new Set<string>();
  const replace = (n: Node, parent: Node, key: string): Node => {
    for (const d of n.declarations) bindingNames(d.id, [] as string[]).forEach((x) => names.add(x));
    if (parent.type === 'ForStatement' && key === 'init') return declarationAsAssignment(n);
    if ((parent.type === 'ForOfStatement' || parent.type === 'ForInStatement') && key === 'left')
      return n.declarations[0].id;
    const value = declarationAsAssignment(n);
    return value ? withLoc(exprStmt(value), n) : { type: 'EmptyStatement', loc: n.loc };
  };
  const walk = (n: Node) => {
    for (const key in n) {
      if (key === 'loc') continue;
      const v = n[key];
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) {
          if (!v[i] || typeof v[i].type !== 'string' || isFunction(v[i])) continue;
          if (isVar(v[i])) v[i] = replace(v[i], n, key);
          walk(v[i]);
        }
      } else if (v && typeof v.type === 'string' && !isFunction(v)) {
        if (isVar(v)) n[key] = replace(v, n, key);
        if (n[key]) walk(n[key]);
      }
    }
  };
  walk(fnBody);
  if (names.size === 0) return;
  const firstCode = fnBody.body.findIndex((s: Node) => !s.directive);
  fnBody.body.splice(
    firstCode < 0 ? fnBody.body.length : firstCode,
    0,
    declare(
      'var',
      [...names].map((n) => [n, null]),
    ),
  );
}
