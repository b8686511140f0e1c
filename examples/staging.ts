// The README staging example, kept runnable: node --import autograph-ts/register examples/staging.ts
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as ag from 'autograph-ts';

await tf.setBackend('cpu');

// TypeScript cannot type operators on tensors: values that may be tensors are typed `any`
const f = ag.stage((x: any, steps: number) => {
  let i = 0;
  while ((tf.sum(x) as any) > 1 && i < steps) {
    x = x * 0.5;
    i += 1;
  }
  return [x, i];
});
const [x, i] = await f(tf.ones([4]), 10);
x.print();
i.print();
console.log(f.graph(tf.ones([4]), 10));
