/**
 * Rejects syntax whose meaning a converted function cannot preserve, before any rewriting, so the
 * error points at the user's construct.
 */
import { children, isFunction, type Node, visit } from '../ast.ts';
import type { ConversionContext } from '../context.ts';

const GENERATOR_HINT =
  'generators suspend mid-body, which the converted control flow (closures per block) cannot do; return an array instead, or keep this function unconverted';
const ASYNC_HINT =
  'await suspends mid-body, which the converted control flow (closures per block) cannot do; move the awaits outside the converted function and pass their results in';

export function checkSupported(fn: Node, ctx: ConversionContext): void {
  visit(fn, (n, parent) => {
    const isMethod =
      n.type === 'MethodDefinition' || (n.type === 'Property' && (n.method || n.kind !== 'init'));
    if (isFunction(n) || isMethod) {
      const f = isMethod ? n.value : n;
      if (f.generator) throw ctx.error(n, 'generator functions cannot be converted', GENERATOR_HINT);
      if (f.async) throw ctx.error(n, 'async functions cannot be converted', ASYNC_HINT);
    }
    switch (n.type) {
      case 'YieldExpression':
        throw ctx.error(n, 'generator functions cannot be converted', GENERATOR_HINT);
      case 'AwaitExpression':
        throw ctx.error(n, 'async functions cannot be converted', ASYNC_HINT);
      case 'WithStatement':
        throw ctx.error(
          n,
          "'with' statements cannot be converted",
          'use explicit property access (obj.x) instead',
        );
      case 'MetaProperty':
        if (n.meta.name === 'new')
          throw ctx.error(
            n,
            "'new.target' cannot be converted",
            'converted functions are not constructors; use a class',
          );
        break;
      case 'CallExpression':
        if (n.callee.type === 'Identifier' && n.callee.name === 'eval')
          throw ctx.error(
            n.callee,
            'direct eval cannot be converted',
            'eval runs code that the converter never sees; build the function ahead of time instead',
          );
        break;
      case 'TryStatement':
        if (n.finalizer) checkFinallyJumps(n.finalizer, ctx);
        break;
    }
  });
}

/** Whether an Identifier is a variable reference (not a property name or label). */
export function isReference(n: Node, parent: Node | null): boolean {
  if (!parent) return true;
  if ((parent.type === 'MemberExpression' || parent.type === 'MetaProperty') && parent.property === n)
    return !!parent.computed;
  if (
    (parent.type === 'Property' ||
      parent.type === 'MethodDefinition' ||
      parent.type === 'PropertyDefinition') &&
    parent.key === n
  )
    return !!parent.computed || (parent.type === 'Property' && parent.shorthand && parent.value === n);
  if (
    (parent.type === 'LabeledStatement' ||
      parent.type === 'BreakStatement' ||
      parent.type === 'ContinueStatement') &&
    parent.label === n
  )
    return false;
  if (parent.type === 'ExportSpecifier' || parent.type === 'ImportSpecifier') return false;
  return true;
}

/**
 * A jump out of a `finally` block overrides the pending completion of its `try`; lowering jumps to
 * flags cannot express that override, so such jumps are rejected.
 */
function checkFinallyJumps(finalizer: Node, ctx: ConversionContext): void {
  const inner = new Set<string>();
  const walk = (n: Node, loopDepth: number, switchDepth: number) => {
    if (isFunction(n)) return;
    if (n.type === 'ReturnStatement')
      throw ctx.error(
        n,
        "'return' inside a 'finally' block cannot be converted",
        'a jump out of finally overrides the try block’s own completion; set a variable in finally and return after the try statement',
      );
    if (n.type === 'BreakStatement' || n.type === 'ContinueStatement') {
      const escapes = n.label
        ? !inner.has(n.label.name)
        : n.type === 'BreakStatement'
          ? loopDepth === 0 && switchDepth === 0
          : loopDepth === 0;
      if (escapes) {
        const word = n.type === 'BreakStatement' ? 'break' : 'continue';
        throw ctx.error(
          n,
          `'${word}' inside a 'finally' block cannot be converted`,
          'a jump out of finally overrides the try block’s own completion; set a flag in finally and act on it after the try statement',
        );
      }
    }
    if (n.type === 'LabeledStatement') inner.add(n.label.name);
    const loop = /^(While|DoWhile|For|ForOf|ForIn)Statement$/.test(n.type) ? 1 : 0;
    const sw = n.type === 'SwitchStatement' ? 1 : 0;
    for (const c of children(n)) walk(c, loopDepth + loop, switchDepth + sw);
  };
  walk(finalizer, 0, 0);
}
