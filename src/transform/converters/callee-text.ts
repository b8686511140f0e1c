/**
 * V8 words "x is not a function" and "x is not iterable" with its CallPrinter, which prints the
 * callee expression in its own way (n-ary chains flattened, constants folded, some forms as
 * "(intermediate value)"). Converted code raises these errors itself, so it renders the original
 * callee the same way.
 */
import type { Node } from '../ast.ts';

/** How V8 names a callee in "x is not a function", so converted code throws the same message. */
/** `callSuffix`: how a call inside the expression prints (V8 drops the `(...)` in "not iterable" errors). */
export function calleeText(n: Node, callSuffix = '(...)'): string {
  const text = (x: Node) => calleeText(x, callSuffix);
  const folded = foldConstant(n);
  if (folded) return typeof folded.value === 'string' ? JSON.stringify(folded.value) : String(folded.value);
  switch (n.type) {
    case 'Identifier':
      return n.sourceName ?? n.name;
    case 'ThisExpression':
      return 'this';
    case 'Super':
      return 'super';
    case 'Literal':
      return typeof n.value === 'string' ? JSON.stringify(n.value) : String(n.value);
    case 'MemberExpression': {
      const object = text(n.object);
      const dot = n.optional ? '?.' : '.';
      if (!n.computed)
        return `${object}${dot}${n.property.type === 'PrivateIdentifier' ? '#' : ''}${n.property.name}`;
      const p = n.property;
      if (p.type === 'Literal' && typeof p.value === 'string') return `${object}.${p.value}`; // V8: o.0, o.
      return `${object}${n.optional ? '?.' : ''}[${text(p)}]`;
    }
    case 'CallExpression':
      return `${text(n.callee)}${callSuffix}`;
    case 'BinaryExpression':
    case 'LogicalExpression':
      if (n.operator === '!=' || n.operator === '!==') {
        return `(!(${text(n.left)} ${n.operator === '!=' ? '==' : '==='} ${text(n.right)}))`;
      }
      return `(${naryOperands(n, n.operator).map(text).join(` ${n.operator} `)})`;
    case 'SequenceExpression':
      return `(${n.expressions.map(text).join(' , ')})`;
    case 'UnaryExpression':
      if (n.operator === '-' && n.argument.type === 'Literal' && typeof n.argument.value === 'number') {
        return String(-n.argument.value); // V8 folds a negated literal (and prints -0 as 0)
      }
      return `(${n.operator}${/^[a-z]/.test(n.operator) ? ' ' : ''}${text(n.argument)})`;
    case 'UpdateExpression':
      return n.prefix ? `(${n.operator}${text(n.argument)})` : `(${text(n.argument)}${n.operator})`;
    case 'AssignmentExpression':
      return text(n.left);
    case 'ArrayExpression':
      return `[${n.elements.map((e: Node) => (e ? text(e) : '')).join(',')}]`;
    case 'ObjectExpression':
      return `{${'(intermediate value)'.repeat(n.properties.length)}}`;
    case 'TemplateLiteral':
      return n.expressions.length === 0
        ? JSON.stringify(n.quasis[0].value.cooked)
        : n.expressions.map(text).join('');
    case 'ConditionalExpression':
      return '(intermediate value)'.repeat(3);
    default:
      return '(intermediate value)';
  }
}

const COMPARISONS = new Set(['<', '<=', '>', '>=', '==', '!=', '===', '!==', 'instanceof', 'in']);

/** `a && b && c` parses as `(a && b) && c`; V8 prints such chains as one n-ary operation (not comparisons). */
function naryOperands(n: Node, operator: string): Node[] {
  const left = n.left;
  const sameChain =
    !COMPARISONS.has(operator) &&
    (left.type === 'BinaryExpression' || left.type === 'LogicalExpression') &&
    left.operator === operator;
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

/**
 * How V8 names a non-iterable in "x is not iterable": the callee text, or null where V8 describes the
 * value instead ("number 6 is not iterable (cannot read property Symbol(Symbol.iterator))") — for
 * n-ary chains, conditionals, object literals and logical expressions whose right side is not a literal.
 */
export function iterableText(n: Node): string | null {
  if (foldConstant(n)) return calleeText(n, '');
  if (n.type === 'ConditionalExpression' || n.type === 'ObjectExpression') return null;
  if (n.type === 'LogicalExpression' && n.right.type !== 'Literal') return null;
  if (
    (n.type === 'BinaryExpression' || n.type === 'LogicalExpression') &&
    naryOperands(n, n.operator).length > 2
  )
    return null;
  return calleeText(n, '');
}
