/** Arithmetic and comparison operators → runtime operators that dispatch on the operand types. */
import { type Node, rt } from '../ast.ts';

export const BINARY_OPERATORS: Record<string, string> = {
  '+': 'add',
  '-': 'sub',
  '*': 'mul',
  '/': 'div',
  '%': 'mod',
  '**': 'pow',
  '<': 'lt',
  '<=': 'le',
  '>': 'gt',
  '>=': 'ge',
  '==': 'eq',
  '!=': 'ne',
  '===': 'seq',
  '!==': 'sne',
};

export function convertBinary(n: Node): Node {
  const op = BINARY_OPERATORS[n.operator];
  return op ? rt(op, n.left, n.right) : n;
}

/** `-x` → `ag__.neg(x)`; a negated number literal (`-1`, `-0`) stays as it is. */
export function convertUnaryMinus(n: Node): Node {
  if (n.operator !== '-' || (n.argument.type === 'Literal' && typeof n.argument.value === 'number')) return n;
  return rt('neg', n.argument);
}
