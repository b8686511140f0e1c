/**
 * The staged fuzzer's gradient mode: for each generated program (test/gen/staged-program.ts), the
 * gradient with respect to x and y of a loss built on its float results, taken inside the staged
 * function (`T.grads`), eager against both executors (test/gen/staged-check.ts). Gradients past an
 * overflow may be NaN staged where eager gives a number (docs/gradients.md): the comparison accepts
 * that, and nothing else. Bugs it found are in test/gradient-regressions.test.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, it } from 'vitest';
import { check, FUZZ_TOLERANCE, fuzz, gradientOf, gradRuns, seed } from './gen/staged-check.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

it(`gradients of staged programs agree with their eager form (${gradRuns} programs, seed ${seed})`, async () => {
  await fuzz(gradRuns, (p) => check(p, gradientOf(p), { ...FUZZ_TOLERANCE, nonFinite: true }));
}, 300_000);
