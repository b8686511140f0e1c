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
  bindingNames,
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
import { RETURN_VALUE } from '../../protocol.ts';
import type { ConversionContext } from '../context.ts';
import { iterableText } from './callee-text.ts';

/** The threaded variables of a statement, attached by the state analysis (empty when it did not run). */
const stateOf = (n: Node): string[] => n.stateNames ?? [];

export function convertControlFlow(fnBody: Node, ctx: ConversionContext): void {
  const returnValue = fnBody.returnValueName;
  rewrite(fnBody, (n) => {
    if (returnValue) n.returnValueName = returnValue;
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
      const body = arrow([value], block([withLoc(bind, n.left), ...bodyAfterBinding(n.body, bind)]));
      const extraTest = n.extraTest ? thunk(n.extraTest) : lit(null);
      const subject =
        n.type === 'ForOfStatement'
          ? [n.right, lit(n.iterableText === undefined ? iterableText(n.right) : n.iterableText)]
          : [n.right];
      return call(n.type === 'ForOfStatement' ? 'forOf' : 'forIn', [...subject, body, extraTest], n, ctx);
    }
    default:
      return n;
  }
}

/**
 * The loop body placed after a binding of the loop variables: nested in its own block when it
 * re-declares one of them, which JS allows because the body is a scope of its own.
 */
function bodyAfterBinding(body: Node, binding: Node): Node[] {
  const bound = new Set(
    binding.type === 'VariableDeclaration'
      ? binding.declarations.flatMap((d: Node) => bindingNames(d.id))
      : [],
  );
  const stmts = asBlock(body).body;
  const redeclares = stmts.some(
    (s: Node) =>
      (s.type === 'VariableDeclaration' &&
        s.declarations.some((d: Node) => bindingNames(d.id).some((x: string) => bound.has(x)))) ||
      ((s.type === 'FunctionDeclaration' || s.type === 'ClassDeclaration') && bound.has(s.id?.name)),
  );
  return redeclares ? [block(stmts)] : stmts;
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
  // The converter's return-value variable is shown (and staged) as RETURN_VALUE, which no identifier can be.
  const shown = names.map((s) => lit(s === n.returnValueName ? RETURN_VALUE : s));
  // an if's state lists its outputs first; the rest are only restored between the branches
  const outputs = op === 'if_' ? [lit(n.outputCount ?? names.length)] : [];
  return exprStmt(rt(op, ...parts, getState, setState, list(shown), ...outputs, lit(ctx.where(n))));
}

/**
 * `for (init; test; update) body` → `{ init; ag__.for_(() => test, () => update, () => body, ...) }`.
 */
function convertFor(n: Node, ctx: ConversionContext): Node {
  const init = n.init ? (n.init.type === 'VariableDeclaration' ? n.init : exprStmt(n.init)) : null;
  const perIteration =
    init?.type === 'VariableDeclaration' && init.kind === 'let' ? capturedHeadNames(n, init) : [];
  const loop = perIteration.length
    ? perIterationLoop(n, perIteration, ctx)
    : [
        call(
          'for_',
          [
            n.test ? thunk(n.test) : lit(null),
            n.update ? thunk(n.update) : lit(null),
            thunk(asBlock(n.body)),
          ],
          n,
          ctx,
        ),
      ];
  return block(init ? [init, ...loop] : loop);
}

/**
 * A closure that captures a `let` of the loop head must see JS's per-iteration copy: iteration k's
 * copy is made before the update that leads into it, and is shared by that update, the test and the
 * body. So each step runs `update` (after the first), `test` and `body` in one closure that
 * re-declares the names from carrier variables and writes them back at its end.
 */
function perIterationLoop(n: Node, names: string[], ctx: ConversionContext): Node[] {
  const carrier = new Map(names.map((name) => [name, ctx.namer.fresh(`${name}Iteration_`)]));
  const first = ctx.namer.fresh('firstIteration_');
  const more = ctx.namer.fresh('iterating_');
  const binding = declare(
    'let',
    names.map((name) => [name, id(carrier.get(name)!)]),
  );
  const setFlag = (flag: string, value: boolean) => thunk(block([exprStmt(assign(id(flag), lit(value)))]));
  const step = block([
    binding,
    ...(n.update
      ? [
          call(
            'if_',
            [
              id(first),
              setFlag(first, false),
              thunk(n.update.type === 'BlockStatement' ? n.update : block([exprStmt(n.update)])),
            ],
            n,
            ctx,
          ),
        ]
      : []),
    call(
      'if_',
      [n.test ?? lit(true), thunk(block(bodyAfterBinding(n.body, binding))), setFlag(more, false)],
      n,
      ctx,
    ),
    ...names.map((name) => exprStmt(assign(id(carrier.get(name)!), id(name)))),
  ]);
  return [
    declare('let', [
      ...names.map((name): [string, Node] => [carrier.get(name)!, id(name)]),
      [first, lit(true)],
      [more, lit(true)],
    ]),
    call('while_', [thunk(id(more)), thunk(step)], n, ctx),
  ];
}

/** `let` names of a for head that one of the user's closures in the loop refers to. */
function capturedHeadNames(n: Node, init: Node): string[] {
  const names = new Set<string>(init.declarations.flatMap((d: Node) => bindingNames(d.id)));
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

/**
 * The eager form keeps every statement native and routes what decides control flow through the
 * runtime: conditions → `ag__.truthy(c, where)` (reads an eager tensor's value), for…of subjects →
 * `ag__.iterate(xs, 'xs')` (a tensor's rows).
 */
export function dispatchConditions(fnBody: Node, ctx: ConversionContext): void {
  rewrite(fnBody, (n) => {
    const where = () => lit(ctx.where(n));
    // a native fast path needs the runtime only on its slow side
    const truthy = (test: Node): Node => {
      if (test.nativeFastPath) return { ...test, alternate: rt('truthy', test.alternate, where()) };
      if (test.type === 'SequenceExpression' && test.expressions.at(-1).nativeFastPath)
        return { ...test, expressions: [...test.expressions.slice(0, -1), truthy(test.expressions.at(-1))] };
      return withLoc(rt('truthy', test, where()), test);
    };
    switch (n.type) {
      case 'IfStatement':
      case 'WhileStatement':
      case 'DoWhileStatement':
        n.test = truthy(n.test);
        break;
      case 'ForStatement':
        if (n.test) n.test = truthy(n.test);
        break;
      case 'ForOfStatement':
        if (n.await) break; // an async iterable: tensors are not one
        n.right = withLoc(
          rt('iterate', n.right, lit(n.iterableText === undefined ? iterableText(n.right) : n.iterableText)),
          n.right,
        );
        break;
    }
    return n;
  });
}
