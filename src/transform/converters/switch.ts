/**
 * `switch` → a labelled block of `if`s. The discriminant is evaluated once, the case tests in order
 * with `===` until one matches (lazily, as JS does), giving the index of the entry case (the default's
 * index, or past the end, when none matches); case k then runs when `entry <= k`, which is
 * fall-through. `break` that targets the switch becomes `break <label>`, lowered later with the
 * other jumps.
 */
import {
  block,
  children,
  declare,
  id,
  isFunction,
  isLoop,
  lit,
  type Node,
  rewrite,
  rt,
  template,
  thunk,
  visit,
  withLoc,
} from '../ast.ts';
import type { ConversionContext } from '../context.ts';
import { isReference } from './unsupported.ts';

export function lowerSwitches(fnBody: Node, ctx: ConversionContext): void {
  rewrite(fnBody, (n) => (n.type === 'SwitchStatement' ? withLoc(lowerSwitch(n, ctx), n) : n));
}

function lowerSwitch(n: Node, ctx: ConversionContext): Node {
  const label = ctx.namer.fresh('switch_');
  const value = ctx.namer.fresh('switchValue_');
  const entry = ctx.namer.fresh('switchEntry_');
  retargetBreaks(n, label);
  checkCaseScoping(n, ctx);

  const defaultIndex = n.cases.findIndex((c: Node) => c.test === null);
  let entryIndex: Node = lit(defaultIndex >= 0 ? defaultIndex : n.cases.length);
  for (let k = n.cases.length - 1; k >= 0; k--) {
    const test = n.cases[k].test;
    if (test === null) continue;
    entryIndex = withLoc(
      rt('ifExp', rt('seq', id(value), test), thunk(lit(k)), thunk(entryIndex), lit(ctx.where(test))),
      test,
    );
  }
  const body: Node[] = [declare('const', [[value, n.discriminant]]), declare('const', [[entry, entryIndex]])];
  n.cases.forEach((c: Node, k: number) => {
    if (c.consequent.length === 0) return;
    const [guarded] = template('if (COND) BODY', {
      COND: rt('le', id(entry), lit(k)),
      BODY: block(c.consequent),
    });
    body.push(withLoc(guarded, c));
  });
  return { type: 'LabeledStatement', label: id(label), body: block(body) };
}

/** Unlabelled `break`s whose innermost target is this switch get its label. */
function retargetBreaks(sw: Node, label: string): void {
  const walk = (n: Node) => {
    if (isFunction(n) || (n !== sw && (isLoop(n) || n.type === 'SwitchStatement'))) {
      // breaks inside belong to the inner statement; `continue` never targets a switch
      return;
    }
    if (n.type === 'BreakStatement' && !n.label) n.label = id(label);
    children(n).forEach(walk);
  };
  walk(sw);
}

/** Each case becomes its own block, so a `let`/`const`/class of one case must not be used by another. */
function checkCaseScoping(sw: Node, ctx: ConversionContext): void {
  const owner = new Map<string, number>();
  sw.cases.forEach((c: Node, k: number) => {
    for (const s of c.consequent) {
      if (s.type === 'VariableDeclaration')
        for (const d of s.declarations)
          visit(d.id, (x) => void (x.type === 'Identifier' && owner.set(x.name, k)));
      if ((s.type === 'FunctionDeclaration' || s.type === 'ClassDeclaration') && s.id)
        owner.set(s.id.name, k);
    }
  });
  if (owner.size === 0) return;
  sw.cases.forEach((c: Node, k: number) => {
    for (const s of c.consequent) {
      visit(s, (x, parent) => {
        if (
          x.type === 'Identifier' &&
          owner.has(x.name) &&
          owner.get(x.name) !== k &&
          isReference(x, parent)
        ) {
          throw ctx.error(
            x,
            `'${x.name}' is declared in one switch case and used in another`,
            `declare '${x.name}' before the switch, or wrap each case body in braces`,
          );
        }
      });
    }
  });
}
