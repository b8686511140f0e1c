/**
 * Differential fuzzing: random structured programs (test/gen/program.ts) must behave exactly the same
 * before and after conversion, on every input. FUZZ_SEED and FUZZ_RUNS override the defaults; the
 * standalone `npm run fuzz` (scripts/fuzz.ts) runs many more programs.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import * as ag from '../src/index.ts';
import { type Converter, checkProgram, FORMS } from './gen/compare.ts';
import { SUITE_TIMEOUT_MS } from './gen/budget.ts';
import { programArbitrary } from './gen/program.ts';

const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : 20_240_611;
const numRuns = process.env.FUZZ_RUNS ? Number(process.env.FUZZ_RUNS) : 2000;

it.each(FORMS)(
  `converted programs (%s form) behave like the originals (${numRuns} programs, seed ${seed})`,
  (form) => {
    const converter = ag as unknown as Converter;
    expect(typeof converter.convertSource).toBe('function');
    fc.assert(
      fc.property(programArbitrary, (program) => {
        const report = checkProgram(converter, program, form);
        if (report !== null) throw new Error(report);
      }),
      // The report (source, input, both outcomes, converted code) goes into the failure message itself.
      { numRuns, seed, includeErrorInReport: true },
    );
  },
  SUITE_TIMEOUT_MS,
);
