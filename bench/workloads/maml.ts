/**
 * MAML (paper appendix 15.3; Finn et al. 2017, sinusoid regression): an MLP 1→40→40→1 (ReLU) is
 * meta-trained on tasks y = A sin(x − φ) (A in [0.1, 5], φ in [0, π], x in [−5, 5]; seeded). Each
 * meta-step takes a meta-batch of T tasks with K support and K query points each:
 *
 * - inner loop: `innerSteps` SGD steps (α = 0.01) on each task's support MSE, starting from the shared
 *   weights; the inner gradient is `tf.grads` inside the outer loss, so the outer gradient is second
 *   order. The tasks run side by side: the weights are broadcast to [T, …] (`θ + zeros`) and the layers
 *   are batched matMuls, so the gradient of the summed task losses is each task's own gradient;
 * - outer loss: the adapted weights' query MSE, averaged over the tasks; its gradient with respect to
 *   the shared weights by `tf.valueAndGrads`; a plain SGD meta-update (β = 0.01).
 *
 * One staged call runs `metaSteps` meta-steps: a staged loop (`for…of` over the rows of the task
 * tensor), so the meta-training loop is in the graph; its body takes the outer gradient, which is
 * not differentiated again. The inner loop is a JS-count loop, unrolled at trace time: its count is a
 * hyper-parameter fixed per trace, and the outer gradient must differentiate through the inner
 * gradients — a `tf.grad` inside a staged `while` (or `if`) that is itself differentiated fails to
 * stage today (bench/repro-grad-in-loop.ts), while the unrolled steps are plain ops.
 *
 * Outputs: the six meta-trained weight tensors and the meta-loss of every meta-step.
 */
import * as tfjs from '@tensorflow/tfjs';
// Under the loader, importing autograph-ts converts this module's functions (run.ts stages them).
import 'autograph-ts';
import { type AnyTf, type Case, type Config, Rng, type Workload } from '../harness.ts';

/** tfjs (the union package: it registers the gradients), typed so that operators on tensors type-check. */
const tf: AnyTf = tfjs as unknown as AnyTf;

const HIDDEN = 40;
const TASKS = 25;
const K = 10;
const INNER_LR = 0.01;
const META_LR = 0.01;

/** The MLP on a batch of tasks: x [T, K, 1], each weight with a leading task axis. */
function forward(params: any[], x: any) {
  const [W1, b1, W2, b2, W3, b3] = params;
  const h1 = tf.relu(tf.matMul(x, W1) + b1);
  const h2 = tf.relu(tf.matMul(h1, W2) + b2);
  return tf.matMul(h2, W3) + b3;
}

/** The sum over the tasks of each task's mean squared error. */
function taskLosses(params: any[], x: any, y: any) {
  const err = forward(params, x) - y;
  return tf.sum(err * err) / K;
}

/** The meta-loss of the shared weights on one meta-batch: adapt to each task, then query. */
function makeMetaLoss(xs: any, ys: any, xq: any, yq: any, innerSteps: number) {
  return (...params: any[]) => {
    // one copy of the weights per task: [T, ...] (the broadcast's gradient sums over the tasks)
    let adapted = params.map((p) => p + tf.zeros([TASKS, ...(p.shape.length === 1 ? [1] : []), ...p.shape]));
    for (let step = 0; step < innerSteps; step++) {
      const grads = tf.grads((...q: any[]) => taskLosses(q, xs, ys))(adapted);
      adapted = adapted.map((p, i) => p - INNER_LR * grads[i]);
    }
    return taskLosses(adapted, xq, yq) / TASKS;
  };
}

function makeMaml(innerSteps: number) {
  /** `tasks`: [metaSteps, 4, T, K, 1], the support x, y and query x, y of each meta-batch. */
  return function maml(params: any[], tasks: any) {
    const losses = [];
    for (const batch of tasks) {
      const metaLoss = makeMetaLoss(batch[0], batch[1], batch[2], batch[3], innerSteps);
      const { value, grads } = tf.valueAndGrads(metaLoss)(params);
      params = params.map((p, i) => p - META_LR * grads[i]);
      losses.push(value);
    }
    return [...params, tf.stack(losses)];
  };
}

/** x uniform in [−5, 5), y = A sin(x − φ): [metaSteps, 4, T, K, 1]. */
function makeTasks(rng: Rng, metaSteps: number): Float32Array {
  const data = new Float32Array(metaSteps * 4 * TASKS * K);
  for (let s = 0; s < metaSteps; s++) {
    for (let t = 0; t < TASKS; t++) {
      const [amplitude, phase] = [0.1 + 4.9 * rng.uniform(1)[0]!, Math.PI * rng.uniform(1)[0]!];
      for (const [xRow, yRow] of [
        [0, 1],
        [2, 3],
      ] as const) {
        const x = rng.uniform(K, -5, 5);
        const at = (row: number, k: number) => ((s * 4 + row) * TASKS + t) * K + k;
        for (let k = 0; k < K; k++) {
          data[at(xRow, k)] = x[k]!;
          data[at(yRow, k)] = amplitude * Math.sin(x[k]! - phase);
        }
      }
    }
  }
  return data;
}

function build(config: Config): Case {
  const [metaSteps, innerSteps] = [config.metaSteps as number, config.innerSteps as number];
  const rng = new Rng(61);
  // Glorot (Xavier) normal initialization, zero biases
  const glorot = (fanIn: number, fanOut: number) =>
    rng.normal(fanIn * fanOut, Math.sqrt(2 / (fanIn + fanOut)));
  const params = [
    tf.tensor2d(glorot(1, HIDDEN), [1, HIDDEN]),
    tf.zeros([HIDDEN]),
    tf.tensor2d(glorot(HIDDEN, HIDDEN), [HIDDEN, HIDDEN]),
    tf.zeros([HIDDEN]),
    tf.tensor2d(glorot(HIDDEN, 1), [HIDDEN, 1]),
    tf.zeros([1]),
  ] as tfjs.Tensor[];
  const tasks = tf.tensor(makeTasks(rng, metaSteps), [metaSteps, 4, TASKS, K, 1]) as tfjs.Tensor;
  return {
    label: `T=${TASKS} K=${K} inner=${innerSteps} meta-steps=${metaSteps}`,
    params: { tasks: TASKS, k: K, hidden: HIDDEN, innerSteps, metaSteps, innerLr: INNER_LR, metaLr: META_LR },
    program: makeMaml(innerSteps),
    args: [params, tasks],
    outputs: [...params.map(() => 'float' as const), 'float'],
    examples: metaSteps * TASKS,
    describe: (out) => {
      const losses = Array.from(out[6]!, Number);
      return (
        `${metaSteps} × (${innerSteps} inner steps + outer gradient); meta-loss ` +
        (losses.length > 1
          ? `${losses[0]!.toFixed(2)} → ${losses.at(-1)!.toFixed(2)}`
          : losses[0]!.toFixed(2))
      );
    },
    tensors: [...params, tasks],
  };
}

export const maml: Workload = {
  name: 'maml',
  title: 'MAML',
  eagerTarget: 5,
  configs: (quick) =>
    quick
      ? [{ metaSteps: 1, innerSteps: 5 }]
      : [
          { metaSteps: 1, innerSteps: 1 },
          { metaSteps: 1, innerSteps: 5 },
          { metaSteps: 10, innerSteps: 5 },
        ],
  build,
};
