/**
 * List mutations (graph form): `a.push(x, …)` as a statement → `a = ag__.listPush(a, x, …)`, and
 * `a.pop()` → `(t = ag__.listPop(a), a = t[0], t[1])`, so that the variable is assigned where the
 * list changes and a staged loop or branch carries it, as TensorFlow AutoGraph's list converter
 * does for `append` and `pop`. On a JS array (or any object with these methods) the operators make
 * exactly the call and return the same list. Only the function's own variables are rewritten (an
 * outer `const` cannot be assigned); their `const` declarations become `let`.
 */
import { assign, id, lit, type Node, rt, sequence, visitInFunction } from '../ast.ts';
import type { FunctionScope } from '../context.ts';

const mutation = (n: Node, method: 'push' | 'pop', scope: FunctionScope): boolean =>
  n?.type === 'CallExpression' &&
  !n.optional &&
  n.callee.type === 'MemberExpression' &&
  !n.callee.computed &&
  !n.callee.optional &&
  n.callee.property.name === method &&
  scope.isLocal(n.callee.object) &&
  (method === 'pop' ? n.arguments.length === 0 : n.arguments.length > 0);

export function convertListMutations(body: Node, scope: FunctionScope): void {
  const rewritten = new Set<string>();
  let popped: string | undefined;
  visitInFunction(body, (n) => {
    if (n.type === 'ExpressionStatement' && mutation(n.expression, 'push', scope)) {
      const call = n.expression;
      const list = call.callee.object.name as string;
      rewritten.add(list);
      n.expression = { ...assign(id(list), rt('listPush', id(list), ...call.arguments)), loc: call.loc };
      return;
    }
    for (const key of Object.keys(n)) {
      const child = n[key];
      if (!mutation(child, 'pop', scope)) continue;
      const list = child.callee.object.name as string;
      rewritten.add(list);
      popped ??= scope.ctx.namer.fresh('popped_');
      n[key] = {
        ...sequence([
          assign(id(popped), rt('listPop', id(list))),
          assign(id(list), element(popped, 0)),
          element(popped, 1),
        ]),
        loc: child.loc,
      };
    }
  });
  if (popped) scope.temps.push(popped);
  if (rewritten.size === 0) return;
  visitInFunction(body, (n) => {
    if (n.type === 'VariableDeclaration' && n.kind === 'const' && declares(n, rewritten)) n.kind = 'let';
  });
}

const element = (array: string, index: number): Node => ({
  type: 'MemberExpression',
  object: id(array),
  property: lit(index),
  computed: true,
  optional: false,
});

const declares = (decl: Node, names: Set<string>) =>
  decl.declarations.some((d: Node) => d.id.type === 'Identifier' && names.has(d.id.name));
