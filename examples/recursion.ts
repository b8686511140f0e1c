// Staged recursion (the README's "Recursion"): a TreeLSTM over trees given as tensors, staged once for
// every tree, run on ONNX Runtime as a loop with explicit stacks, exported, and trained.
// Run with: node --import autograph-ts/register examples/recursion.ts
import * as tf from '@tensorflow/tfjs'; // the union package registers tfjs's gradients
import * as ag from 'autograph-ts';

await tf.setBackend('cpu');
const [hidden, vocabulary] = [16, 20];
const weights = {
  embedding: tf.variable(tf.randomNormal([vocabulary, hidden], 0, 0.5, 'float32', 1)),
  gates: tf.variable(tf.randomNormal([2 * hidden, 5 * hidden], 0, 0.2, 'float32', 2)),
  bias: tf.variable(tf.zeros([5 * hidden])),
};

/** A binary tree as tensors: per node its children (-1 at a leaf) and its word; node 0 is the root. */
function treeTensors(tree: unknown): [tf.Tensor, tf.Tensor, tf.Tensor] {
  const [left, right, word]: number[][] = [[], [], []];
  const add = (t: unknown): number => {
    const i = left.push(-1) - 1;
    right.push(-1);
    word.push(typeof t === 'number' ? t : 0);
    if (Array.isArray(t)) [left[i], right[i]] = [add(t[0]), add(t[1])];
    return i;
  };
  add(tree);
  return [tf.tensor1d(left, 'int32'), tf.tensor1d(right, 'int32'), tf.tensor1d(word, 'int32')];
}

// TypeScript cannot type operators on tensors: these return `any`
const sigmoid = (x: any): any => tf.sigmoid(x);
const tanh = (x: any): any => tf.tanh(x);

/** The root's [h, c]: an ordinary recursive function whose base case tests a tensor. */
function encode(left: any, right: any, word: any): any {
  function node(i: any): any {
    if (tf.gather(left, i) < 0) {
      const x = tf.reshape(tf.gather(weights.embedding, tf.gather(word, i)), [1, hidden]);
      return [tanh(x), x];
    }
    const [hl, cl] = node(tf.gather(left, i));
    const [hr, cr] = node(tf.gather(right, i));
    const z: any = tf.matMul(tf.concat([hl, hr], 1), weights.gates);
    const [input, forgetLeft, forgetRight, output, update]: any[] = tf.split(z + weights.bias, 5, 1);
    const c = sigmoid(input) * tanh(update) + sigmoid(forgetLeft) * cl + sigmoid(forgetRight) * cr;
    return [sigmoid(output) * tanh(c), c];
  }
  return node(tf.scalar(0, 'int32'));
}

// one trace (the node count is a dynamic dim) serves every tree
const nodes = ag.spec(['nodes'], 'int32');
const staged = ag.stage(encode, { inputSignature: [nodes, nodes, nodes] });
const eager = ag.convert(encode);
for (const tree of [
  3,
  [1, 2],
  [
    [4, 5],
    [6, [7, 8]],
  ],
]) {
  const args = treeTensors(tree);
  const [h] = (await staged(...args)) as tf.Tensor[];
  const gap = tf.max(tf.abs(tf.sub(h!, eager(...args)[0]))).dataSync()[0]!;
  console.log(
    `tree ${JSON.stringify(tree)}: h[0..3] = ${Array.from(h!.dataSync().slice(0, 3), (v) => v.toFixed(4))}, max |staged - eager| = ${gap.toExponential(1)}`,
  );
}
console.log(`${staged.traceCount} trace; the IR calls node#1 from node#1:`);
console.log(
  staged
    .graph(nodes, nodes, nodes)
    .split('\n')
    .filter((l) => l.includes('call(') || l.startsWith('func'))
    .join('\n'),
);
await staged.exportOnnx([nodes, nodes, nodes], 'out/tree-lstm.onnx');
console.log('wrote out/tree-lstm.onnx (the recursion as a Loop with explicit stacks)');

// a training step, staged: gradients flow through the recursive calls to the weights
const optimizer = tf.train.adam(0.05);
const target: any = tf.ones([1, hidden]);
const step = ag.stage((left: any, right: any, word: any) =>
  optimizer.minimize(() => tf.sum(tf.square(encode(left, right, word)[0] - target)) as tf.Scalar, true),
);
const trainingTree = treeTensors([
  [1, 2],
  [3, [4, 5]],
]);
const losses: number[] = [];
for (let i = 0; i < 30; i++) losses.push((await step(...trainingTree)).dataSync()[0]!);
console.log(
  `loss ${losses[0]!.toFixed(4)} -> ${losses.at(-1)!.toFixed(4)} after ${losses.length} staged training steps`,
);
