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
    // a loop carries what it modifies that is live on entry (to an iteration) or exit
    const liveNames = new Set([...live.liveIn(s), ...live.liveOut(s)]);
    // a for loop's head declarations live outside the converted loop (they are emitted before it)
    const region =
      s.type === 'ForStatement' ? { type: 'LoopParts', test: s.test, update: s.update, body: s.body } : s;
    const outer = freeVariables(region);
    const isState = (name: string, names: Set<string>) => {
      const base = name.split(/[.[]/)[0]!;
      if (temporaries.has(base)) return false;
      return (outer.has(base) || base === 'this') && (names.has(name) || names.has(base));
    };
    const modified = [...activity(region).modified];
    if (s.type === 'IfStatement') {
      // An if's outputs are what it modifies that is live after it; what a branch reads that the
      // other modifies is only restored between the branches (TensorFlow's input-only variables).
      const liveOut = live.liveOut(s);
      const branchesIn = new Set(
        [s.consequent, s.alternate].filter(Boolean).flatMap((b: Node) => [...live.liveIn(b)]),
      );
      const outputs = modified.filter((n) => isState(n, liveOut)).sort();
      const inputOnly = modified.filter((n) => !outputs.includes(n) && isState(n, branchesIn)).sort();
      s.stateNames = [...outputs, ...inputOnly];
      s.outputCount = outputs.length;
    } else {
      s.stateNames = modified.filter((n) => isState(n, liveNames)).sort();
    }
    const names: string[] = s.stateNames;
    const definedOnEntry = defined.definedOnEntry(s);
    s.undefinedOnEntry = names.filter(
      (n) => /^[\w$]+$/.test(n) && !definedOnEntry.has(n) && !fromOutside.has(n),
    );
  });
}
