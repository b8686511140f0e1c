/**
 * V8 words "x is not a function" and "x is not iterable" with its CallPrinter, which prints the
 * callee expression in its own way (n-ary chains flattened, constants folded, some forms as
 * "(intermediate value)"). Converted code raises these errors itself, so it renders the original
 * callee the same way.
 */
import type { Node } from '../ast.ts';

/** How V8 names a callee in "x is not a function", so converted code throws the same message. */
export function calleeText(n: Node): string {
  const folded = foldConstant(n);
  if (folded) return typeof folded.value === 'string' ? JSON.stringify(folded.value) : String(folded.value);
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
      return `(${naryOperands(n, n.operator).map(calleeText).join(` ${n.operator} `)})`;
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

/** `a && b && c` parses as `(a && b) && c`; V8 prints the chain as one n-ary operation. */
function naryOperands(n: Node, operator: string): Node[] {
  const left = n.left;
  const sameChain =
    (left.type === 'BinaryExpression' || left.type === 'LogicalExpression') && left.operator === operator;
  return sameChain ? [...naryOperands(left, operator), n.right] : [left, n.right];
}

const FOLDABLE_BINARY: Record<string, (a: number, b: number) => number> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => a / b,
  '%': (a, b) => a % b,
  '**': (a, b) => a ** b,
  '&': (a, b) => a & b,
  '|': (a, b) => a | b,
  '^': (a, b) => a ^ b,
  '<<': (a, b) => a << b,
  '>>': (a, b) => a >> b,
  '>>>': (a, b) => a >>> b,
};

/** The value V8's parser folds `n` to, if it does: unary operators on literals, arithmetic on numbers. */
function foldConstant(n: Node): { value: unknown } | undefined {
  if (n.type === 'Literal' && !n.regex) return { value: n.value };
  if (n.type === 'UnaryExpression') {
    const arg = foldConstant(n.argument);
    if (!arg) return undefined;
    if (n.operator === '!') return { value: !arg.value };
    if (typeof arg.value !== 'number') return undefined;
    if (n.operator === '-') return { value: -arg.value };
    if (n.operator === '+') return { value: arg.value };
    if (n.operator === '~') return { value: ~arg.value };
    return undefined;
  }
  if (n.type === 'BinaryExpression' && FOLDABLE_BINARY[n.operator]) {
    const l = foldConstant(n.left);
    const r = foldConstant(n.right);
    if (l && r && typeof l.value === 'number' && typeof r.value === 'number') {
      return { value: FOLDABLE_BINARY[n.operator]!(l.value, r.value) };
    }
  }
  return undefined;
}
