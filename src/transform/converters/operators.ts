/** Arithmetic and comparison operators → runtime operators that dispatch on the operand types. */
import { lit, type Node, rt } from '../ast.ts';

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

/** `-x` → `ag__.neg(x)`; a negative number literal stays as it is. */
export function convertUnaryMinus(n: Node): Node {
  if (n.operator !== '-') return n;
  if (n.argument.type === 'Literal' && typeof n.argument.value === 'number')
    return { ...lit(-n.argument.value), loc: n.loc };
  return rt('neg', n.argument);
}
