/**
 * `if`, `while`, `do…while`, `for(;;)`, `for…of` and `for…in` → runtime operators taking the
 * statement's parts as closures, plus accessors for the variables the statement threads (see
 * analysis/state.ts), so the operator can run it natively or stage it.
 * Runs after jumps are lowered: bodies contain no break/continue/return that would cross a closure.
 */
import {
  arrow,
  asBlock,
  assign,
  block,
  declare,
  exprStmt,
  id,
  isFunction,
  lit,
  type Node,
  rewrite,
  rt,
  thunk,
  visit,
  withLoc,
} from '../ast.ts';
import type { ConversionContext } from '../context.ts';

/** The threaded variables of a statement, attached by the state analysis (empty when it did not run). */
const stateOf = (n: Node): string[] => n.stateNames ?? [];

export function convertControlFlow(fnBody: Node, ctx: ConversionContext): void {
  rewrite(fnBody, (n) => {
    const converted = convertStatement(n, ctx);
    return converted === n ? n : withLoc(converted, n);
  });
}

function convertStatement(n: Node, ctx: ConversionContext): Node {
  switch (n.type) {
    case 'IfStatement':
      return call(
        'if_',
        [n.test, thunk(asBlock(n.consequent)), n.alternate ? thunk(asBlock(n.alternate)) : lit(null)],
        n,
        ctx,
      );
    case 'WhileStatement':
      return call('while_', [thunk(n.test), thunk(asBlock(n.body))], n, ctx);
    case 'DoWhileStatement':
      return call('doWhile', [thunk(asBlock(n.body)), thunk(n.test)], n, ctx);
    case 'ForStatement':
      return convertFor(n, ctx);
    case 'ForOfStatement':
    case 'ForInStatement': {
      const value = id(ctx.namer.fresh(n.type === 'ForOfStatement' ? 'item_' : 'key_'));
      const bind =
        n.left.type === 'VariableDeclaration'
          ? declare(n.left.kind, [[n.left.declarations[0].id, { ...value }]])
          : exprStmt(assign(n.left, { ...value }));
      const body = arrow([value], block([withLoc(bind, n.left), ...asBlock(n.body).body]));
      const extraTest = n.extraTest ? thunk(n.extraTest) : lit(null);
      return call(n.type === 'ForOfStatement' ? 'forOf' : 'forIn', [n.right, body, extraTest], n, ctx);
    }
    default:
      return n;
  }
}

/** `ag__.op(parts..., getState, setState, names, where)` as a statement. */
function call(op: string, parts: Node[], n: Node, ctx: ConversionContext): Node {
  const names = stateOf(n);
  const list = (items: Node[]) => ({ type: 'ArrayExpression', elements: items });
  const getState = names.length ? thunk(list(names.map(id))) : lit(null);
  const values = ctx.namer.fresh('vars_');
  const setState = names.length
    ? arrow([id(values)], assign({ type: 'ArrayPattern', elements: names.map(id) }, id(values)))
    : lit(null);
  return exprStmt(rt(op, ...parts, getState, setState, list(names.map((s) => lit(s))), lit(ctx.where(n))));
}

/**
 * `for (init; test; update) body` → `{ init; ag__.for_(() => test, () => update, () => body, ...) }`.
 * When a closure captures a `let` of the loop head, each iteration gets its own copy, as in JS: the
 * head works on carrier variables and the body re-declares the names from them.
 */
function convertFor(n: Node, ctx: ConversionContext): Node {
  const init = n.init ? (n.init.type === 'VariableDeclaration' ? n.init : exprStmt(n.init)) : null;
  let body = asBlock(n.body);
  const perIteration =
    init?.type === 'VariableDeclaration' && init.kind === 'let' ? capturedHeadNames(n, init) : [];
  if (perIteration.length) {
    const carriers = new Map(perIteration.map((name) => [name, `${name}_iter_`]));
    for (const part of [init, n.test, n.update]) if (part) renameFree(part, carriers, part === init);
    body = block([
      declare(
        'let',
        perIteration.map((name) => [name, id(carriers.get(name)!)]),
      ),
      ...body.body,
      ...perIteration.map((name) => exprStmt(assign(id(carriers.get(name)!), id(name)))),
    ]);
  }
  const loop = call(
    'for_',
    [n.test ? thunk(n.test) : lit(null), n.update ? thunk(n.update) : lit(null), thunk(body)],
    n,
    ctx,
  );
  return block(init ? [init, loop] : [loop]);
}

/** `let` names of a for head that a nested function anywhere in the loop refers to. */
function capturedHeadNames(n: Node, init: Node): string[] {
  const names = new Set<string>(
    init.declarations.flatMap((d: Node) => (d.id.type === 'Identifier' ? [d.id.name] : [])),
  );
  const captured = new Set<string>();
  for (const part of [n.test, n.update, n.body]) {
    if (!part) continue;
    visit(part, (x) => {
      if (!isFunction(x) || x.generated) return;
      visit(x, (y) => void (y.type === 'Identifier' && names.has(y.name) && captured.add(y.name)));
      return false;
    });
  }
  return [...captured];
}

function renameFree(node: Node, names: Map<string, string>, isDeclaration: boolean): void {
  visit(node, (x, parent) => {
    if (x.type !== 'Identifier' || !names.has(x.name)) return;
    if (parent?.type === 'MemberExpression' && parent.property === x && !parent.computed) return;
    if (parent?.type === 'Property' && parent.key === x && !parent.computed && !parent.shorthand) return;
    if (!isDeclaration && parent?.type === 'VariableDeclarator' && parent.id === x) return;
    x.name = names.get(x.name)!;
  });
}
