/**
 * Fixed-point iteration: x ← tanh(x W + b) until ‖Δx‖ < ε (1e-5), hidden 64, capped at 5000
 * iterations: a dynamic trip count. W is scaled to spectral norm ρ, so the map is a contraction with
 * rate at most ρ; ρ sets the trip count (0.9: 84 iterations, 0.95: 136). The iteration count is
 * checked exactly, so ρ stays well below 1: near the end Δx is a difference of nearly equal vectors,
 * whose relative rounding error (~1e-7 / ε = 1%) is then as large as its change per iteration (1 − ρ),
 * and implementations that round differently (the hand-built graph sums squares with
 * ReduceSumSquare) stop one iteration apart: at ρ = 0.99 they did (230 vs 229).
 */
import * as tfjs from '@tensorflow/tfjs-core';
// Under the loader, importing autograph-ts converts this module's functions (run.ts stages them).
import 'autograph-ts';
import { fixedPointGraph } from '../handbuilt/fixed-point.ts';
import { type AnyTf, type Case, type Config, Rng, scaleToSpectralNorm, type Workload } from '../harness.ts';

/** tfjs, typed so that operators on tensors type-check. */
const tf: AnyTf = tfjs;

const HIDDEN = 64;
const EPSILON = 1e-5;
const MAX_ITERATIONS = 5000;

function makeFixedPoint(W: any, b: any) {
  return function fixedPoint(x: any, eps: number, maxIterations: number) {
    let delta: any = tf.scalar(Infinity);
    let n = 0;
    while (delta >= eps && n < maxIterations) {
      const next = tf.tanh(tf.matMul(x, W) + b);
      delta = tf.norm(next - x);
      x = next;
      n++;
    }
    return [x, n];
  };
}

/**
 * (A + Aᵀ) / 2: a symmetric W has its spectral radius equal to its norm, so the iteration converges at
 * a rate close to ρ (a random nonsymmetric W's eigenvalues are about half its norm: few iterations).
 */
function symmetric(a: Float32Array, n: number): Float32Array {
  return a.map((_, k) => (a[k]! + a[(k % n) * n + Math.floor(k / n)]!) / 2);
}

function build(config: Config): Case {
  const rho = config.rho as number;
  const rng = new Rng(37);
  const W = scaleToSpectralNorm(symmetric(rng.normal(HIDDEN * HIDDEN), HIDDEN), HIDDEN, rho);
  const b = rng.normal(HIDDEN, 0.1);
  const x0 = rng.normal(HIDDEN);
  const weights = [tf.tensor2d(W, [HIDDEN, HIDDEN]), tf.tensor2d(b, [1, HIDDEN])] as const;
  const args = [tf.tensor2d(x0, [1, HIDDEN]), EPSILON, MAX_ITERATIONS];
  return {
    label: `H=${HIDDEN} ρ=${rho}`,
    params: { hidden: HIDDEN, rho, epsilon: EPSILON, maxIterations: MAX_ITERATIONS },
    program: makeFixedPoint(...weights),
    args,
    outputs: ['float', 'exact'],
    handbuilt: fixedPointGraph({ H: HIDDEN, eps: EPSILON, maxIterations: MAX_ITERATIONS }, W, b, x0),
    describe: (out) => `${Number(out[1]![0])} iterations`,
    tensors: [...weights, args[0]],
  };
}

export const fixedPoint: Workload = {
  name: 'fixed-point',
  title: 'Fixed point',
  eagerTarget: 20,
  configs: (quick) => (quick ? [{ rho: 0.9 }] : [{ rho: 0.9 }, { rho: 0.95 }]),
  build,
};
