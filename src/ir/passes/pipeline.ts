/** The passes `ag.stage` runs on a traced function, in order, each followed by the verifier. */
import type { IRFunction } from '../graph.ts';
import type { Tf } from '../ops/index.ts';
import { verify } from '../verify.ts';
import { eliminateCommonSubexpressions } from './cse.ts';
import { eliminateDeadCode } from './dce.ts';
import { foldConstants } from './fold.ts';
import { introduceScanOutputs } from './scan-outputs.ts';
import { simplify } from './simplify.ts';
import { inferTripCounts } from './trip-count.ts';

/**
 * Folding, simplification, trip counts, scan outputs, CSE and DCE (see docs/staging.md), on `fn` and on
 * each function its calls run.
 */
export function optimize(fn: IRFunction, tf: Tf): void {
  const functions = new Set([fn, ...fn.functions.values()]);
  for (const pass of [
    (f: IRFunction) => foldConstants(f, tf),
    simplify,
    inferTripCounts,
    introduceScanOutputs,
    eliminateCommonSubexpressions,
    eliminateDeadCode,
  ]) {
    for (const f of functions) pass(f);
    verify(fn);
  }
}
