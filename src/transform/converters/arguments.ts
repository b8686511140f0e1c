/**
 * `arguments` in converted functions. Every non-arrow function that refers to its own `arguments`
 * (directly, or from an arrow function inside it) binds it once at the top of its body,
 * `const ag__arguments = arguments;`, and every such reference reads that binding instead. The
 * closures the converter creates later therefore see the function's `arguments` whatever they are,
 * and the analyses see an ordinary local variable. Runs before any other pass, over the whole
 * function being converted (its nested functions included, each with its own binding).
 *
 * A reference that belongs to no function of the converted tree (an arrow converted on its own)
 * is left as it is: under the loader the twin sits beside the original and shares its enclosing
 * function; `ag.convert` refuses it (see api.ts).
 *
 * Converted code is strict mode, where `arguments` is a copy of the arguments, never an alias of the
 * parameters. A sloppy-mode function with simple parameters has a *mapped* `arguments` (writing a
 * parameter changes `arguments[i]` and back); when the source is not known to be strict, a function
 * that reads `arguments` and writes one of its parameters or an `arguments[…]` element is refused,
 * since its result could depend on that aliasing.
 */
import { declare, id, isFunction, type Node, visitPatternTargets, withLoc } from '../ast.ts';
import type { ConversionContext } from '../context.ts';
import { isReference } from './unsupported.ts';

const SLOPPY_HINT =
  'converted code is strict mode, where `arguments` does not alias the parameters (in sloppy mode writing a parameter changes `arguments[i]` and back); copy what you need first (const args = [...arguments]) or make the code strict (an ES module, or "use strict")';

interface Owner {
  fn: Node;
  refs: { n: Node; parent: Node | null }[];
  /** Names of its parameters when the list is simple (only identifiers): `arguments` may be mapped. */
  simpleParams: Set<string> | null;
  strict: boolean;
  /** The first write that a mapped `arguments` would observe (or that would write a parameter). */
  aliasWrite?: Node;
}

const hasUseStrict = (fn: Node) =>
  fn.body?.type === 'BlockStatement' && fn.body.body.some((s: Node) => s.directive === 'use strict');

/**
 * Rewrites the `arguments` references of `root` and its nested functions (see above). `strict`: the
 * source is known to be strict-mode code (a module, or a function that V8 reports as strict).
 */
export function bindArguments(root: Node, ctx: ConversionContext, strict: boolean): void {
  const owners: Owner[] = [];
  const writeTargets = (n: Node): Node[] => {
    const out: Node[] = [];
    const add = (p: Node) => visitPatternTargets(p, (t) => out.push(t));
    if (n.type === 'AssignmentExpression') add(n.left);
    else if (n.type === 'UpdateExpression') out.push(n.argument);
    else if (
      (n.type === 'ForInStatement' || n.type === 'ForOfStatement') &&
      n.left.type !== 'VariableDeclaration'
    )
      add(n.left);
    else if (n.type === 'VariableDeclarator' && n.init) add(n.id); // `var a = …` may redeclare parameter `a`
    return out;
  };
  /**
   * `inParams`: within the parameter list of the innermost owner, whose `arguments` stays as it is
   * there (default values run in the parameter scope, which the body's binding does not reach).
   */
  const walk = (n: Node, parent: Node | null, stack: Owner[], inParams: boolean) => {
    let inner = stack;
    const owns = isFunction(n) && n.type !== 'ArrowFunctionExpression';
    if (owns) {
      const enclosing = stack[stack.length - 1];
      const owner: Owner = {
        fn: n,
        refs: [],
        simpleParams: n.params.every((p: Node) => p.type === 'Identifier')
          ? new Set(n.params.map((p: Node) => p.name))
          : null,
        strict: strict || (enclosing?.strict ?? false) || hasUseStrict(n),
      };
      owners.push(owner);
      inner = [...stack, owner];
    }
    if (n.type === 'Identifier' && n.name === 'arguments' && !inParams && isReference(n, parent)) {
      const owner = stack[stack.length - 1];
      owner?.refs.push({ n, parent });
    }
    for (const t of writeTargets(n)) {
      for (const owner of stack) {
        if (owner.aliasWrite) continue;
        const writesParam = t.type === 'Identifier' && owner.simpleParams?.has(t.name);
        const writesArguments =
          t.type === 'MemberExpression' && t.object.type === 'Identifier' && t.object.name === 'arguments';
        if (writesParam || (writesArguments && owner === stack[stack.length - 1])) owner.aliasWrite = t;
      }
    }
    for (const key in n) {
      if (key === 'loc') continue;
      const value = n[key];
      const params = owns ? key === 'params' : inParams;
      if (Array.isArray(value)) {
        for (const v of value) if (v && typeof v.type === 'string') walk(v, n, inner, params);
      } else if (value && typeof value.type === 'string') walk(value, n, inner, params);
    }
  };
  walk(root, null, [], false);
  for (const owner of owners) {
    if (owner.refs.length === 0) continue;
    if (!owner.strict && owner.simpleParams && owner.aliasWrite)
      throw ctx.error(
        owner.aliasWrite,
        "a write to a parameter or to 'arguments' in a function that reads 'arguments' cannot be converted unless the code is strict",
        SLOPPY_HINT,
      );
    const name = ctx.namer.fresh('ag__arguments');
    for (const { n, parent } of owner.refs) {
      if (parent?.type === 'Property' && parent.shorthand && parent.value === n) {
        parent.shorthand = false;
        parent.key = { ...id('arguments'), loc: n.loc };
      }
      n.name = name;
      n.sourceName = 'arguments'; // what error messages name (callee-text.ts)
    }
    const body = owner.fn.body.body as Node[];
    const at = body.findIndex((s: Node) => !s.directive);
    const binding = withLoc(declare('const', [[name, id('arguments')]]), owner.refs[0]!.n);
    body.splice(at < 0 ? body.length : at, 0, binding);
  }
}
