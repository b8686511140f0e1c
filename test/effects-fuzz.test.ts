/**
 * Differential fuzzing of staged effects: random programs with tf.Variables (`v`, `s`, `c`: assigned
 * and read in staged and JS branches and loops) and throws (guards under tensor and JS conditions,
 * bare throws in branches and loop bodies), test/gen/effects-program.ts, run several calls in a row
 * eagerly (`ag.convert`) and staged on the tfjs and ONNX Runtime executors from the same starting
 * variable values; after every call the outcome (results within 1e-3 relative, or the same error class
 * and message) and every variable must agree, and no tensor may leak (staged programs with a throw excepted for now: see LEAK_CHECK_WITH_THROWS). Eager calls that throw are made
 * transactional by the harness (the variables are put back), so a staged failing call must leave the
 * variables as they were (test/gen/effects-check.ts). EFFECTS_FUZZ_SEED and EFFECTS_FUZZ_RUNS override
 * the defaults (`npm run fuzz:staged` runs more). Bugs it found are in test/effects-regressions.test.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, expect, it } from 'vitest';
import { fuzz, numRuns, seed, tally } from './gen/effects-check.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

it(`staged programs with variables and throws agree with their eager form (${numRuns} programs, seed ${seed})`, async () => {
  await fuzz(numRuns);
  // the generator must keep both outcomes common: calls that throw and calls that return
  if (!process.env.EFFECTS_FUZZ_SURVEY && tally.calls >= 100) {
    expect(tally.threw / tally.calls).toBeGreaterThan(0.1);
    expect(tally.threw / tally.calls).toBeLessThan(0.9);
  }
}, 900_000); // sized by count, not time: 150 programs take about 15 s on two cores
