/**
 * Differential fuzzing of staging: random staged programs (test/gen/staged-program.ts) run converted in
 * eager form on concrete tensors and staged (traced to IR), run by the tfjs executor and by ONNX
 * Runtime; results must agree in structure, dtype, shape and values (1e-4 relative, 1e-5 absolute),
 * and no tensor may leak. A third of the programs (the generator's `dynamic`) are also staged on one
 * executor (alternately tfjs and ONNX Runtime) with an input signature of one dynamic length for x and
 * y, and that single trace runs at length 3 and at a generated length 1..6, each against eager.
 * The gradient mode is test/staged-grad-fuzz.test.ts; the harness is test/gen/staged-check.ts.
 * STAGED_FUZZ_SEED and STAGED_FUZZ_RUNS override the defaults. Bugs it found have regression tests in
 * test/staged-regressions.test.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, expect, it } from 'vitest';
import { registeredOps } from '../src/ir/ops/index.ts';
import { SUITE_TIMEOUT_MS } from './gen/budget.ts';
import { check, fuzz, numRuns, seed } from './gen/staged-check.ts';
import { coreOps } from './gen/staged-program.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

it('the kernels the generator always uses are registered', () => {
  const ops = new Set(registeredOps());
  expect(coreOps.filter((op) => !ops.has(op))).toEqual([]);
});

it(`staged programs agree with their eager form (${numRuns} programs, seed ${seed})`, async () => {
  await fuzz(numRuns, (p) => check(p));
}, 300_000); // two executors per program: about a minute on two cores
