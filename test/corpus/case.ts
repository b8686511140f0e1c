/**
 * One function of the differential corpus: `fn` is converted with `ag.convert` (from `fn.toString()`)
 * and both the original and the converted function are called on every entry of `inputs` (each a list of
 * arguments, passed through `structuredClone`); results, thrown errors and console.log output must match.
 *
 * Corpus functions must be self-contained (no free variables except JS globals), deterministic and must
 * terminate on every input.
 */
export interface CorpusCase {
  name: string;
  fn: (...args: any[]) => unknown;
  inputs: unknown[][];
  /** A known defect that makes the case fail (its test passes while it fails, and flags the fix). */
  failing?: string;
}
