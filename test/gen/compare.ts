/**
 * Outcome capture and comparison shared by the fuzz test (test/fuzz.test.ts) and the standalone
 * fuzzer (scripts/fuzz.ts).
 *
 * Calls run under a `vm` timeout, so a converted function that never returns is reported as a
 * mismatch instead of hanging the run (the generated originals always terminate).
 */
import vm from 'node:vm';
import { CALL_TIMEOUT_MS } from './budget.ts';

export interface ErrorInfo {
  name: string;
  message: string;
  /** Set when the thrown value is not an Error: the value itself. */
  thrown?: unknown;
}

export type Outcome = { value: unknown } | { error: ErrorInfo } | { timeout: number };

const context = vm.createContext({ __call: null as null | (() => unknown) });
const callScript = new vm.Script('__call()');

/** Runs `f`, capturing its value or what it throws; gives up after `timeoutMs`. */
export function runCapture(f: () => unknown, timeoutMs = CALL_TIMEOUT_MS): Outcome {
  context.__call = f;
  try {
    return { value: callScript.runInContext(context, { timeout: timeoutMs }) };
  } catch (e: any) {
    if (e && e.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') return { timeout: timeoutMs };
    if (e instanceof Error) return { error: { name: e.name, message: e.message } };
    return { error: { name: '(not an Error)', message: formatValue(e), thrown: e } };
  } finally {
    context.__call = null;
  }
}

/**
 * Deep equality of values: `Object.is` on primitives, element-wise on arrays, functions by calling
 * both (with no arguments) and comparing the outcomes.
 */
export function sameValue(x: unknown, y: unknown, depth = 0): boolean {
  if (typeof x === 'function' && typeof y === 'function') {
    if (depth > 8) return true;
    return sameOutcome(
      runCapture(() => (x as () => unknown)()),
      runCapture(() => (y as () => unknown)()),
      depth + 1,
    );
  }
  if (Array.isArray(x) && Array.isArray(y)) {
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!sameValue(x[i], y[i], depth)) return false;
    return true;
  }
  if (x instanceof Error && y instanceof Error) return x.name === y.name && x.message === y.message;
  if (isPlainObject(x) && isPlainObject(y)) {
    const kx = Object.keys(x);
    const ky = Object.keys(y);
    if (kx.length !== ky.length || kx.some((k, i) => k !== ky[i])) return false;
    if (depth > 8) return true;
    return kx.every((k) => sameValue(x[k], y[k], depth + 1));
  }
  return Object.is(x, y);
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && Object.getPrototypeOf(x) === Object.prototype;
}

export function sameOutcome(a: Outcome, b: Outcome, depth = 0): boolean {
  if ('value' in a && 'value' in b) return sameValue(a.value, b.value, depth);
  if ('error' in a && 'error' in b) {
    return (
      a.error.name === b.error.name &&
      a.error.message === b.error.message &&
      sameValue(a.error.thrown, b.error.thrown, depth)
    );
  }
  return false;
}

export function formatValue(v: unknown, depth = 0): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (typeof v === 'function') {
    if (depth > 3) return '[function]';
    return `[function → ${formatOutcome(
      runCapture(() => (v as () => unknown)()),
      depth + 1,
    )}]`;
  }
  if (Array.isArray(v)) return `[${v.map((x) => formatValue(x, depth)).join(', ')}]`;
  if (v instanceof Error) return `${v.name}(${JSON.stringify(v.message)})`;
  if (isPlainObject(v)) {
    if (depth > 3) return '{…}';
    return `{ ${Object.keys(v)
      .map((k) => `${k}: ${formatValue(v[k], depth + 1)}`)
      .join(', ')} }`;
  }
  return String(v);
}

export function formatOutcome(o: Outcome, depth = 0): string {
  if ('value' in o) return `value ${formatValue(o.value, depth)}`;
  if ('timeout' in o) return `did not finish within ${o.timeout} ms`;
  return `threw ${o.error.name}: ${o.error.message}`;
}

export function formatArgs(args: unknown[]): string {
  return `(${args.map((a) => formatValue(a)).join(', ')})`;
}

const STACK_OVERFLOW = 'Maximum call stack size exceeded';

/** The function that `source` (a function expression) evaluates to, in global scope. */
export function evaluate(source: string): (...args: unknown[]) => unknown {
  // biome-ignore lint/security/noGlobalEval: the generated programs are run as written (indirect eval, global scope)
  return (0, eval)(`(${source})`);
}

/** What `checkProgram` needs from the library. */
export interface Converter {
  convertSource(source: string, options?: any): (...args: unknown[]) => unknown;
  toCode?(fn: (...args: any[]) => unknown, options?: any): string;
}

/** The converted forms (see src/form.ts); both must keep JS semantics. */
export type Form = 'eager' | 'graph';
export const FORMS: Form[] = ['eager', 'graph'];

export interface ProgramCase {
  source: string;
  inputs: unknown[][];
}

function convertedText(ag: Converter, source: string, form: Form, converted: unknown): string {
  if (ag.toCode) {
    try {
      return ag.toCode(ag.convertSource(source, { form }), { form });
    } catch (e: any) {
      return `(ag.toCode failed: ${e?.message ?? e})\n${String(converted)}`;
    }
  }
  return String(converted);
}

/**
 * Converts `program.source` and runs the original and the converted function on every input.
 * Returns null when they agree, else a report with the source, the input, both outcomes and the
 * converted code. Throws when the original itself is not a valid function (a generator bug).
 */
export function checkProgram(ag: Converter, program: ProgramCase, form: Form = 'eager'): string | null {
  const original = evaluate(program.source);
  if (typeof original !== 'function') throw new Error(`generator bug: not a function:\n${program.source}`);
  let converted: (...args: unknown[]) => unknown;
  try {
    converted = ag.convertSource(program.source, { form });
  } catch (e: any) {
    return [
      'convertSource threw',
      '--- source ---',
      program.source,
      '--- error ---',
      String(e?.stack ?? e),
    ].join('\n');
  }
  if (typeof converted !== 'function') {
    return ['convertSource did not return a function', '--- source ---', program.source].join('\n');
  }
  for (const args of program.inputs) {
    const expected = runCapture(() => original(...args));
    if ('timeout' in expected) {
      throw new Error(
        `generator bug: the original did not terminate on ${formatArgs(args)}:\n${program.source}`,
      );
    }
    const actual = runCapture(() => converted(...args));
    if (!sameOutcome(expected, actual)) {
      // How deep a runaway recursion gets before V8 stops it depends on frame sizes, which conversion
      // changes; what such a program recorded before overflowing is not comparable. (Formatting runs
      // the outcome's functions, so it is only done once the outcomes differ.)
      if (formatOutcome(expected).includes(STACK_OVERFLOW)) continue;
      return [
        `converted function (${form} form) differs from the original`,
        '--- source ---',
        program.source,
        `--- input --- ${formatArgs(args)}`,
        `--- original --- ${formatOutcome(expected)}`,
        `--- converted --- ${formatOutcome(actual)}`,
        '--- converted code ---',
        convertedText(ag, program.source, form, converted),
      ].join('\n');
    }
  }
  return null;
}
