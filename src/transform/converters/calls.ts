/**
 * Calls → `ag__.callee(f, 'f')(args)`, which calls the converted twin of user functions and library
 * functions as they are. Method calls keep their receiver: `o.m(x)` →
 * `ag__.callee((t = o).m, 'o.m').call(t, x)`, evaluating `o`, then `o.m`, then the arguments, as JS does.
 * `console.log(...)` → `ag__.print(...)`; `console.assert` → `ag__.consoleAssert` (throws.ts).
 */
import { assign, id, lit, member, type Node, rt } from '../ast.ts';
import type { FunctionScope } from '../context.ts';
import { convertConsoleAssert, isConsoleAssert } from './throws.ts';

/** Each form calls the twins of its own form. */
const calleeOp = (scope: FunctionScope) => (scope.ctx.form === 'eager' ? 'eagerCallee' : 'callee');

const isConsoleLog = (c: Node) =>
  c.type === 'MemberExpression' &&
  !c.computed &&
  c.object.type === 'Identifier' &&
  c.object.name === 'console' &&
  c.property.name === 'log';

export function convertCall(n: Node, scope: FunctionScope, calleeSource: string): Node {
  const c = n.callee;
  if (n.optional || c.type === 'Super' || c.type === 'Import') return n;
  if (isConsoleLog(c)) return { ...rt('print', ...n.arguments), loc: n.loc };
  if (isConsoleAssert(c)) return convertConsoleAssert(n, scope.ctx);
  // converted in place with the function, so it is its own twin
  if (c.type === 'Identifier' && scope.ctx.directCallees.has(c.name)) return n;
  const text = lit(calleeSource);
  if (c.type !== 'MemberExpression' || c.optional) {
    return {
      type: 'CallExpression',
      callee: rt(calleeOp(scope), c, text),
      arguments: n.arguments,
      optional: false,
    };
  }
  const receiver = c.object.type === 'Super' ? { type: 'ThisExpression' } : id(scope.temp(0));
  const object = c.object.type === 'Super' ? c.object : assign(id(scope.temp(0)), c.object);
  const fn = { ...c, object };
  return {
    type: 'CallExpression',
    callee: member(rt(calleeOp(scope), fn, text), 'call'),
    arguments: [receiver, ...n.arguments],
    optional: false,
  };
}
