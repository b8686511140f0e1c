/**
 * Parameter default values (`function f(a, b = a * 2)`, destructuring defaults, computed keys of
 * parameter patterns) go through the expression converters like the body does, so that `a * 2` on a
 * tensor is the tensor product and `a > 0 ? x : y` dispatches on a tensor condition. They stay where
 * they are: JS evaluates them left to right, only for an `undefined` argument, in the parameter
 * scope (which cannot see the body's declarations, and where a later parameter is still in its
 * temporal dead zone); moving them into the body would change all of that.
 *
 * The parameter scope has no room for the temporaries some converters need (`(t = o).m(x)`): an
 * expression that needs them runs in an arrow that takes them as parameters, called at once. An arrow
 * keeps `this`, `arguments`, `super` and `new.target` of the function, and a parameter list cannot
 * hold `await` or `yield`, so the wrapping changes nothing else.
 */
import { arrow, id, isFunction, type Node } from '../ast.ts';
import { FunctionScope } from '../context.ts';
import { convertExpressions } from './expressions.ts';

/** Converts the expressions evaluated by `fn`'s parameter list, in place. */
export function convertParameterDefaults(fn: Node, scope: FunctionScope): void {
  for (const p of fn.params) convertPattern(p, scope);
}

function convertPattern(p: Node, scope: FunctionScope): void {
  switch (p?.type) {
    case 'AssignmentPattern':
      convertPattern(p.left, scope);
      p.right = convertEvaluated(p.right, scope);
      break;
    case 'ArrayPattern':
      for (const e of p.elements) convertPattern(e, scope);
      break;
    case 'ObjectPattern':
      for (const prop of p.properties) {
        if (prop.type === 'RestElement') convertPattern(prop.argument, scope);
        else {
          if (prop.computed) prop.key = convertEvaluated(prop.key, scope);
          convertPattern(prop.value, scope);
        }
      }
      break;
    case 'RestElement':
      convertPattern(p.argument, scope);
      break;
  }
}

/** One expression of the parameter list, converted; wrapped in an arrow when it needs temporaries. */
function convertEvaluated(expression: Node, outer: FunctionScope): Node {
  // a function is converted as a nested function; outside it there is nothing to convert
  if (isFunction(expression)) return expression;
  const scope = new FunctionScope(outer.ctx, outer.free);
  const converted = convertExpressions(expression, scope);
  if (scope.temps.length === 0) return converted;
  return {
    type: 'CallExpression',
    callee: arrow(scope.temps.map(id), converted),
    arguments: [],
    optional: false,
    loc: expression.loc,
  };
}
