/**
 * Standalone differential fuzzer: `npm run fuzz -- [--runs N] [--seed S] [--show K]`.
 *
 * Generates N random programs (default 50,000), converts each with autograph-ts and compares the
 * original and converted functions on every input. Prints progress every 5,000 programs, then
 * `N programs, M mismatches`; on mismatches prints the first few (and a shrunk version of the first)
 * and exits with code 1. Run under the autograph-ts loader, which strips the TypeScript types.
 */

import * as ag from 'autograph-ts';
import fc from 'fast-check';
import { type Converter, checkProgram, FORMS } from '../test/gen/compare.ts';
import { type Program, programArbitrary } from '../test/gen/program.ts';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isFinite(value)) {
    console.error(`--${name} needs a number`);
    process.exit(2);
  }
  return value;
}

const runs = option('runs', 50_000);
const seed = option('seed', Date.now() % 2 ** 31);
const show = option('show', 3);
const converter = ag as unknown as Converter;

console.log(`fuzzing ${runs} programs, seed ${seed}`);
const started = Date.now();
let done = 0;
const mismatches: { index: number; report: string }[] = [];

function check(program: Program): string | null {
  try {
    // both converted forms must keep the program's meaning
    for (const form of FORMS) {
      const report = checkProgram(converter, program, form);
      if (report !== null) return report;
    }
    return null;
  } catch (e: any) {
    return `checking failed: ${e?.stack ?? e}`;
  }
}

fc.check(
  fc.property(programArbitrary, (program) => {
    const report = check(program);
    if (report !== null) {
      mismatches.push({ index: done, report });
      if (mismatches.length <= show)
        console.log(`\n=== mismatch #${mismatches.length} (program ${done}) ===\n${report}\n`);
    }
    done++;
    if (done % 5000 === 0) {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      console.log(`${done} programs, ${mismatches.length} mismatches (${seconds} s)`);
    }
    return true;
  }),
  { numRuns: runs, seed },
);

if (mismatches.length > 0) {
  // Replay the first failing program and let fast-check shrink it.
  const shrunk = fc.check(
    fc.property(programArbitrary, (program) => check(program) === null),
    { seed, numRuns: runs, path: String(mismatches[0].index) },
  );
  if (shrunk.failed && shrunk.counterexample) {
    const report = check(shrunk.counterexample[0]);
    console.log(`\n=== first mismatch, shrunk (${shrunk.numShrinks} shrinks) ===\n${report}\n`);
  }
}

const seconds = ((Date.now() - started) / 1000).toFixed(1);
console.log(`${done} programs, ${mismatches.length} mismatches (${seconds} s, seed ${seed})`);
process.exitCode = mismatches.length > 0 ? 1 : 0;
