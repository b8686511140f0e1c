// The README quick start, kept runnable: node --import autograph-ts/register examples/quickstart.ts
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as ag from 'autograph-ts';

const scale = 0.5; // closures and module variables are kept under the loader

// TypeScript cannot type `>` or `*` on tensors: values that may be tensors are typed `any`
function shrink(x: any, limit: number) {
  let steps = 0;
  while (x > limit) {
    // tensor comparison → tf.greater, its value read as the condition
    x = x * scale; // → tf.mul
    steps++;
  }
  return [x, steps];
}

const f = ag.convert(shrink);
console.log(f(40, 3)); // [ 2.5, 4 ]   exactly like shrink(40, 3)
const [t, n] = f(tf.scalar(40), 3) as [tf.Tensor, number];
t.print(); // Tensor 2.5
console.log(n); // 4
console.log(ag.toCode(shrink)); // the converted source
