/**
 * The staged fuzzer's gradient mode: for each generated program (test/gen/staged-program.ts), the
 * gradient with respect to x and y of a loss built on its float results, taken inside the staged
 * function (`T.grads`), eager against both executors (test/gen/staged-check.ts). Gradients past an
 * overflow may be NaN staged where eager gives a number (docs/gradients.md): the comparison accepts
 * that, and nothing else. Bugs it found are in test/gradient-regressions.test.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { SUITE_TIMEOUT_MS } from './gen/budget.ts';
import { beforeAll, it } from 'vitest';
import { check, fuzz, gradientOf, gradRuns, seed } from './gen/staged-check.ts';
import type { Tolerance } from './staged/compare.ts';

/**
 * A gradient chains the products of a whole program's derivatives, so rounding differences (ONNX
 * Runtime's kernels, a different summation order) grow: 1e-3 relative. Seed 7 over 1,000 programs
 * needed 2.4e-4 once, and once (values near 1e28, where a cancellation flips a sign) more.
 */
const GRADIENT_TOLERANCE: Tolerance = { abs: 1e-5, rel: 1e-3, nonFinite: true };

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

it(
  `gradients of staged programs agree with their eager form (${gradRuns} programs, seed ${seed})`,
  async () => {
    await fuzz(gradRuns, (p) => check(p, gradientOf(p), GRADIENT_TOLERANCE));
  },
  SUITE_TIMEOUT_MS,
);
