/**
 * L-BFGS (paper appendix 15.2): minimizes an L2-regularized logistic-regression loss over N samples ×
 * D features (seeded synthetic data) in ONE staged call. The outer loop is a staged `while` on a tensor
 * condition (‖g‖ > tol, capped at maxIterations): its trip count is dynamic. Each iteration:
 *
 * - the search direction by the two-loop recursion over a history of the last m (s, y) pairs, kept as
 *   fixed-size [m, D] tensors (newest last) and a [m] tensor of 1/(yᵀs); the two loops over the m
 *   history rows are JS loops (m is a JS number), unrolled at trace time; empty history rows have
 *   ρ = 0 and so change nothing;
 * - a backtracking (Armijo) line search in a staged `while`: halve t while f(w + t p) > f + c₁ t gᵀp;
 * - the new gradient by `tf.grad` of the loss, inside the staged loop body;
 * - the history shifted by slice + concat, under a staged `if` (sᵀy > 0: curvature condition).
 *
 * Outputs: the weights, the final loss, ‖g‖, the iteration count and the number of backtracking steps
 * (checked exactly), the initial loss and ‖g‖ (to show that it converged). The tolerance 1e-3 is near
 * what float32 allows: at ‖g‖ ≈ 1e-4 a step lowers the loss (≈ 0.3) by ≈ ‖g‖²/2, below its rounding,
 * and the Armijo test becomes noise (eager wasm then backtracked where eager cpu did not). With 1e-3
 * every variant takes the same steps; the last ‖g‖ above tol is ≥ 1.2 tol and the final one ≤ 0.85 tol.
 */
import * as tfjs from '@tensorflow/tfjs';
// Under the loader, importing autograph-ts converts this module's functions (run.ts stages them).
import 'autograph-ts';
import { type AnyTf, type Case, type Config, Rng, type Workload } from '../harness.ts';

/** tfjs (the union package: it registers the gradients), typed so that operators on tensors type-check. */
const tf: AnyTf = tfjs as unknown as AnyTf;

const FEATURES = 20;
const LAMBDA = 1e-3;
const TOLERANCE = 1e-3;
const MAX_ITERATIONS = 50;
const MAX_BACKTRACKS = 20;
const C1 = 1e-4;
/** Feature j is scaled by SCALE^(2j/(D−1) − 1): from 1/3 to 3. */
const SCALE = 3;

function makeLbfgs(X: any, labels: any, m: number) {
  const [n, d] = X.shape as [number, number];
  /** mean log(1 + e^z) − y z over the samples, z = X w; plus λ/2 ‖w‖². */
  function loss(w: any) {
    const z = tf.reshape(tf.matMul(X, tf.reshape(w, [d, 1])), [n]);
    return tf.mean(tf.softplus(z) - labels * z) + 0.5 * LAMBDA * tf.sum(w * w);
  }

  return function lbfgs(w: any, tol: number, maxIterations: number) {
    // here, not beside `loss`: tf.grad runs `loss` converted only when called from converted code
    const gradient = tf.grad(loss);
    let f = loss(w);
    const f0 = f;
    let g = gradient(w);
    const g0 = tf.norm(g);
    let S = tf.zeros([m, d]);
    let Y = tf.zeros([m, d]);
    let rho = tf.zeros([m]);
    let k = 0;
    let backtracks = 0;
    while (tf.norm(g) > tol && k < maxIterations) {
      // two-loop recursion: r ≈ H g, with H the inverse Hessian approximation of the history
      let q = g;
      const alphas = [];
      for (let i = m - 1; i >= 0; i--) {
        const alpha = rho[i] * tf.sum(S[i] * q);
        alphas.unshift(alpha);
        q = q - alpha * Y[i];
      }
      // initial scaling γ = sᵀy / yᵀy of the newest pair (1 while the history is empty)
      const yy = tf.sum(Y[m - 1] * Y[m - 1]);
      const gamma = yy > 0 ? tf.sum(S[m - 1] * Y[m - 1]) / yy : tf.scalar(1);
      let r = gamma * q;
      for (let i = 0; i < m; i++) {
        const beta = rho[i] * tf.sum(Y[i] * r);
        r = r + S[i] * (alphas[i] - beta);
      }
      const p = -r;
      const slope = tf.sum(g * p);

      // backtracking line search (Armijo condition)
      let t = tf.scalar(1);
      let next = w + p;
      let fNext = loss(next);
      let tries = 0;
      while (fNext > f + C1 * t * slope && tries < MAX_BACKTRACKS) {
        t = t * 0.5;
        next = w + t * p;
        fNext = loss(next);
        tries++;
      }
      backtracks += tries;

      const gNext = gradient(next);
      const s = next - w;
      const y = gNext - g;
      const sy = tf.sum(s * y);
      if (sy > 0) {
        S = tf.concat([tf.slice(S, [1, 0], [m - 1, d]), tf.reshape(s, [1, d])]);
        Y = tf.concat([tf.slice(Y, [1, 0], [m - 1, d]), tf.reshape(y, [1, d])]);
        rho = tf.concat([tf.slice(rho, [1], [m - 1]), tf.reshape(1 / sy, [1])]);
      }
      w = next;
      f = fNext;
      g = gNext;
      k++;
    }
    return [w, f, tf.norm(g), k, backtracks, f0, g0];
  };
}

/**
 * Features with scales from 1/3 to 3 (an ill-conditioned problem: plain gradient descent would crawl),
 * labels drawn from the logistic model of a random true weight vector.
 */
function makeData(n: number, d: number): { X: Float32Array; labels: Float32Array } {
  const rng = new Rng(53);
  const X = rng.normal(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) X[i * d + j]! *= SCALE ** ((2 * j) / (d - 1) - 1);
  const truth = rng.normal(d).map((v, j) => v / SCALE ** ((2 * j) / (d - 1) - 1));
  const u = rng.uniform(n);
  const labels = Float32Array.from({ length: n }, (_, i) => {
    let z = 0;
    for (let j = 0; j < d; j++) z += X[i * d + j]! * truth[j]!;
    return u[i]! < 1 / (1 + Math.exp(-z)) ? 1 : 0;
  });
  return { X, labels };
}

function build(config: Config): Case {
  const [n, m] = [config.N as number, config.m as number];
  const { X, labels } = makeData(n, FEATURES);
  const data = [tf.tensor2d(X, [n, FEATURES]), tf.tensor1d(labels)] as const;
  const args = [tf.zeros([FEATURES]), TOLERANCE, MAX_ITERATIONS];
  return {
    label: `N=${n} D=${FEATURES} m=${m}`,
    params: { samples: n, features: FEATURES, history: m, lambda: LAMBDA, tolerance: TOLERANCE },
    program: makeLbfgs(...data, m),
    args,
    outputs: ['float', 'float', 'float', 'exact', 'exact', 'float', 'float'],
    describe: (out) =>
      (Number(out[2]![0]) < TOLERANCE ? '' : 'NOT CONVERGED: ') +
      `${Number(out[3]![0])} iterations + ${Number(out[4]![0])} backtracks; loss ${Number(out[5]![0]).toFixed(3)}` +
      ` → ${Number(out[1]![0]).toFixed(4)}, ‖g‖ ${Number(out[6]![0]).toFixed(2)} → ${Number(out[2]![0]).toExponential(1)}`,
    tensors: [...data, args[0] as tfjs.Tensor],
  };
}

export const lbfgs: Workload = {
  name: 'lbfgs',
  title: 'L-BFGS',
  eagerTarget: 5,
  configs: (quick) =>
    quick
      ? [{ N: 1000, m: 5 }]
      : [
          { N: 1000, m: 5 },
          { N: 1000, m: 10 },
          { N: 10000, m: 10 },
        ],
  build,
};
