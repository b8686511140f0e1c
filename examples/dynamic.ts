// Dynamic shapes and lists in staged code (the README's "Dynamic shapes" section).
// Run with: node --import autograph-ts/register examples/dynamic.ts
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as ag from 'autograph-ts';

const w = tf.randomNormal([8, 16], 0, 1, 'float32', 7);

// One trace serves every batch size; the exported model keeps the batch dim dynamic.
const step = ag.stage(
  (x: any) => {
    const h = tf.zeros([x.shape[0], 16]); // x.shape[0] is the run-time batch size
    return (tf.relu(tf.matMul(x, w)) as any) + h; // TypeScript cannot type + on tensors
  },
  { inputSignature: [ag.spec([null, 8])] },
);
for (const batch of [3, 5]) console.log('step', batch, (await step(tf.ones([batch, 8]))).shape);
console.log('traces:', step.traceCount);
await step.exportOnnx([ag.spec(['batch', 8])], 'out/step.onnx');
console.log('wrote out/step.onnx (input0: float32[batch,8])');

// A list whose length the data decides: greedy decoding over a toy "model" (token → next token).
const nextToken = tf.tensor1d([0, 3, 0, 4, 2], 'int32'); // 1 → 3 → 4 → 2 → 0: 0 ends a sequence
const decode = ag.stage((tok: any) => {
  const tokens = [];
  while (tok != 0 && tokens.length < 50) {
    tokens.push(tok);
    tok = tf.gather(nextToken, tok);
  }
  return tf.stack(tokens);
});
for (const start of [1, 2]) (await decode(tf.scalar(start, 'int32'))).print();
console.log(decode.graph(tf.scalar(1, 'int32')).split('\n')[0]);
