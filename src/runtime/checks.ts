/**
 * `throw`, `try` and `console.assert` in converted code. In graph form, a thrown value is marked with
 * its `throw`'s location, so that staged control flow can tell the user's throws from failures of
 * its own (see staging/checks.ts); try blocks with a catch are tracked, as a throw staged inside one
 * cannot be caught when the graph runs.
 */
import { markThrown } from '../staging/checks.ts';
import { stagedAssert } from '../staging/print.ts';
import { activeRecorder, isSymbolic } from '../staging/recording-backend.ts';
import { truthy } from './operators.ts';

/** `throw e` at `where` (graph form): `throw ag__.raised(e, where)`. */
export const raised = (e: unknown, where: string): unknown => markThrown(e, where);

const checks = () => activeRecorder()?.trace?.checks;

/** The start of a `try` block that has a catch (graph form). */
export function tryEnter(): void {
  checks()?.enterTry();
}

/** The start of its catch clause, with what it caught. */
export function tryCatching(caught: unknown): void {
  checks()?.catching(caught);
}

/** The end of the try statement (in its `finally`). */
export function tryLeave(): void {
  checks()?.leaveTry();
}

/**
 * `console.assert(cond, ...data)`: a tensor condition is read as a condition (an eager tensor's
 * value; while tracing, a symbolic one prints "Assertion failed" when the graph runs and it is false).
 */
export function consoleAssert(where: string, cond: unknown, ...data: unknown[]): void {
  if (isSymbolic(cond)) stagedAssert(cond, data, where);
  else console.assert(truthy(cond, where), ...(data as [string?, ...unknown[]]));
}
