/** `c ? a : b` → `ag__.ifExp(c, () => a, () => b, where)`: both branches stay lazy. */
import { lit, type Node, rt, thunk } from '../ast.ts';
import type { ConversionContext } from '../context.ts';

export function convertConditional(n: Node, ctx: ConversionContext): Node {
  return rt('ifExp', n.test, thunk(n.consequent), thunk(n.alternate), lit(ctx.where(n)));
}
