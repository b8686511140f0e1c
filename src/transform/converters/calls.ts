/**
 * Calls → `ag__.callee(f, 'f')(args)`, which calls the converted twin of user functions and library
 * functions as they are. Method calls keep their receiver: `o.m(x)` →
 * `ag__.callee((t = o).m, 'o.m').call(t, x)`, evaluating `o`, then `o.m`, then the arguments, as JS does.
 * `console.log(...)` → `ag__.print(...)`.
 */
import { assign, id, lit, member, type Node, rt } from '../ast.ts';
import type { FunctionScope } from '../context.ts';

/** How V8 names a callee in "x is not a function", so converted code throws the same message. */
export function calleeText(n: Node): string {
  switch (n.type) {
    case 'Identifier':
      return n.name;
    case 'ThisExpression':
      return 'this';
    case 'Super':
      return 'super';
    case 'Literal':
      return typeof n.value === 'string' ? JSON.stringify(n.value) : String(n.value);
    case 'MemberExpression': {
      const object = calleeText(n.object);
      const dot = n.optional ? '?.' : '.';
      if (!n.computed)
        return `${object}${dot}${n.property.type === 'PrivateIdentifier' ? '#' : ''}${n.property.name}`;
      const p = n.property;
      if (p.type === 'Literal' && typeof p.value === 'string' && /^[A-Za-z_$][\w$]*$/.test(p.value))
        return `${object}.${p.value}`;
      return `${object}${n.optional ? '?.' : ''}[${calleeText(p)}]`;
    }
    case 'CallExpression':
      return `${calleeText(n.callee)}(...)`;
    case 'BinaryExpression':
    case 'LogicalExpression':
      if (n.operator === '!=' || n.operator === '!==') {
        return `(!(${calleeText(n.left)} ${n.operator === '!=' ? '==' : '==='} ${calleeText(n.right)}))`;
      }
      return `(${calleeText(n.left)} ${n.operator} ${calleeText(n.right)})`;
    case 'SequenceExpression':
      return `(${n.expressions.map(calleeText).join(' , ')})`;
    case 'UnaryExpression':
      if (n.operator === '-' && n.argument.type === 'Literal' && typeof n.argument.value === 'number') {
        return String(-n.argument.value); // V8 folds a negated literal (and prints -0 as 0)
      }
      return `(${n.operator}${/^[a-z]/.test(n.operator) ? ' ' : ''}${calleeText(n.argument)})`;
    case 'UpdateExpression':
      return n.prefix
        ? `(${n.operator}${calleeText(n.argument)})`
        : `(${calleeText(n.argument)}${n.operator})`;
    case 'AssignmentExpression':
      return calleeText(n.left);
    case 'ArrayExpression':
      return `[${n.elements.map((e: Node) => (e ? calleeText(e) : '')).join(',')}]`;
    case 'ObjectExpression':
      return `{${'(intermediate value)'.repeat(n.properties.length)}}`;
    case 'TemplateLiteral':
      return n.expressions.length === 0
        ? JSON.stringify(n.quasis[0].value.cooked)
        : n.expressions.map(calleeText).join('');
    case 'ConditionalExpression':
      return '(intermediate value)'.repeat(3);
    default:
      return '(intermediate value)';
  }
}

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
  const text = lit(calleeSource);
  if (c.type !== 'MemberExpression' || c.optional) {
    return { type: 'CallExpression', callee: rt('callee', c, text), arguments: n.arguments, optional: false };
  }
  const receiver = c.object.type === 'Super' ? { type: 'ThisExpression' } : id(scope.temp(0));
  const object = c.object.type === 'Super' ? c.object : assign(id(scope.temp(0)), c.object);
  const fn = { ...c, object };
  return {
    type: 'CallExpression',
    callee: member(rt('callee', fn, text), 'call'),
    arguments: [receiver, ...n.arguments],
    optional: false,
  };
}
