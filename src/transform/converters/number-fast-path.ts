/**
 * Eager form only: a tree of runtime operators runs as plain JS when every operand holds a number —
 * `typeof i === 'number' && typeof n === 'number' ? i % 7 === 3 : ag__.seq(ag__.mod(i, 7), 3)` —
 * so hot numeric loops make no calls. On numbers every operator means exactly the JS operator, so
 * both branches agree. Operands other than constants and local variables (`a[i] * f(x)`) are
 * evaluated once, in JS order, into temporaries that both branches read.
 */
import { binary, isFunction, lit, type Node, RUNTIME, typeofIs } from '../ast.ts';
import { type FunctionScope, isConstant } from '../context.ts';

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
  const walk = (n: Node, depth: number) => {
    for (const key in n) {
      if (key === 'loc') continue;
      const value = n[key];
      if (Array.isArray(value))
        value.forEach((c, i) => c && typeof c.type === 'string' && (value[i] = visit(c, depth)));
      else if (value && typeof value.type === 'string') n[key] = visit(value, depth);
    }
  };
  const visit = (n: Node, depth: number): Node => {
    if (isFunction(n)) return n;
    if (!opOf(n)) {
      walk(n, depth);
      return n;
    }
    if (!operandsFirst(n, scope)) {
      // each operand its own tree, whose value this one's temporaries hold
      n.arguments = n.arguments.map((a: Node) => visit(a, depth + 1));
      return fastPath(n, n.arguments, scope, depth);
    }
    const leaves: Node[] = [];
    collectLeaves(n, leaves);
    // a leaf's own operator trees run while this tree's temporaries hold values: they get deeper ones
    for (const leaf of leaves) if (!isSimple(leaf, scope)) walk(leaf, depth + 1);
    return fastPath(n, leaves, scope, depth);
  };
  walk(root, 0);
}

/** The runtime operator `n` calls, if it is one of those with a plain-number meaning. */
function opOf(n: Node): string | undefined {
  if (n.type !== 'CallExpression' || n.callee.type !== 'MemberExpression') return undefined;
  const { object, property } = n.callee;
  if (object.type !== 'Identifier' || object.name !== RUNTIME) return undefined;
  return property.name in BINARY || UNARY.has(property.name) ? property.name : undefined;
}

/** Whether `n` is a constant or a local variable (its own operator trees need no deeper temporaries). */
const isSimple = (n: Node, scope: FunctionScope) => isConstant(n) || scope.isLocal(n);

/**
 * Whether every operand that must be evaluated ahead (see `fastPath`) comes before the tree's first
 * operator in JS order: an operator on objects runs their `valueOf`, which must not move after a
 * later operand (`a * b + f()` runs `*` before `f`).
 */
function operandsFirst(n: Node, scope: FunctionScope): boolean {
  let applied = false;
  let ordered = true;
  const scan = (x: Node) => {
    if (opOf(x)) {
      x.arguments.forEach(scan);
      applied = true;
    } else if (applied && !isSimple(x, scope)) ordered = false;
  };
  scan(n);
  return ordered;
}

/** The operands of an operator tree that are not operators themselves, in evaluation order. */
function collectLeaves(n: Node, leaves: Node[]): void {
  if (opOf(n)) for (const a of n.arguments) collectLeaves(a, leaves);
  else leaves.push(n);
}

function native(n: Node, value: (leaf: Node) => Node): Node {
  const op = opOf(n);
  if (!op) return value(n);
  const [a, b] = n.arguments.map((x: Node) => native(x, value));
  if (op === 'neg') return { type: 'UnaryExpression', operator: '-', prefix: true, argument: a };
  if (op === 'inc' || op === 'dec') return binary(op === 'inc' ? '+' : '-', a, lit(1));
  return binary(BINARY[op]!, a, b);
}

/** Other operands (a call, an element read) are evaluated once, in order (see `inOrder`). */
function fastPath(tree: Node, leaves: Node[], scope: FunctionScope, depth: number): Node {
  const { stores, values } = scope.inOrder(leaves, (i) =>
    scope.namedTemp(`number:${depth}:${i}`, `num${depth}_${i}_`),
  );
  const valueOf = new Map(leaves.map((leaf, i) => [leaf, values[i]!]));
  const value = (leaf: Node): Node => ({ ...valueOf.get(leaf)! });
  // each variable (or `this`) checked once
  const checked = new Map<string, Node>();
  for (const v of values) if (!isConstant(v)) checked.set(v.type === 'Identifier' ? v.name : v.type, v);
  if (checked.size === 0) return native(tree, value);
  const checks: Node[] = [...checked.values()].map((v) => typeofIs({ ...v }, 'number'));
  const test = checks.reduce(
    (acc: Node, c: Node): Node => ({ type: 'LogicalExpression', operator: '&&', left: acc, right: c }),
  );
  const choice: Node = {
    type: 'ConditionalExpression',
    test,
    consequent: native(tree, value),
    alternate: stores.length ? withLeaves(tree, value) : tree,
    loc: tree.loc,
    nativeFastPath: true,
  };
  return stores.length
    ? { type: 'SequenceExpression', expressions: [...stores, choice], loc: tree.loc }
    : choice;
}

/** The operator tree with its operands replaced by `value(operand)`. */
function withLeaves(n: Node, value: (leaf: Node) => Node): Node {
  if (!opOf(n)) return value(n);
  return { ...n, arguments: n.arguments.map((a: Node) => withLeaves(a, value)) };
}
