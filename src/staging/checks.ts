/**
 * Staged checks: a `throw` (in converted code) reached while tracing a branch of staged control flow
 * does not stop the trace. The branch is recorded as failing: it sets the trace's failure code (an
 * int32 scalar that staged conds and loops carry like a variable, 0 while nothing failed) to the
 * throw's number. Staged loops stop once it is set. When a run ends with it set, the call rejects
 * with the user's error, of its class and message, located at the `throw`, and writes back no
 * variable. A throw outside any staged branch runs as it does eagerly: every call would throw.
 */
import { StagingError } from '../errors.ts';
import type { Value } from '../ir/graph.ts';
import { tf } from '../runtime/tensors.ts';
import type { Recorder } from './recording-backend.ts';
import type { Trace } from './trace.ts';

/** The `file:line:col` of each value thrown by converted code (`ag__.raised`). */
const thrownAt = new WeakMap<object, string>();

/** Marks `error` as thrown by the user's `throw` at `where`; returns it. */
export function markThrown(error: unknown, where: string): unknown {
  if (typeof error === 'object' && error !== null && !thrownAt.has(error)) thrownAt.set(error, where);
  return error;
}

/** Whether `e` was thrown by a `throw` statement of converted code. */
export const isUserThrow = (e: unknown): boolean => typeof e === 'object' && e !== null && thrownAt.has(e);

/** Exceptions staging uses to unwind a trace (a loop traced again, a statement that always fails). */
const signals: (abstract new (...args: any[]) => Error)[] = [];
export const registerStagingSignal = (cls: abstract new (...args: any[]) => Error) => signals.push(cls);
const isStagingSignal = (e: unknown) => signals.some((cls) => e instanceof cls);

/** Thrown out of a staged statement every path of which fails: the enclosing branch fails too. */
export class AlwaysFails extends Error {
  constructor(readonly first: unknown) {
    super('every path of a staged statement throws');
  }
}
registerStagingSignal(AlwaysFails);

/** A failure the graph can report: the user's error and where it was thrown. */
export interface Check {
  error: unknown;
  where: string;
}

/** The checks of one trace. */
export class StagedChecks {
  readonly checks: Check[] = [];
  /** The failure code, a tensor that `trace.variables` assigns and staged control flow carries. */
  cell: { dataId: object } | undefined;
  /** Why the trace cannot be staged, found inside a try block (raised when the trace ends). */
  refused: StagingError | undefined;
  /** The try blocks with a catch that the code being traced is inside (a throw there cannot be staged). */
  private readonly tries: boolean[] = [];

  constructor(
    private readonly trace: Trace,
    private readonly recorder: Recorder,
  ) {}

  /**
   * `e`, thrown while tracing a staged branch, makes the branch fail: the failure code takes its
   * number there. Inside a try/catch of the traced code it is an error: the catch would have to run
   * when the graph runs.
   */
  fail(e: unknown): void {
    const where = thrownAt.get(e as object)!;
    // raised once the trace ends: the user's catch must not catch it
    if (this.tries.includes(true))
      this.refused ??= new StagingError(
        `${where}: this throw depends on a tensor condition and is inside try/catch: the catch would run only when the graph runs, which staged code cannot do; test the condition outside the try, or return a value instead of throwing`,
      );
    // a loop traced again throws anew at the same place: one check
    const same = this.checks.findIndex(
      (c) => c.where === where && (c.error as Error)?.message === (e as Error).message,
    );
    const code = same >= 0 ? same + 1 : this.checks.push({ error: e, where });
    const r = this.recorder;
    const trace = this.trace;
    const zero = trace.constant(Int32Array.of(0), [], 'int32');
    // kept: it outlives the tidy scope it is made in, as a variable would
    this.cell ??= tf().keep(r.tensorFor(zero));
    // the first failure is the one reported (code after it runs on in the graph)
    const now = r.valueFor(this.cell!);
    const [ok] = trace.emit('Equal', [now, zero], {});
    const [next] = trace.emit('Select', [ok!, trace.constant(Int32Array.of(code), [], 'int32'), now], {});
    trace.variables!.set(this.cell as never, r.tensorFor(next!));
  }

  /** `pred`, and that nothing has failed yet (so that a staged loop stops at a failure). */
  guard(pred: Value): Value {
    if (!this.cell) return pred;
    const zero = this.trace.constant(Int32Array.of(0), [], 'int32');
    const [ok] = this.trace.emit('Equal', [this.recorder.valueFor(this.cell), zero], {});
    return this.trace.emit('LogicalAnd', [pred, ok!], {})[0]!;
  }

  /** The failure code at the end of the trace (an output), if anything can fail. */
  result(): Value | undefined {
    return this.cell && this.recorder.valueFor(this.cell);
  }

  /** Entering a `try` block that has a catch (`ag__.tryEnter`). */
  enterTry(): void {
    this.tries.push(true);
  }
  /**
   * Its catch clause runs with `caught`: a throw there is not caught by it. What staging throws
   * (its errors, a loop's retrace) is not for the user's catch: it goes on.
   */
  catching(caught: unknown): void {
    if (caught instanceof StagingError || isStagingSignal(caught)) throw caught;
    if (this.tries.length) this.tries[this.tries.length - 1] = false;
  }
  /** Leaving the try statement (its `finally`). */
  leaveTry(): void {
    this.tries.pop();
  }
}

/** The error a run reports when the failure code is `code`: the user's, located at its `throw`. */
export function failure(checks: readonly Check[], code: number): unknown {
  const { error, where } = checks[code - 1]!;
  if (!(error instanceof Error)) return error;
  // a fresh error of the same class and message each run (the traced one belongs to the trace)
  const fresh = Object.assign(Object.create(Object.getPrototypeOf(error)), error) as Error;
  Object.defineProperty(fresh, 'message', { value: error.message, writable: true, configurable: true });
  Object.defineProperty(fresh, 'stack', {
    value: `${error.name}: ${error.message}\n    at ${where} (a staged check)`,
    writable: true,
    configurable: true,
  });
  return fresh;
}
