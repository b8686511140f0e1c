// Training inside staged functions (the README's "Training and effects" section).
// Run with: node --import autograph-ts/register examples/training.ts
import * as tf from '@tensorflow/tfjs'; // the union package: gradients, optimizers, layers
import * as ag from 'autograph-ts';

// A tfjs-layers model trained one staged step per call: the weights and Adam's moments are inputs
// and outputs of the graph, written back after every call.
// (seeded initial weights: xor from an unlucky random start can stall in a local minimum)
const seeded = (seed: number) => tf.initializers.glorotUniform({ seed });
const model = tf.sequential({
  layers: [
    tf.layers.dense({ units: 8, activation: 'relu', inputShape: [2], kernelInitializer: seeded(5) }),
    tf.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: seeded(8) }),
  ],
});
const opt = tf.train.adam(0.05);
const xs = tf.tensor2d([
  [0, 0],
  [0, 1],
  [1, 0],
  [1, 1],
]);
const ys = tf.tensor2d([[0], [1], [1], [0]]); // xor

const step = ag.stage((x: tf.Tensor, y: tf.Tensor) => {
  if (tf.any(tf.isNaN(x)) as any) throw new RangeError('NaN in the batch'); // a staged check
  return opt.minimize(() => tf.losses.logLoss(y, model.apply(x) as tf.Tensor), true);
});
let loss = (await step(xs, ys)) as tf.Tensor;
const first = loss.dataSync()[0]!;
for (let i = 0; i < 300; i++) loss = (await step(xs, ys)) as tf.Tensor;
console.log(`xor loss: ${first.toFixed(3)} -> ${loss.dataSync()[0]!.toFixed(3)} after 301 staged steps`);
await step(tf.tensor2d([[Number.NaN, 0]]), tf.tensor2d([[0]])).catch((e: Error) =>
  console.log(`rejected: ${e.name}: ${e.message}`),
);

// Fitting to a tolerance inside one staged call: the loop around minimize is a staged while.
const w = tf.variable(tf.tensor([0, 0]));
const target = tf.tensor([3, -1]);
const sgd = tf.train.sgd(0.1);
const fit = ag.stage(() => {
  let loss: any = tf.sum(tf.square(tf.sub(w, target)));
  let steps = 0;
  while (loss > 1e-6 && steps < 1000) {
    loss = sgd.minimize(() => tf.sum(tf.square(tf.sub(w, target))), true);
    steps++;
  }
  return steps;
});
const steps = (await fit()) as tf.Tensor;
console.log(
  `w = [${Array.from(w.dataSync(), (v) => v.toFixed(3))}] after ${steps.dataSync()[0]} steps in one call`,
);
