/** Runs the expression-level converters in one bottom-up pass over a function body. */
import { type Node, rewrite, visitInFunction } from '../ast.ts';
import type { FunctionScope } from '../context.ts';
import { convertAssignment, convertUpdate, markDiscardedUpdates } from './assignments.ts';
import { calleeText, iterableText } from './callee-text.ts';
import { convertCall } from './calls.ts';
import { convertConditional } from './conditional-expressions.ts';
import { convertIndexAssignment, convertMemberRead, keyDepths, nativeMembers } from './indexing.ts';
import { convertLogical, convertNot } from './logical-expressions.ts';
import { convertBinary, convertUnaryMinus } from './operators.ts';
import { convertThrow } from './throws.ts';

export function convertExpressions(root: Node, scope: FunctionScope): Node {
  markDiscardedUpdates(root);
  // Callee names are taken from the original tree, before inner calls are rewritten.
  const calleeNames = new Map<Node, string>();
  const inChains = new Set<Node>();
  const native = nativeMembers(root);
  const depths = keyDepths(root);
  visitInFunction(root, (n) => {
    if (n.type === 'ChainExpression') markChainSpine(n.expression, inChains);
    // named like V8 names it in "x is not iterable", from the original expression
    if (n.type === 'ForOfStatement') n.iterableText = iterableText(n.right);
    if (n.type === 'CallExpression' && !inChains.has(n)) calleeNames.set(n, calleeText(n.callee));
  });
  return rewrite(root, (n) => {
    const converted = convertOne(n, scope, calleeNames, native, depths);
    if (converted !== n && !converted.loc) converted.loc = n.loc;
    return converted;
  });
}

/**
 * Calls along an optional chain (`o?.m()`, `o?.a.f()`) stay native: the chain must short-circuit as a
 * whole and keep its receiver.
 */
function markChainSpine(n: Node, out: Set<Node>): void {
  for (
    let x = n;
    x;
    x = x.type === 'CallExpression' ? x.callee : x.type === 'MemberExpression' ? x.object : null
  ) {
    if (x.type === 'CallExpression') out.add(x);
  }
}

function convertOne(
  n: Node,
  scope: FunctionScope,
  calleeNames: Map<Node, string>,
  nativeMembers: Set<Node>,
  depths: Map<Node, number>,
): Node {
  switch (n.type) {
    case 'BinaryExpression':
      return convertBinary(n);
    case 'UnaryExpression':
      return n.operator === '!' ? convertNot(n, scope) : convertUnaryMinus(n);
    case 'LogicalExpression':
      return convertLogical(n);
    case 'ConditionalExpression':
      return convertConditional(n, scope.ctx);
    case 'AssignmentExpression':
      return n.operator === '=' ? convertIndexAssignment(n, scope) : convertAssignment(n, scope);
    case 'MemberExpression':
      return nativeMembers.has(n) ? n : convertMemberRead(n, scope, depths.get(n) ?? 0);
    case 'UpdateExpression':
      return convertUpdate(n, scope);
    case 'CallExpression':
      return calleeNames.has(n) ? convertCall(n, scope, calleeNames.get(n)!) : n;
    case 'ThrowStatement':
      return convertThrow(n, scope.ctx);
    default:
      return n;
  }
}
