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

/** Folding, simplification, trip counts, scan outputs, CSE and DCE (see docs/staging.md). */
export function optimize(fn: IRFunction, tf: Tf): void {
  for (const pass of [
    () => foldConstants(fn, tf),
    () => simplify(fn),
    () => inferTripCounts(fn),
    () => introduceScanOutputs(fn),
    () => eliminateCommonSubexpressions(fn),
    () => eliminateDeadCode(fn),
  ]) {
    pass();
    verify(fn);
  }
}
