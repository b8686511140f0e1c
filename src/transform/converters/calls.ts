/**
 * Calls → `ag__.callee(f, 'f')(args)`, which calls the converted twin of user functions and library
 * functions as they are. Method calls keep their receiver: `o.m(x)` →
 * `ag__.callee((t = o).m, 'o.m').call(t, x)`, evaluating `o`, then `o.m`, then the arguments, as JS does.
 * `console.log(...)` → `ag__.print(...)`; `console.assert` → `ag__.consoleAssert` (throws.ts).
 */
import { assign, binary, id, lit, member, type Node, rt } from '../ast.ts';
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
  const method = { ...c, object };
  if (scope.ctx.form === 'eager' && n.arguments.every((a: Node) => scope.isUnobservable(a)))
    return plainMethodCall(method, receiver, n.arguments, text, scope);
  return callWith(rt(calleeOp(scope), method, text), receiver, n.arguments);
}

/** `f.call(receiver, …args)`: the runtime hands call sites only functions whose `call` is the built-in one. */
const callWith = (f: Node, receiver: Node, args: Node[]): Node => ({
  type: 'CallExpression',
  callee: member(f, 'call'),
  arguments: [receiver, ...args],
  optional: false,
});

/**
 * Eager form, arguments that can be read twice: `(C = ag__.eagerCallee(M = (t = o).m, 'o.m')) === M
 * ? M.call(t, …) : C.call(t, …)`. When the method needs no twin (`arr.push(x)`), the call goes to `M`
 * as read from the object, which V8 then knows and inlines as it does for `arr.push(x)`.
 */
function plainMethodCall(method: Node, receiver: Node, args: Node[], text: Node, scope: FunctionScope): Node {
  const m = id(scope.namedTemp('call:method', 'method_'));
  const c = id(scope.namedTemp('call:callee', 'callee_'));
  const lookup = assign({ ...c }, rt('eagerCallee', assign({ ...m }, method), text));
  return {
    type: 'ConditionalExpression',
    test: binary('===', lookup, { ...m }),
    consequent: callWith(
      { ...m },
      { ...receiver },
      args.map((a) => ({ ...a })),
    ),
    alternate: callWith(
      { ...c },
      { ...receiver },
      args.map((a) => ({ ...a })),
    ),
  };
}
