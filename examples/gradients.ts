// Gradients through staged control flow (the README's "Gradients" section).
// Run with: node --import autograph-ts/register examples/gradients.ts
import * as tf from '@tensorflow/tfjs'; // the union package registers tfjs's gradients
import * as ag from 'autograph-ts';

// A loss with a data-dependent trip count: the forward loop stacks what the backward loop reads.
function loss(x: any) {
  let y = x;
  while ((tf.sum(y) as any) < 50) y = y * 2 + 1;
  return tf.sum(y * y);
}
const grad = ag.stage((x: tf.Tensor) => tf.grad(loss)(x));
(await grad(tf.tensor([1, 2]))).print(); // [992, 1504], as tf.grad(ag.convert(loss)) gives eagerly
await grad.exportOnnx([tf.tensor([1, 2])], 'out/grad.onnx');
console.log('wrote out/grad.onnx (the backward loop included)');

// Gradient descent to a tolerance, in one staged call: the training loop is a staged while.
const target: any = tf.tensor([3, -1]);
const distance = (w: any): any => tf.sum(tf.square(w - target));
const fit = ag.stage((w: any) => {
  let steps = 0;
  while (distance(w) > 1e-6 && steps < 1000) {
    w = w - 0.1 * (tf.grad(distance)(w) as any);
    steps++;
  }
  return [w, steps];
});
const [w, steps] = (await fit(tf.zeros([2]))) as tf.Tensor[];
w.print(); // ≈ [3, -1]
steps.print(); // the number of steps the graph took
