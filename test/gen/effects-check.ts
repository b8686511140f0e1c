/**
 * The effects fuzzer's harness (test/effects-fuzz.test.ts): runs a generated program with variables
 * and throws (test/gen/effects-program.ts) several calls in a row, eagerly (`ag.convert`) and staged
 * on each executor (`ag.stage`), each from fresh variables with the same starting values, and after
 * every call compares the outcome (the returned values, or the thrown error's class name and message)
 * and every variable's value.
 *
 * A failing call: eagerly, an assign made before the throw stays done; staged, a failing call writes
 * back no variable (docs/staging.md, "Checks"). The harness makes eager calls transactional: it reads
 * the variables before each eager call and, when the call throws, assigns those values back. So after
 * a failing call the variables must hold their values from before it, on every side; this also checks
 * that a staged failing call leaves the variables alone.
 *
 * EFFECTS_FUZZ_SEED (else STAGED_FUZZ_SEED, else a fixed seed) and EFFECTS_FUZZ_RUNS tune it;
 * EFFECTS_FUZZ_SURVEY=1 runs every program and counts failures by first line instead of failing;
 * EFFECTS_FUZZ_ONLY=<regex> fails (and shrinks) only on failures whose message matches.
 */
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import * as ag from '../../src/index.ts';
import { difference, type Plain, type Tolerance, toArrays } from '../staged/compare.ts';
import { type EffectsProgram, effectsProgramArbitrary } from './effects-program.ts';

/** Chained float ops over several calls, ONNX Runtime's kernels against tfjs's: 1e-3 relative. */
export const EFFECTS_TOLERANCE: Tolerance = { abs: 1e-5, rel: 1e-3 };

const env = process.env;
export const seed = Number(env.EFFECTS_FUZZ_SEED ?? env.STAGED_FUZZ_SEED ?? 20_250_715);
export const numRuns = env.EFFECTS_FUZZ_RUNS ? Number(env.EFFECTS_FUZZ_RUNS) : 150;
const survey = !!env.EFFECTS_FUZZ_SURVEY;

/** The custom error class the programs throw beside the built-in ones. */
export class CheckError extends RangeError {}
const T: any = { ...tf };

/**
 * Whether staged runs of programs with a `throw` are checked for leaks. Off: a staged function with a
 * check leaks a tensor per trace and per call, and a failing call its other outputs too (see
 * test/effects-regressions.test.ts, "leaks"); turn on once that is fixed. Programs without a throw,
 * and every eager run, are always checked.
 */
export const LEAK_CHECK_WITH_THROWS = true;

/** How the calls went, over all programs checked: the generator must keep both outcomes common. */
export const tally = { calls: 0, threw: 0, programs: 0 };

type Outcome = { value: Plain } | { error: string; message: string };
/** One call's outcome and the variables after it. */
interface Step {
  outcome: Outcome;
  vars: Plain[];
}

export const describeProgram = (p: EffectsProgram) =>
  `${p.source}\n(v = [${p.v0}], s = ${p.s0}, c = ${p.c0}; calls ${p.calls
    .map((c) => `(x = [${c.x}], n = ${c.n})`)
    .join(', ')})`;

const isUserError = (e: unknown) =>
  e instanceof Error &&
  /^e\d+$/.test(e.message) &&
  ['Error', 'RangeError', 'TypeError', 'CheckError'].includes(e.constructor.name);

/** A variable of its own data (tf.variable shares the initial tensor's, which is then disposed). */
const variableOf = (init: tf.Tensor) => {
  const v = tf.variable(init);
  init.dispose();
  return v;
};

function makeVariables(p: EffectsProgram) {
  return {
    v: variableOf(tf.tensor1d(p.v0)),
    s: variableOf(tf.scalar(p.s0)),
    c: variableOf(tf.scalar(p.c0, 'int32')),
  };
}
type Vars = ReturnType<typeof makeVariables>;
const readVars = (vars: Vars): Plain[] => [toArrays(vars.v), toArrays(vars.s), toArrays(vars.c)];

function original(p: EffectsProgram, vars: Vars): (...args: unknown[]) => unknown {
  return new Function('T', 'v', 's', 'c', 'CheckError', `return (${p.source})`)(
    T,
    vars.v,
    vars.s,
    vars.c,
    CheckError,
  );
}

function release(x: unknown, keep: Set<unknown>): void {
  if (x instanceof tf.Tensor) {
    if (!keep.has(x)) x.dispose();
  } else if (Array.isArray(x)) for (const e of x) release(e, keep);
}

/** The eager form, each call made transactional (see above). */
function runEager(p: EffectsProgram): Step[] {
  const vars = makeVariables(p);
  const scope = { T, ...vars, CheckError };
  try {
    let fn: (...args: unknown[]) => unknown;
    try {
      fn = ag.convert(original(p, vars), { scope }) as any;
    } catch (e) {
      throw new Error(`conversion failed: ${(e as Error).message}\n${describeProgram(p)}`);
    }
    const steps: Step[] = [];
    for (const call of p.calls) {
      const before = { v: tf.clone(vars.v), s: tf.clone(vars.s), c: tf.clone(vars.c) };
      let outcome: Outcome = { value: { other: undefined } };
      try {
        tf.tidy(() => {
          outcome = { value: toArrays(fn(tf.tensor1d(call.x), call.n)) };
        });
      } catch (e) {
        if (!isUserError(e))
          throw new Error(`eager run failed: ${(e as Error).stack}\n${describeProgram(p)}`);
        outcome = { error: (e as Error).constructor.name, message: (e as Error).message };
        for (const k of ['v', 's', 'c'] as const) vars[k].assign(before[k]);
      } finally {
        for (const t of Object.values(before)) t.dispose();
      }
      steps.push({ outcome, vars: readVars(vars) });
    }
    return steps;
  } finally {
    for (const v of Object.values(vars)) v.dispose();
  }
}

/** Staged on `executor`, the calls one after another on one staged function. */
async function runStaged(p: EffectsProgram, executor: 'onnx' | 'tfjs' | 'js'): Promise<Step[]> {
  const vars = makeVariables(p);
  const keep = new Set<unknown>(Object.values(vars));
  const f = ag.stage(original(p, vars), { scope: { T, ...vars, CheckError }, executor });
  try {
    const steps: Step[] = [];
    for (const call of p.calls) {
      const x = tf.tensor1d(call.x);
      let outcome: Outcome;
      try {
        const out = await f(x, call.n);
        outcome = { value: toArrays(out) };
        release(out, new Set([...keep, x]));
      } catch (e) {
        outcome = { error: (e as Error).constructor.name, message: (e as Error).message };
        if (!isUserError(e)) (outcome as { stack?: string }).stack = (e as Error).stack;
      } finally {
        x.dispose();
      }
      steps.push({ outcome, vars: readVars(vars) });
    }
    return steps;
  } finally {
    await f.dispose();
    for (const v of Object.values(vars)) v.dispose();
  }
}

const showOutcome = (o: Outcome) =>
  'value' in o ? JSON.stringify(o.value) : `${o.error}: ${o.message}${'stack' in o ? `\n${o.stack}` : ''}`;

function compare(eager: Step[], staged: Step[], what: string, p: EffectsProgram): void {
  for (const [i, e] of eager.entries()) {
    const s = staged[i]!;
    const where = `call ${i + 1} (${what})`;
    const eo = e.outcome;
    const so = s.outcome;
    if (
      'value' in eo !== 'value' in so ||
      ('error' in eo && 'error' in so && (eo.error !== so.error || eo.message !== so.message))
    )
      throw new Error(`${where}: eager ${showOutcome(eo)}, staged ${showOutcome(so)}\n${describeProgram(p)}`);
    if ('value' in eo && 'value' in so) {
      const d = difference(eo.value, so.value, EFFECTS_TOLERANCE);
      if (d) throw new Error(`${where}: results differ: ${d}\n${describeProgram(p)}`);
    }
    for (const [j, name] of ['v', 's', 'c'].entries()) {
      const d = difference(e.vars[j]!, s.vars[j]!, EFFECTS_TOLERANCE, name);
      if (d) throw new Error(`${where}: variables differ after the call: ${d}\n${describeProgram(p)}`);
    }
  }
}

/** Runs one program eagerly and staged on both executors; throws a report on a difference or leak. */
export async function check(
  p: EffectsProgram,
  executors: readonly ('onnx' | 'tfjs' | 'js')[] = ['tfjs', 'onnx', 'js'],
) {
  let before = tf.memory().numTensors;
  const eager = runEager(p);
  if (tf.memory().numTensors !== before)
    throw new Error(`eager run leaked ${tf.memory().numTensors - before} tensors\n${describeProgram(p)}`);
  tally.programs++;
  tally.calls += eager.length;
  tally.threw += eager.filter((s) => 'error' in s.outcome).length;
  for (const executor of executors) {
    before = tf.memory().numTensors;
    compare(eager, await runStaged(p, executor), executor, p);
    const leaked = tf.memory().numTensors - before;
    if (leaked && (LEAK_CHECK_WITH_THROWS || !/\bthrow\b/.test(p.source)))
      throw new Error(`${leaked} tensors leaked (${executor})\n${describeProgram(p)}`);
  }
}

/** Runs `check` on `runs` generated programs, or (survey) counts their failures by first line. */
export async function fuzz(
  runs: number,
  property: (p: EffectsProgram) => Promise<void> = (p) => check(p),
): Promise<void> {
  if (survey) {
    const counts = new Map<string, number>();
    const first = new Map<string, string>();
    const samples = fc.sample(effectsProgramArbitrary, { numRuns: runs, seed });
    for (const p of samples) {
      try {
        await property(p);
      } catch (e) {
        const m = (e as Error).message;
        const key = m
          .split('\n')[0]!
          .replace(/^call \d+/, 'call')
          .replace(/\[[^\]]*\]/g, '[…]')
          .replace(/-?\d+(\.\d+)?(e-?\d+)?/g, 'N');
        counts.set(key, (counts.get(key) ?? 0) + 1);
        if (!first.has(key) || first.get(key)!.length > m.length) first.set(key, m);
      }
    }
    for (const [k, v] of counts) console.log(`${v}× ${k}\n${first.get(k)}\n`);
    console.log(
      `${samples.length} programs, ${[...counts.values()].reduce((a, b) => a + b, 0)} failed; ${tally.threw} of ${tally.calls} eager calls threw`,
    );
    return;
  }
  // EFFECTS_FUZZ_ONLY=<regex>: fail (and shrink) only on failures whose message matches: isolates one bug
  const only = env.EFFECTS_FUZZ_ONLY ? new RegExp(env.EFFECTS_FUZZ_ONLY) : null;
  const filtered = only
    ? async (p: EffectsProgram) => {
        try {
          await property(p);
        } catch (e) {
          if (only.test((e as Error).message)) throw e;
        }
      }
    : property;
  await fc.assert(fc.asyncProperty(effectsProgramArbitrary, filtered), {
    numRuns: runs,
    seed,
    includeErrorInReport: true,
  });
}
