/**
 * `c ? a : b` → `ag__.ifExp(c, () => a, () => b, where)`: both branches stay lazy closures that
 * staging can trace. The eager form keeps the native operator: `ag__.truthy(c, where) ? a : b`.
 */
import { lit, type Node, rt, thunk } from '../ast.ts';
import type { ConversionContext } from '../context.ts';

export function convertConditional(n: Node, ctx: ConversionContext): Node {
  if (ctx.form === 'eager') return { ...n, test: rt('truthy', n.test, lit(ctx.where(n))) };
  return rt('ifExp', n.test, thunk(n.consequent), thunk(n.alternate), lit(ctx.where(n)));
}
