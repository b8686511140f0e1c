/**
 * The staged fuzzers' harness (test/staged-fuzz.test.ts, test/staged-grad-fuzz.test.ts): runs a
 * generated program (test/gen/staged-program.ts) converted in eager form and staged on every
 * executor (ONNX Runtime, tfjs, compiled JS), and compares. STAGED_FUZZ_SEED, STAGED_FUZZ_RUNS, STAGED_GRAD_FUZZ_RUNS and
 * STAGED_FUZZ_SURVEY (count failures by first line instead of failing) tune it.
 */
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { expect } from 'vitest';
import * as ag from '../../src/index.ts';
import { difference, type Plain, type Tolerance, toArrays } from '../staged/compare.ts';
import { type StagedProgram, stagedProgramArbitrary } from './staged-program.ts';

/** Generated programs chain many float ops: a looser tolerance than the hand-written corpus. */
export const FUZZ_TOLERANCE: Tolerance = { abs: 1e-5, rel: 1e-4 };

export const seed = process.env.STAGED_FUZZ_SEED ? Number(process.env.STAGED_FUZZ_SEED) : 20_250_301;
export const numRuns = process.env.STAGED_FUZZ_RUNS ? Number(process.env.STAGED_FUZZ_RUNS) : 500;
// (200 in `npm test`: each program runs on three executors, and this file bounds the suite's time;
// `npm run fuzz:staged` runs 2,000)
export const gradRuns = process.env.STAGED_GRAD_FUZZ_RUNS ? Number(process.env.STAGED_GRAD_FUZZ_RUNS) : 200;
/** STAGED_FUZZ_SURVEY=1: run every program, count failures by first line, print them, do not fail. */
const survey = !!process.env.STAGED_FUZZ_SURVEY;

// Programs are built from their source text and converted from it: `T` is their only free variable.
const T: any = { ...tf };
const scope = { T };

function release(x: unknown, keep: Set<unknown>): void {
  if (x instanceof tf.Tensor) {
    if (!keep.has(x)) x.dispose();
  } else if (Array.isArray(x)) for (const e of x) release(e, keep);
}

const describeProgram = (p: StagedProgram) =>
  `${p.source}\n(x = [${p.x}], y = [${p.y}], n = ${p.n}, k = ${p.k}${p.dynamic ? `; dynamic on ${p.dynamic}, also x = [${p.x2}], y = [${p.y2}]` : ''})`;

/** The program's arguments for x and y values. */
const argsFor = (p: StagedProgram, x: number[], y: number[]) =>
  [tf.tensor1d(x), tf.tensor1d(y), p.n, tf.scalar(p.k, 'int32')] as const;

/** The eager form's result on these x and y, as plain data. */
function runEager(
  p: StagedProgram,
  eagerFn: (...args: unknown[]) => unknown,
  x: number[],
  y: number[],
): Plain {
  let eager: Plain = { other: undefined };
  try {
    tf.tidy(() => {
      eager = toArrays(eagerFn(...argsFor(p, x, y)));
    });
  } catch (e) {
    throw new Error(`eager run failed (x = [${x}]): ${(e as Error).message}\n${describeProgram(p)}`);
  }
  return eager;
}

/** Runs a staged function on these x and y and compares with `eager`. */
async function runStaged(
  p: StagedProgram,
  f: ag.StagedFunction<any>,
  what: string,
  x: number[],
  y: number[],
  eager: Plain,
  tolerance: Tolerance,
) {
  const args = argsFor(p, x, y);
  const given = new Set<unknown>(args);
  let staged: Plain;
  try {
    const out = await f(...args);
    staged = toArrays(out);
    release(out, given);
  } catch (e) {
    throw new Error(`staging failed (${what}, x = [${x}]): ${(e as Error).stack}\n${describeProgram(p)}`);
  } finally {
    for (const a of args) if (a instanceof tf.Tensor) a.dispose();
  }
  const d = difference(eager, staged, tolerance);
  if (d)
    throw new Error(`staged (${what}, x = [${x}]) and eager results differ: ${d}\n${describeProgram(p)}`);
}

/**
 * Runs one program both ways; throws a report on any difference, error or leak. Dynamic programs are
 * also staged on one executor with x and y of a dynamic length and run at two lengths (3 and x2's).
 */
export async function check(p: StagedProgram, source = p.source, tolerance = FUZZ_TOLERANCE): Promise<void> {
  const original = new Function('T', `return (${source})`)(T);
  const before = tf.memory().numTensors;
  let eagerFn: (...args: unknown[]) => unknown;
  try {
    eagerFn = ag.convert(original, { form: 'eager', scope }) as any;
  } catch (e) {
    throw new Error(`conversion failed: ${(e as Error).message}\n${describeProgram(p)}`);
  }
  const eager = runEager(p, eagerFn, p.x, p.y);
  const eager2 = p.dynamic ? runEager(p, eagerFn, p.x2, p.y2) : eager;
  for (const executor of ['tfjs', 'onnx', 'js'] as const) {
    const f = ag.stage(original, { scope, executor });
    try {
      await runStaged(p, f, executor, p.x, p.y, eager, tolerance);
    } finally {
      await f.dispose();
    }
    if (p.dynamic !== executor) continue;
    const inputSignature = [ag.spec(['len']), ag.spec(['len']), p.n, ag.spec([], 'int32')];
    const g = ag.stage(original, { scope, executor, inputSignature });
    try {
      await runStaged(p, g, `${executor}, dynamic`, p.x, p.y, eager, tolerance);
      await runStaged(p, g, `${executor}, dynamic`, p.x2, p.y2, eager2, tolerance);
      if (g.traceCount !== 1)
        throw new Error(`${g.traceCount} traces for one input signature\n${describeProgram(p)}`);
    } finally {
      await g.dispose();
    }
  }
  const after = tf.memory().numTensors;
  if (after !== before) throw new Error(`${after - before} tensors leaked\n${describeProgram(p)}`);
}

/**
 * The gradient mode's program: d(loss)/d(x, y) of a loss that weighs each float result of the
 * program differently, plus a term that keeps x and y connected when the results do not use them.
 */
export const gradientOf = (p: StagedProgram): string => `function (x, y, n, k) {
  const program = ${p.source};
  const loss = (x, y) => {
    const out = program(x, y, n, k);
    const parts = Array.isArray(out) ? [out[0], out[1], out[2], out[3], out[4], out[7]] : [out];
    let total = T.sum(x * y) * 0.001;
    for (let i = 0; i < parts.length; i++) total = total + T.sum(parts[i]) * (i + 1);
    return total;
  };
  return T.grads(loss)([x, y]);
}`;

/** Runs `property` on `runs` generated programs, or (survey) counts their failures by first line. */
export async function fuzz(runs: number, property: (p: StagedProgram) => Promise<void>): Promise<void> {
  const start = tf.memory().numTensors;
  if (survey) {
    const counts = new Map<string, number>();
    const first = new Map<string, string>();
    const samples = fc.sample(stagedProgramArbitrary, { numRuns: runs, seed });
    for (const p of samples) {
      try {
        await property(p);
      } catch (e) {
        const key = (e as Error).message
          .split('\n')[0]!
          .replace(/x = \[[^\]]*\]/, 'x')
          .replace(/%\d+/g, '%N')
          .replace(/\[.*$/, '');
        counts.set(key, (counts.get(key) ?? 0) + 1);
        const m = (e as Error).message;
        if (!first.has(key) || first.get(key)!.length > m.length) first.set(key, m);
      }
    }
    for (const [k, v] of counts) console.log(`${v}× ${k}\n${first.get(k)}\n`);
    console.log(`${samples.length} programs, ${[...counts.values()].reduce((a, b) => a + b, 0)} failed`);
    return;
  }
  await fc.assert(fc.asyncProperty(stagedProgramArbitrary, property), {
    numRuns: runs,
    seed,
    includeErrorInReport: true,
  });
  expect(tf.memory().numTensors).toBe(start);
}
