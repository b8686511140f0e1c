/**
 * Eager form only: a tree of runtime operators whose leaves are the function's own variables and
 * number literals runs as plain JS when every variable holds a number —
 * `typeof i === 'number' && typeof n === 'number' ? i % 7 === 3 : ag__.seq(ag__.mod(i, 7), 3)` —
 * so hot numeric loops make no calls. On numbers every operator means exactly the JS operator, so
 * both branches agree; reading a local variable twice is unobservable.
 */
import { isFunction, lit, type Node, RUNTIME } from '../ast.ts';
import type { FunctionScope } from '../context.ts';

const BINARY: Record<string, string> = {
  add: '+',
  sub: '-',
  mul: '*',
  div: '/',
  mod: '%',
  pow: '**',
  lt: '<',
  le: '<=',
  gt: '>',
  ge: '>=',
  eq: '==',
  ne: '!=',
  seq: '===',
  sne: '!==',
};
const UNARY = new Set(['neg', 'inc', 'dec']);

export function inlineNumberPaths(root: Node, scope: FunctionScope): void {
  const walk = (n: Node) => {
    for (const key in n) {
      if (key === 'loc') continue;
      const value = n[key];
      if (Array.isArray(value))
        value.forEach((c, i) => c && typeof c.type === 'string' && (value[i] = visit(c)));
      else if (value && typeof value.type === 'string') n[key] = visit(value);
    }
  };
  const visit = (n: Node): Node => {
    if (isFunction(n)) return n;
    const leaves: Node[] = [];
    if (opOf(n) && isNumberTree(n, scope, leaves)) return fastPath(n, leaves);
    walk(n);
    return n;
  };
  walk(root);
}

/** The runtime operator `n` calls, if it is one of those with a plain-number meaning. */
function opOf(n: Node): string | undefined {
  if (n.type !== 'CallExpression' || n.callee.type !== 'MemberExpression') return undefined;
  const { object, property } = n.callee;
  if (object.type !== 'Identifier' || object.name !== RUNTIME) return undefined;
  return property.name in BINARY || UNARY.has(property.name) ? property.name : undefined;
}

const isNumberLiteral = (n: Node) => n.type === 'Literal' && typeof n.value === 'number';

function isNumberTree(n: Node, scope: FunctionScope, leaves: Node[]): boolean {
  if (opOf(n)) return n.arguments.every((a: Node) => isNumberTree(a, scope, leaves));
  if (isNumberLiteral(n)) return true;
  if (!scope.isLocal(n)) return false;
  leaves.push(n);
  return true;
}

function native(n: Node): Node {
  const op = opOf(n);
  if (!op) return { ...n };
  const [a, b] = n.arguments.map(native);
  if (op === 'neg') return { type: 'UnaryExpression', operator: '-', prefix: true, argument: a };
  if (op === 'inc' || op === 'dec')
    return { type: 'BinaryExpression', operator: op === 'inc' ? '+' : '-', left: a, right: lit(1) };
  return { type: 'BinaryExpression', operator: BINARY[op], left: a, right: b };
}

function fastPath(tree: Node, leaves: Node[]): Node {
  const names = [...new Set(leaves.map((l) => l.name as string))];
  if (names.length === 0) return native(tree);
  const checks: Node[] = names.map((name) => ({
    type: 'BinaryExpression',
    operator: '===',
    left: {
      type: 'UnaryExpression',
      operator: 'typeof',
      prefix: true,
      argument: { type: 'Identifier', name },
    },
    right: lit('number'),
  }));
  const test = checks.reduce(
    (acc: Node, c: Node): Node => ({ type: 'LogicalExpression', operator: '&&', left: acc, right: c }),
  );
  return {
    type: 'ConditionalExpression',
    test,
    consequent: native(tree),
    alternate: tree,
    loc: tree.loc,
    numberFastPath: true,
  };
}
