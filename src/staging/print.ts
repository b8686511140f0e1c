/** `console.log` with symbolic arguments while tracing: a `Print` node that prints when the graph runs. */
import { isTensor } from '../runtime/tensors.ts';
import { stagedIf } from './control-flow.ts';
import { activeRecorder } from './recording-backend.ts';

/** Records the print; false when nothing is symbolic (the caller then logs natively). */
export function stagedPrint(args: unknown[]): boolean {
  const r = activeRecorder();
  if (!r || !args.some((a) => isTensor(a) && r.isSymbolic(a as any))) return false;
  record(args);
  return true;
}

function record(args: unknown[]): void {
  const r = activeRecorder()!;
  const inputs = args.filter(isTensor).map((t) => r.valueFor(t as any));
  const parts = args.map((a) => (isTensor(a) ? null : typeof a === 'string' ? a : String(a)));
  r.trace!.emit('Print', inputs, { parts });
}

/** `console.assert` on a symbolic condition: prints "Assertion failed: …" when the graph runs and it is false. */
export function stagedAssert(cond: unknown, data: unknown[], where: string): void {
  stagedIf(
    cond,
    () => {},
    () => record(['Assertion failed:', ...data]),
    null,
    null,
    [],
    0,
    where,
  );
}
