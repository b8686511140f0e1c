/**
 * Differential corpus: every corpus function is converted with `ag.convert` (from `fn.toString()`) and the
 * converted function must behave exactly like the original on every input: same returned value (deep,
 * with Object.is for primitives so NaN and -0 count), same thrown error (constructor name and message),
 * and the same console.log calls. Returned functions are compared by calling both once with no arguments.
 */
import { inspect } from 'node:util';
import { afterEach, assert, beforeEach, describe, expect, it, vi } from 'vitest';
import * as ag from '../src/index.ts';
import { cases as args } from './corpus/arguments.ts';
import { cases as asyncCases } from './corpus/async.ts';
import { cases as assignments } from './corpus/assignments.ts';
import { cases as branches } from './corpus/branches.ts';
import type { CorpusCase } from './corpus/case.ts';
import { cases as closures } from './corpus/closures.ts';
import { cases as destructuring } from './corpus/destructuring.ts';
import { cases as exceptions } from './corpus/exceptions.ts';
import { cases as indexing } from './corpus/indexing.ts';
import { cases as jumps } from './corpus/jumps.ts';
import { cases as logical } from './corpus/logical.ts';
import { cases as loops } from './corpus/loops.ts';
import { cases as members } from './corpus/members.ts';
import { cases as misc } from './corpus/misc.ts';
import { cases as nesting } from './corpus/nesting.ts';
import { cases as operators } from './corpus/operators.ts';
import { cases as parameters } from './corpus/parameters.ts';
import { cases as returns } from './corpus/returns.ts';
import { cases as switches } from './corpus/switch.ts';
import { FORMS } from './gen/compare.ts';

const groups: Record<string, CorpusCase[]> = {
  branches,
  loops,
  jumps,
  returns,
  switch: switches,
  logical,
  operators,
  assignments,
  closures,
  destructuring,
  exceptions,
  indexing,
  nesting,
  misc,
  arguments: args,
  parameters,
  members,
};

/** What running a function produced: a value, or a thrown error described by constructor name and message. */
type Outcome = { value: unknown } | { error: { name: string; message: unknown; thrown?: unknown } };

function run(f: () => unknown): Outcome {
  try {
    return { value: f() };
  } catch (e: any) {
    const name = e === null || e === undefined ? String(e) : (e.constructor?.name ?? typeof e);
    const error: { name: string; message: unknown; thrown?: unknown } = { name, message: e?.message };
    // Non-Error throws (strings, numbers, plain objects) are compared by value as well.
    if (!(e instanceof Error)) error.thrown = e;
    return { error };
  }
}

function show(v: unknown): string {
  return inspect(v, { depth: 6, breakLength: Infinity, showHidden: false });
}

/**
 * Deep comparison: `undefined` when equal, else a description of the first difference (with its path).
 * Primitives by Object.is; arrays, plain objects, Maps and Sets structurally; errors by constructor name and
 * message; other objects by constructor name and own enumerable properties; functions by calling both once.
 */
function difference(
  a: unknown,
  b: unknown,
  path = '$',
  seen = new Map<object, object>(),
  depth = 0,
): string | undefined {
  const here = (what: string) => `${path}: ${what} (expected ${show(a)}, got ${show(b)})`;
  if (depth > 50) return here('nesting too deep to compare');
  if (typeof a === 'function' || typeof b === 'function') {
    if (typeof a !== 'function' || typeof b !== 'function') return here('only one is a function');
    const ra = run(() => (a as () => unknown)());
    const rb = run(() => (b as () => unknown)());
    return difference(ra, rb, `${path}()`, seen, depth + 1);
  }
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') {
    return Object.is(a, b) ? undefined : here('values differ');
  }
  if (seen.get(a) === b) return undefined;
  seen.set(a, b);
  const ctorName = (o: object) => {
    const proto = Object.getPrototypeOf(o);
    return proto === null ? '[null prototype]' : (proto.constructor?.name ?? '?');
  };
  if (ctorName(a) !== ctorName(b)) return here(`constructors differ: ${ctorName(a)} vs ${ctorName(b)}`);
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    if (a.length !== bb.length) return here(`lengths differ: ${a.length} vs ${bb.length}`);
    for (let i = 0; i < a.length; i++) {
      if (i in a !== i in bb) return here(`hole at [${i}] in only one`);
      const d = difference(a[i], bb[i], `${path}[${i}]`, seen, depth + 1);
      if (d) return d;
    }
    return undefined;
  }
  if (a instanceof Map) {
    const ea = [...a.entries()];
    const eb = [...(b as Map<unknown, unknown>).entries()];
    return difference(ea, eb, `${path}<Map entries>`, seen, depth + 1);
  }
  if (a instanceof Set) {
    return difference([...a], [...(b as Set<unknown>)], `${path}<Set values>`, seen, depth + 1);
  }
  if (a instanceof Error) {
    const eb = b as Error;
    if (a.message !== eb.message) return here('error messages differ');
  }
  if (
    a instanceof RegExp ||
    a instanceof Date ||
    a instanceof String ||
    a instanceof Number ||
    a instanceof Boolean
  ) {
    if (String(a) !== String(b)) return here('values differ');
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.join('\u0000') !== kb.join('\u0000')) return here(`keys differ: [${ka}] vs [${kb}]`);
  for (const k of ka) {
    const d = difference((a as any)[k], (b as any)[k], `${path}.${k}`, seen, depth + 1);
    if (d) return d;
  }
  return undefined;
}

/** console.log calls made while `f` runs (console.log is silenced meanwhile). */
let logged: unknown[][] = [];
beforeEach(() => {
  logged = [];
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    logged.push(args);
  });
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** `run` for a function that returns a promise: its settled value or rejection. */
async function runAsync(f: () => unknown): Promise<Outcome> {
  const first = run(f);
  if (!('value' in first) || !(first.value instanceof Promise)) return first;
  return first.value.then(
    (value) => ({ value }),
    (e) =>
      run(() => {
        throw e;
      }),
  );
}

function observe(f: () => unknown): { outcome: Outcome; logs: unknown[][] } {
  logged = [];
  const outcome = run(f);
  return { outcome, logs: logged };
}

describe('differential corpus', () => {
  it('has at least 220 uniquely named cases with inputs', () => {
    const all = Object.values(groups).flat();
    expect(all.length).toBeGreaterThanOrEqual(220);
    const names = all.map((c) => c.name);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
    for (const c of all) expect(c.inputs.length, c.name).toBeGreaterThan(0);
  });

  for (const [group, list] of Object.entries(groups)) {
    describe(group, () => {
      const check = (form: (typeof FORMS)[number], c: CorpusCase) => {
        const problems: string[] = [];
        let converted: ((...args: any[]) => unknown) | undefined;
        try {
          converted = ag.convert(c.fn, { form }) as (...args: any[]) => unknown;
        } catch (e: any) {
          problems.push(`convert threw ${e?.constructor?.name}: ${e?.message}`);
        }
        if (converted) {
          const conv = converted;
          c.inputs.forEach((args, i) => {
            const expected = observe(() => c.fn(...structuredClone(args)));
            const actual = observe(() => conv(...structuredClone(args)));
            const where = `case '${c.name}', input #${i} ${show(args)}`;
            const d = difference(expected.outcome, actual.outcome);
            if (d) {
              problems.push(
                `${where}: ${d}\n    expected: ${show(expected.outcome)}\n    actual:   ${show(actual.outcome)}`,
              );
            }
            const dl = difference(expected.logs, actual.logs, '$console.log');
            if (dl) problems.push(`${where}: console.log calls differ: ${dl}`);
          });
        }
        if (problems.length > 0) assert.fail(problems.join('\n'));
      };
      const cases = list.flatMap((c) => FORMS.map((form) => [c.name, form, c] as const));
      it.each(cases)('%s (%s form)', (_name, form, c) => check(form, c));
    });
  }

  // async functions: the eager form only (the graph form refuses them, see conversion-errors.test.ts)
  describe('async', () => {
    it.each(asyncCases.map((c) => [c.name, c] as const))('%s (eager form)', async (_name, c) => {
      expect(asyncCases.length).toBeGreaterThanOrEqual(5);
      const conv = ag.convert(c.fn) as (...args: any[]) => unknown;
      expect(conv).not.toBe(c.fn);
      const problems: string[] = [];
      for (const [i, args] of c.inputs.entries()) {
        logged = [];
        const expected = await runAsync(() => c.fn(...structuredClone(args)));
        const expectedLogs = logged;
        logged = [];
        const actual = await runAsync(() => conv(...structuredClone(args)));
        const where = `case '${c.name}', input #${i} ${show(args)}`;
        const d = difference(expected, actual);
        if (d) problems.push(`${where}: ${d}`);
        const dl = difference(expectedLogs, logged, '$console.log');
        if (dl) problems.push(`${where}: console.log calls differ: ${dl}`);
      }
      if (problems.length > 0) assert.fail(problems.join('\n'));
    });
  });
});
