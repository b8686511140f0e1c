/**
 * Compound assignments and `++`/`--`. Variables are rewritten in place (`x += y` → `x = ag__.add(x, y)`);
 * members go through runtime helpers that evaluate the object and key once, in JS order.
 */
import { assign, id, lit, member, type Node, RUNTIME, rt, sequence, thunk, visit } from '../ast.ts';
import type { FunctionScope } from '../context.ts';
import { BINARY_OPERATORS } from './operators.ts';

const LOGICAL_ASSIGN: Record<string, [string, string]> = {
  '&&=': ['and_', '&&'],
  '||=': ['or_', '||'],
  '??=': ['nullish', '??'],
};

/** The key of a member expression as a value: `o.p` → `'p'`, `o[k]` → `k`. */
const memberKey = (m: Node): Node => (m.computed ? m.property : lit(m.property.name));
const convertible = (target: Node) =>
  target.type === 'Identifier' ||
  (target.type === 'MemberExpression' &&
    target.property.type !== 'PrivateIdentifier' &&
    target.object.type !== 'Super');

/** `where` goes last to the member helpers, which reject writes into a tensor (see indexing.ts). */
export function convertAssignment(n: Node, scope: FunctionScope): Node {
  if (n.operator === '=' || !convertible(n.left)) return n;
  const arithmetic = BINARY_OPERATORS[n.operator.slice(0, -1)];
  const logical = LOGICAL_ASSIGN[n.operator];
  if (!arithmetic && !logical) return n; // bitwise compound operators keep their JS meaning
  if (n.left.type === 'Identifier') {
    const value = arithmetic
      ? rt(arithmetic, { ...n.left }, n.right)
      : rt(logical![0], { ...n.left }, thunk(n.right));
    return assign(n.left, value);
  }
  const where = lit(scope.ctx.where(n.left));
  return arithmetic
    ? rt(
        'assignMember',
        n.left.object,
        memberKey(n.left),
        member(id(RUNTIME), arithmetic),
        thunk(n.right),
        where,
      )
    : rt('logicalAssignMember', n.left.object, memberKey(n.left), lit(logical![1]), thunk(n.right), where);
}

/** Marks `x++` whose value is discarded (statements, for-updates), which can use the prefix form. */
export function markDiscardedUpdates(root: Node): void {
  const mark = (e: Node | null) => {
    if (!e) return;
    if (e.type === 'UpdateExpression') e.discarded = true;
    if (e.type === 'SequenceExpression') e.expressions.forEach(mark);
  };
  visit(root, (n) => {
    if (n.type === 'ExpressionStatement') mark(n.expression);
    if (n.type === 'ForStatement') mark(n.update);
  });
}

export function convertUpdate(n: Node, scope: FunctionScope): Node {
  if (!convertible(n.argument)) return n;
  const step = n.operator === '++' ? 'inc' : 'dec';
  if (n.argument.type === 'MemberExpression') {
    const m = n.argument;
    const where = lit(scope.ctx.where(m));
    return rt(
      'updateMember',
      m.object,
      memberKey(m),
      lit(n.operator === '++' ? 1 : -1),
      lit(n.prefix),
      where,
    );
  }
  const target = n.argument;
  if (n.prefix || n.discarded) return assign(target, rt(step, { ...target }));
  // Postfix used as a value: (t = ToNumeric(x), x = inc(t), t)
  const t = scope.temp(1);
  return sequence([
    assign(id(t), rt('toNumeric', { ...target })),
    assign({ ...target }, rt(step, id(t))),
    id(t),
  ]);
}
