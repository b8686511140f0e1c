/**
 * `new.target` stays as it is in converted code. The closures the converter creates are arrows,
 * which see the `new.target` of their function, and converted code calls twins as functions (a
 * `new F()` in converted code constructs the original `F`), so inside a twin `new.target` is
 * `undefined` exactly when it is in the original called as a function.
 *
 * The one call that would differ is `new` on the converted function itself (`new (ag.convert(F))()`):
 * `new.target` would be the converted copy, not `F`, and the instance would not inherit from
 * `F.prototype`. A converted function that reads its own `new.target` therefore throws a TypeError
 * when constructed, instead of running with a `new.target` the original never sees.
 */
import { isFunction, type Node, RUNTIME, template, visit, withLoc } from '../ast.ts';

const isNewTarget = (n: Node) =>
  n.type === 'MetaProperty' && n.meta.name === 'new' && n.property.name === 'target';

/** The first `new.target` of `fn`'s own (from its body or arrows in it; not from nested functions). */
function findOwnNewTarget(fn: Node): Node | undefined {
  let found: Node | undefined;
  visit(fn, (n) => {
    if (found) return false;
    if (n !== fn && isFunction(n) && n.type !== 'ArrowFunctionExpression') return false;
    if (isNewTarget(n)) found = n;
  });
  return found;
}

/**
 * Makes the converted function `fn` (the root of a conversion, after its passes) throw when it is
 * constructed, if it reads its own `new.target` (see above).
 */
export function refuseConstruction(fn: Node): void {
  if (fn.type === 'ArrowFunctionExpression' || !findOwnNewTarget(fn)) return;
  const name = JSON.stringify(fn.id?.name ?? 'anonymous');
  // a template function: `new.target` outside one does not parse
  const [holder] = template(
    `function f() { if (new.target !== undefined) throw ${RUNTIME}.constructedTwin(${name}); }`,
  );
  const guard = withLoc(holder!.body.body[0], fn.body);
  const body = fn.body.body as Node[];
  const at = body.findIndex((s: Node) => !s.directive);
  body.splice(at < 0 ? body.length : at, 0, guard);
}
