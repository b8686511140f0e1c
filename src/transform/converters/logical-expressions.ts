/**
 * `a && b`, `a || b`, `a ?? b` → `ag__.and_(a, () => b)`, ...: the right operand becomes a thunk so
 * it stays lazy, and the operators return operands as JS does. `!a` → `ag__.not_(a)`.
 */
import { type Node, rt, thunk } from '../ast.ts';

const LOGICAL: Record<string, string> = { '&&': 'and_', '||': 'or_', '??': 'nullish' };

export function convertLogical(n: Node): Node {
  return rt(LOGICAL[n.operator]!, n.left, thunk(n.right));
}

export function convertNot(n: Node): Node {
  return n.operator === '!' ? rt('not_', n.argument) : n;
}
