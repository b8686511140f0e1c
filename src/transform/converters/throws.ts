/**
 * Graph form: `throw e` → `throw ag__.raised(e, 'file:line:col')`, so that a throw under a tensor
 * condition becomes a staged check (staging/checks.ts); a try statement with a catch is bracketed by
 * `ag__.tryEnter()` / `ag__.tryCatching()` / `ag__.tryLeave()`, since a throw staged inside it could
 * not be caught. `console.assert(...)` → `ag__.consoleAssert('file:line:col', ...)` in both forms.
 */
import { block, exprStmt, id, lit, type Node, rt, visitInFunction } from '../ast.ts';
import type { ConversionContext } from '../context.ts';

export function convertThrow(n: Node, ctx: ConversionContext): Node {
  if (ctx.form !== 'graph' || !n.argument) return n;
  return { ...n, argument: rt('raised', n.argument, lit(ctx.where(n))) };
}

/** Brackets every try statement with a catch in `body` (not in nested functions). */
export function markTryBlocks(body: Node): void {
  visitInFunction(body, (n) => {
    if (n.type !== 'TryStatement' || !n.handler) return;
    n.block.body.unshift(exprStmt(rt('tryEnter')));
    n.handler.param ??= id('ag__caught');
    n.handler.body.body.unshift(
      exprStmt(rt('tryCatching', n.handler.param.type === 'Identifier' ? n.handler.param : id('undefined'))),
    );
    n.finalizer ??= block([]);
    n.finalizer.body.unshift(exprStmt(rt('tryLeave')));
  });
}

export const isConsoleAssert = (c: Node) =>
  c.type === 'MemberExpression' &&
  !c.computed &&
  c.object.type === 'Identifier' &&
  c.object.name === 'console' &&
  c.property.name === 'assert';

export const convertConsoleAssert = (n: Node, ctx: ConversionContext): Node => ({
  ...rt('consoleAssert', lit(ctx.where(n)), ...n.arguments),
  loc: n.loc,
});
