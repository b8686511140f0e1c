/**
 * `a && b`, `a || b`, `a ?? b` → `ag__.and_(a, () => b)`, ...: the right operand becomes a thunk so
 * it stays lazy, and the operators return operands as JS does. `!a` → `ag__.not_(a)`.
 */
import { binary, type Node, lit, rt, sequence, thunk, typeofIs } from '../ast.ts';
import type { FunctionScope } from '../context.ts';

const LOGICAL: Record<string, string> = { '&&': 'and_', '||': 'or_', '??': 'nullish' };

export function convertLogical(n: Node): Node {
  return rt(LOGICAL[n.operator]!, n.left, thunk(n.right));
}

/**
 * `!a` → `ag__.not_(a)`. The eager form negates a value that is not an object natively:
 * `(t = a, typeof t !== 'object' || t === null ? !t : ag__.not_(t))`.
 */
export function convertNot(n: Node, scope: FunctionScope): Node {
  if (n.operator !== '!') return n;
  if (scope.ctx.form !== 'eager') return rt('not_', n.argument);
  const { stores, values } = scope.inOrder([n.argument], () => scope.namedTemp('not', 'not_'));
  const value = values[0]!;
  const notObject = {
    type: 'LogicalExpression',
    operator: '||',
    left: typeofIs({ ...value }, 'object', true),
    right: binary('===', { ...value }, lit(null)),
  };
  const choice = {
    type: 'ConditionalExpression',
    test: notObject,
    consequent: { type: 'UnaryExpression', operator: '!', prefix: true, argument: { ...value } },
    alternate: rt('not_', { ...value }),
    nativeFastPath: true,
  };
  return stores.length ? sequence([...stores, choice]) : choice;
}
