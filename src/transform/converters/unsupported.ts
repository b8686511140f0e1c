/**
 * Rejects syntax whose meaning a converted function cannot preserve, before any rewriting, so the
 * error points at the user's construct.
 */
import { children, isFunction, type Node, visit } from '../ast.ts';
import type { ConversionContext } from '../context.ts';

const GENERATOR_HINT =
  'generators suspend mid-body, which the converted control flow (closures per block) cannot do; return an array instead, or keep this function unconverted';
const ASYNC_HINT =
  'staged code cannot await: the graph form runs each block as a closure and traces it once, so it cannot suspend mid-body; the eager form (ag.convert(f), the default) converts async functions, or await outside the staged function and pass the results in';
const AWAIT_HINT =
  'this operand is evaluated lazily, inside a closure that the eager form creates (for a tensor condition it decides at run time whether to evaluate it), and a closure cannot await for its function; await into a variable first (const v = await p;) and use the variable';

export function checkSupported(fn: Node, ctx: ConversionContext): void {
  visit(fn, (n, parent) => {
    const isMethod =
      n.type === 'MethodDefinition' || (n.type === 'Property' && (n.method || n.kind !== 'init'));
    if (isFunction(n) || isMethod) {
      const f = isMethod ? n.value : n;
      if (f.generator) throw ctx.error(n, 'generator functions cannot be converted', GENERATOR_HINT);
      if (f.async && ctx.form === 'graph')
        throw ctx.error(n, 'async functions cannot be converted to the graph form', ASYNC_HINT);
    }
    switch (n.type) {
      case 'YieldExpression':
        throw ctx.error(n, 'generator functions cannot be converted', GENERATOR_HINT);
      case 'AwaitExpression':
        if (ctx.form === 'graph')
          throw ctx.error(n, 'async functions cannot be converted to the graph form', ASYNC_HINT);
        break;
      case 'WithStatement':
        throw ctx.error(
          n,
          "'with' statements cannot be converted",
          'use explicit property access (obj.x) instead',
        );
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

/**
 * The eager form keeps `async` functions: statements stay native, so an `await` stays where it was,
 * unless a pass moved it into a closure of its own (the lazy operand of `&&`, `||`, `??`, a later
 * `case` test), where it would no longer await for its function. Run on the converted function: every
 * `await` (and `for await`) must still sit directly in an async function.
 */
export function checkAwaitPlacement(fn: Node, ctx: ConversionContext): void {
  const walk = (n: Node, inAsync: boolean) => {
    if ((n.type === 'AwaitExpression' || (n.type === 'ForOfStatement' && n.await)) && !inAsync)
      throw ctx.error(
        n,
        n.type === 'AwaitExpression'
          ? "'await' in an operand that the eager form evaluates in a closure cannot be converted"
          : "'for await' in a closure that the eager form creates cannot be converted",
        AWAIT_HINT,
      );
    const inner = isFunction(n) ? !!n.async : inAsync;
    for (const c of children(n)) walk(c, inner);
  };
  walk(fn, false);
}

/** Whether an Identifier is a variable reference (not a property name or label). */
export function isReference(n: Node, parent: Node | null): boolean {
  if (!parent) return true;
  if (parent.type === 'MetaProperty') return false; // `new.target`, `import.meta`
  if (parent.type === 'MemberExpression' && parent.property === n) return !!parent.computed;
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
