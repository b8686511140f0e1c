/**
 * `return` anywhere. First, as TensorFlow's AutoGraph does, when one branch of an `if` always exits,
 * the statements after the `if` move into the other branch, so both branches define the result.
 * Then, if a `return` remains below the top level, the body is wrapped in a labelled block,
 * `return v` becomes `retval = v; break <label>`, and the function ends with `return retval`; the
 * break is lowered with the other jumps.
 */
import {
  assign,
  block,
  declare,
  exprStmt,
  id,
  type Node,
  template,
  visitInFunction,
  withLoc,
} from '../ast.ts';
import type { ConversionContext } from '../context.ts';
import { liftDeclarations } from './tails.ts';

export function lowerReturns(fnBody: Node, ctx: ConversionContext): void {
  moveTailsIntoBranches(fnBody.body);
  if (!hasNestedReturn(fnBody)) return;
  const label = ctx.namer.fresh('return_');
  const retval = ctx.namer.fresh('retval_');
  visitInFunction(fnBody, (n) => {
    if (n.type !== 'ReturnStatement') return;
    const value = n.argument ?? id('undefined');
    const replacement = withLoc(
      block([exprStmt(assign(id(retval), value)), { type: 'BreakStatement', label: id(label) }]),
      n,
    );
    Object.keys(n).forEach((k) => delete n[k]);
    Object.assign(n, replacement);
    return false;
  });
  const directives = fnBody.body.filter((s: Node) => s.directive);
  const code = fnBody.body.filter((s: Node) => !s.directive);
  const [labelled] = template('LABEL: BODY', { LABEL: label, BODY: block(code) });
  labelled.isReturnTarget = true;
  fnBody.returnValueName = retval; // staging treats it as meaningful only once the return flag is set
  fnBody.body = [
    ...directives,
    declare('let', [[retval, null]]),
    labelled,
    ...template('return RETVAL;', { RETVAL: retval }),
  ];
}

const exits = (s: Node | null): boolean =>
  !!s &&
  (s.type === 'ReturnStatement' ||
    s.type === 'ThrowStatement' ||
    (s.type === 'BlockStatement' && s.body.some(exits)) ||
    (s.type === 'IfStatement' && exits(s.consequent) && exits(s.alternate)));

function moveTailsIntoBranches(list: Node[]): void {
  for (let i = 0; i < list.length; i++) {
    const s = list[i];
    forEachNestedList(s, moveTailsIntoBranches);
    if (s.type !== 'IfStatement' || i === list.length - 1) continue;
    const thenExits = exits(s.consequent);
    const elseExits = exits(s.alternate);
    if (thenExits === elseExits) continue;
    const tail = list.splice(i + 1);
    list.splice(i, 0, ...liftDeclarations(list.slice(0, i + 1), tail));
    const branch = thenExits ? 'alternate' : 'consequent';
    const existing = s[branch] ? [s[branch]] : [];
    s[branch] = block([...existing, ...tail]);
    moveTailsIntoBranches(s[branch].body);
    return;
  }
}

/** Calls `fn` on each statement list directly inside `s` (not inside nested functions). */
function forEachNestedList(s: Node, fn: (list: Node[]) => void): void {
  switch (s.type) {
    case 'BlockStatement':
      fn(s.body);
      break;
    case 'IfStatement':
      forEachNestedList(s.consequent, fn);
      if (s.alternate) forEachNestedList(s.alternate, fn);
      break;
    case 'LabeledStatement':
    case 'WhileStatement':
    case 'DoWhileStatement':
    case 'ForStatement':
    case 'ForOfStatement':
    case 'ForInStatement':
      forEachNestedList(s.body, fn);
      break;
    case 'TryStatement':
      fn(s.block.body);
      if (s.handler) fn(s.handler.body.body);
      if (s.finalizer) fn(s.finalizer.body);
      break;
  }
}

function hasNestedReturn(fnBody: Node): boolean {
  let nested = false;
  visitInFunction(fnBody, (n, parent) => {
    if (n.type === 'ReturnStatement' && parent !== fnBody) nested = true;
  });
  return nested;
}
