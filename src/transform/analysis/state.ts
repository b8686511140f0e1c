/**
 * Chooses the variables each control-flow statement threads through its runtime operator, as
 * TensorFlow's AutoGraph does: modified in the statement and live on entry or on exit. Variables
 * declared inside the statement are its own; composite names (`a.b`) count when their base is live.
 * Names among them that are not defined on entry are recorded too: staging must initialize them.
 */
import { bindingNames, type Node, visitInFunction } from '../ast.ts';
import { activity } from './activity.ts';
import { buildCfg } from './cfg.ts';
import { liveness } from './liveness.ts';
import { reachingDefinitions } from './reaching-definitions.ts';
import { freeVariables } from './scopes.ts';

const CONTROL_FLOW = new Set([
  'IfStatement',
  'WhileStatement',
  'DoWhileStatement',
  'ForStatement',
  'ForOfStatement',
  'ForInStatement',
]);

/** `temporaries`: the converter's own short-lived variables, never state. */
export function annotateState(fn: Node, temporaries: ReadonlySet<string> = new Set()): void {
  const cfg = buildCfg(fn.body);
  const live = liveness(cfg);
  const defined = reachingDefinitions(
    cfg,
    fn.params.flatMap((p: Node) => bindingNames(p)),
  );
  const fromOutside = freeVariables(fn);
  visitInFunction(fn.body, (s) => {
    if (!CONTROL_FLOW.has(s.type) || s.stateNames) return; // set by the converter that made it
    const liveNames = new Set([...live.liveIn(s), ...live.liveOut(s)]);
    // a for loop's head declarations live outside the converted loop (they are emitted before it)
    const region =
      s.type === 'ForStatement' ? { type: 'LoopParts', test: s.test, update: s.update, body: s.body } : s;
    const outer = freeVariables(region);
    const names = [...activity(region).modified]
      .filter((name) => {
        const base = name.split(/[.[]/)[0]!;
        if (temporaries.has(base)) return false;
        return (outer.has(base) || base === 'this') && (liveNames.has(name) || liveNames.has(base));
      })
      .sort();
    s.stateNames = names;
    const definedOnEntry = defined.definedOnEntry(s);
    s.undefinedOnEntry = names.filter(
      (n) => /^[\w$]+$/.test(n) && !definedOnEntry.has(n) && !fromOutside.has(n),
    );
  });
}
