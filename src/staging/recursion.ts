/**
 * Recursion while tracing. Recursion decided by JS values (a tree of arrays, a JS depth) unrolls into
 * the graph, as any JS control flow does. Recursion decided by a tensor never reaches its base case
 * while tracing: the staged `if` traces both branches, so each level traces the next one inside a
 * new region. That pattern (a function re-entered ever deeper inside staged control flow) is caught
 * here with a clear error, long before the JS stack overflows.
 */
import { StagingError } from '../errors.ts';
import type { Trace } from './trace.ts';
import { userLocation } from './trace.ts';

/**
 * Consecutive levels at which a function re-entered itself inside newly opened staged control flow.
 * A simple recursive function overflows Node's default stack at about 440 traced levels (a trace that
 * overflows anyway is a StagingError too: trace-function.ts); recursion that JS values end (a list
 * walked with a tensor test at each node) stays well within the limit in real code.
 */
export const STAGED_RECURSION_LIMIT = 200;

interface Activation {
  fn: Function;
  /** Regions open when the call began. */
  depth: number;
  /** How many consecutive self-calls, ending with this one, each began inside a deeper region. */
  deepening: number;
}

const activations = new WeakMap<Trace, Activation[]>();

/** Runs `call` (the graph twin of `fn`, traced by `trace`) keeping count of staged self-calls. */
export function tracedCall<T>(trace: Trace, fn: Function, name: string, call: () => T): T {
  let stack = activations.get(trace);
  if (!stack) activations.set(trace, (stack = []));
  const depth = trace.depth;
  const previous = stack.findLast((a) => a.fn === fn);
  const deepening = previous && depth > previous.depth ? previous.deepening + 1 : 0;
  if (deepening >= STAGED_RECURSION_LIMIT)
    throw new StagingError(
      `${userLocation(trace)}'${name}' calls itself ${STAGED_RECURSION_LIMIT} levels deep inside staged control flow: ` +
        'its recursion is decided by a tensor, and tracing follows both branches of a staged if, so it never reaches a base case. ' +
        'Staged recursion is not supported yet: decide the recursion with JS values (a JS depth, a tree of arrays), or write it as a loop over the tensor condition',
    );
  stack.push({ fn, depth, deepening });
  try {
    return call();
  } finally {
    stack.pop();
  }
}
