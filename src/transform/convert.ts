/**
 * Converts one function node: checks for unsupported syntax, converts nested functions first, then
 * runs the passes over the function's own body, in TensorFlow AutoGraph's order (expressions are
 * converted first here, so every later pass emits already-converted expressions). The eager form
 * keeps statements native and only routes conditions through the runtime (see `Form`).
 */

import { freeVariables } from './analysis/scopes.ts';
import { localFunctionNames } from './analysis/local-functions.ts';
import { annotateState } from './analysis/state.ts';
import { block, declare, isFunction, type Node, template, visit } from './ast.ts';
import { type ConversionContext, FunctionScope } from './context.ts';
import { lowerBreakContinue } from './converters/break-continue.ts';
import { convertControlFlow, dispatchConditions } from './converters/control-flow.ts';
import { convertExpressions } from './converters/expressions.ts';
import { inlineNumberPaths } from './converters/number-fast-path.ts';
import { convertListMutations } from './converters/lists.ts';
import { convertParameterDefaults } from './converters/parameters.ts';
import { refuseConstruction } from './converters/new-target.ts';
import { lowerReturns } from './converters/returns.ts';
import { lowerSwitches } from './converters/switch.ts';
import { bindArguments } from './converters/arguments.ts';
import { checkAwaitPlacement, checkSupported } from './converters/unsupported.ts';
import { markTryBlocks } from './converters/throws.ts';
import { hoistVars } from './converters/variables.ts';

/** Converts `fn` (a function node) in place. */
export function convertFunction(fn: Node, ctx: ConversionContext): void {
  checkSupported(fn, ctx);
  if (ctx.form === 'eager') ctx.directCallees = localFunctionNames(fn);
  bindArguments(fn, ctx, ctx.strict);
  convertNested(fn, ctx);
  if (ctx.form === 'eager') checkAwaitPlacement(fn, ctx);
  refuseConstruction(fn);
}

function convertNested(fn: Node, ctx: ConversionContext): void {
  // functions in parameter defaults too (`g = () => …`)
  for (const part of [...fn.params, fn.body])
    visit(part, (n) => {
      if (!isFunction(n)) return;
      convertNested(n, ctx);
      return false;
    });
  convertBody(fn, ctx);
}

function convertBody(fn: Node, ctx: ConversionContext): void {
  if (fn.body.type !== 'BlockStatement') {
    fn.body = block(template('return VALUE;', { VALUE: fn.body }));
    fn.expression = false;
  }
  const scope = new FunctionScope(ctx, freeVariables(fn));
  convertParameterDefaults(fn, scope);
  const body = fn.body;
  if (ctx.form === 'eager') {
    convertExpressions(body, scope);
    lowerSwitches(body, ctx);
    inlineNumberPaths(body, scope);
    dispatchConditions(body, ctx);
  } else {
    hoistVars(body);
    convertListMutations(body, scope);
    convertExpressions(body, scope);
    lowerSwitches(body, ctx);
    lowerReturns(body, ctx);
    lowerBreakContinue(body, ctx);
    markTryBlocks(body);
    annotateState(fn, new Set(scope.temps));
    convertControlFlow(body, ctx);
  }
  if (scope.temps.length) {
    const at = body.body.findIndex((s: Node) => !s.directive);
    body.body.splice(
      at < 0 ? body.body.length : at,
      0,
      declare(
        'let',
        scope.temps.map((t) => [t, null]),
      ),
    );
  }
}
