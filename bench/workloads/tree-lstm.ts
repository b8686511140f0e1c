/**
 * TreeLSTM (paper §9.1, Table 3: AutoGraph targeting Lantern; Tai et al. 2015, the binary N-ary
 * Tree-LSTM of their Stanford Sentiment Treebank model): hidden 150, word embeddings of dimension
 * 300 (Tai et al.'s GloVe size) from a vocabulary of 1,000 random vectors, a 5-class sentiment
 * softmax; weights seeded. Trees are random binary bracketings (every split point of a span equally
 * likely) of 10 to 50 leaves with uniform word ids, seeded: the shape of a treebank's binarized
 * constituency trees, not their statistics.
 *
 * The tree is given as TENSORS, the formulation of the paper's Lantern TreeLSTM: int32 `left`,
 * `right` (child node ids, -1 at a leaf), `words` (the word id at a leaf) and `root` (a scalar), node
 * ids in post-order (children before parents; the root is the last node). Every tree is padded to 99
 * nodes (50 leaves), so each tree has the same input signature. The program is an ordinary recursive
 * function: `node(i)`, declared inside the program (it closes over the weights and the tree), tests
 * `left[i] < 0` with a native `if` on a tensor condition, so the recursion is decided by a tensor.
 * Eagerly the condition is read and the recursion runs as JS recursion; staged, `node` is traced once
 * as an IR function that calls itself (issue 15), and one trace serves every tree (each case stages
 * its own functions: one trace per case and executor; the stream case runs its 10 trees on it).
 *
 * Two programs, batch size 1 (as the paper's Table 3):
 * - `infer`: the root's hidden state and its sentiment distribution (softmax over 5 classes);
 * - `train`: the summed cross-entropy over every node (the treebank labels every phrase; labels
 *   here are random) and its gradients with respect to the six weight tensors of the cell and the
 *   classifier (`tf.valueAndGrads` inside the program, as maml.ts does): one SGD step's work without
 *   the update (Table 3 counts SGD steps per second). The embedding table is fixed (pre-trained word
 *   vectors): its gradient, tfjs's UnsortedSegmentSum of [1000, 300] rows per leaf, made eager-cpu
 *   training 1.9 s per 25-leaf tree (1 s of it in that kernel) and has no kernel on the wasm backend.
 *   Without it eager training still costs about 16× inference: tfjs's tape adds up the full [300, 750]
 *   gradient of U at every inner node (Add is half the kernel time).
 *
 * Cases: one tree per call (10, 25 and 50 leaves), and a stream of 10 trees of 10–50 leaves per
 * measured call (one staged call per tree: Case.drive), which one trace serves. No hand-built ONNX
 * graph (n/a): ONNX has no recursion.
 */
import * as tfjs from '@tensorflow/tfjs';
// Under the loader, importing autograph-ts converts this module's functions (run.ts stages them).
import 'autograph-ts';
import { type AnyTf, type Case, type Config, type OutputKind, Rng, type Workload } from '../harness.ts';

/** tfjs (the union package: it registers the gradients), typed so that operators on tensors type-check. */
const tf: AnyTf = tfjs as unknown as AnyTf;

const HIDDEN = 150;
const EMBEDDING = 300;
const VOCABULARY = 1000;
const CLASSES = 5;
const MAX_LEAVES = 50;
/** Every tree is padded to this many nodes: one input signature for all trees. */
const MAX_NODES = 2 * MAX_LEAVES - 1;
/** Trees of the stream cases. */
const STREAM = 10;

// ---------------------------------------------------------------------------------------------
// The model and the two programs

/** The weights, in the order of the arrays the programs take (and of their gradients). */
const WEIGHT_NAMES = ['embedding', 'W', 'bW', 'U', 'bU', 'Ws', 'bs'] as const;

/** A leaf: its word's embedding through the input, output and update gates (no children, no forget gate). */
function leafCell(p: any, word: any) {
  const x = tf.expandDims(tf.gather(p.embedding, word), 0);
  const [i, o, u] = tf.split(tf.matMul(x, p.W) + p.bW, 3, 1);
  const c = tf.sigmoid(i) * tf.tanh(u);
  return [tf.sigmoid(o) * tf.tanh(c), c];
}

/** An inner node (Tai et al. eq. 9–14 with N = 2): input, one forget gate per child, output, update. */
function composeCell(p: any, hl: any, cl: any, hr: any, cr: any) {
  const gates = tf.matMul(tf.concat([hl, hr], 1), p.U) + p.bU;
  const [i, fl, fr, o, u] = tf.split(gates, 5, 1);
  const c = tf.sigmoid(i) * tf.tanh(u) + tf.sigmoid(fl) * cl + tf.sigmoid(fr) * cr;
  return [tf.sigmoid(o) * tf.tanh(c), c];
}

/** The sentiment logits of a node's hidden state, [1, CLASSES]. */
const classify = (p: any, h: any) => tf.matMul(h, p.Ws) + p.bs;

/** The cross-entropy of a node's sentiment against its label (an int32 scalar). */
const nodeLoss = (p: any, h: any, label: any) =>
  tf.losses.softmaxCrossEntropy(tf.oneHot(tf.expandDims(label, 0), CLASSES), classify(p, h));

function named(weights: any[]) {
  const [embedding, W, bW, U, bU, Ws, bs] = weights;
  return { embedding, W, bW, U, bU, Ws, bs };
}

/** Inference: the root's hidden state [1, HIDDEN] and sentiment distribution [1, CLASSES]. */
function infer(weights: any[], left: any, right: any, words: any, root: any) {
  const p = named(weights);
  // [h, c] of node i (an int32 scalar): its subtree, encoded bottom-up
  function node(i: any): any[] {
    if (tf.gather(left, i) < 0) return leafCell(p, tf.gather(words, i));
    const [hl, cl] = node(tf.gather(left, i));
    const [hr, cr] = node(tf.gather(right, i));
    return composeCell(p, hl, cl, hr, cr);
  }
  const [h] = node(root);
  return [h, tf.softmax(classify(p, h))];
}

/**
 * Training: the cross-entropy summed over every node, and its gradients with respect to the weights
 * (the embedding table stays fixed, as pre-trained word vectors often are).
 */
function train(weights: any[], left: any, right: any, words: any, labels: any, root: any) {
  const [embedding, ...trained] = weights;
  const treeLoss = (...w: any[]) => {
    const p = named([embedding, ...w]);
    // [h, c, the cross-entropy summed over the subtree's nodes] of node i
    function node(i: any): any[] {
      const label = tf.gather(labels, i);
      if (tf.gather(left, i) < 0) {
        const [h, c] = leafCell(p, tf.gather(words, i));
        return [h, c, nodeLoss(p, h, label)];
      }
      const [hl, cl, lossLeft] = node(tf.gather(left, i));
      const [hr, cr, lossRight] = node(tf.gather(right, i));
      const [h, c] = composeCell(p, hl, cl, hr, cr);
      return [h, c, lossLeft + lossRight + nodeLoss(p, h, label)];
    }
    return node(root)[2];
  };
  const { value, grads } = tf.valueAndGrads(treeLoss)(trained);
  return [value, ...grads];
}

// ---------------------------------------------------------------------------------------------
// Data

interface Tree {
  left: Int32Array;
  right: Int32Array;
  words: Int32Array;
  labels: Int32Array;
  root: number;
  leaves: number;
  nodes: number;
  depth: number;
}

/** A random binary bracketing of `leaves` words, node ids in post-order, padded to MAX_NODES. */
function randomTree(rng: Rng, leaves: number): Tree {
  const left = new Int32Array(MAX_NODES).fill(-1);
  const right = new Int32Array(MAX_NODES).fill(-1);
  const words = new Int32Array(MAX_NODES);
  const labels = new Int32Array(MAX_NODES);
  let next = 0;
  let depth = 0;
  // a span of `n` leaves at `level`: its children first, then itself
  const span = (n: number, level: number): number => {
    depth = Math.max(depth, level);
    let l = -1;
    let r = -1;
    if (n > 1) {
      const k = rng.int(1, n);
      l = span(k, level + 1);
      r = span(n - k, level + 1);
    }
    const id = next++;
    [left[id], right[id]] = [l, r];
    if (n === 1) words[id] = rng.int(0, VOCABULARY);
    labels[id] = rng.int(0, CLASSES);
    return id;
  };
  const root = span(leaves, 0);
  return { left, right, words, labels, root, leaves, nodes: next, depth };
}

/** A tree's tensors, in the programs' argument order after the weights (labels for training only). */
function treeTensors(t: Tree, withLabels: boolean): tfjs.Tensor[] {
  return [
    tfjs.tensor1d(t.left, 'int32'),
    tfjs.tensor1d(t.right, 'int32'),
    tfjs.tensor1d(t.words, 'int32'),
    ...(withLabels ? [tfjs.tensor1d(t.labels, 'int32')] : []),
    tfjs.scalar(t.root, 'int32'),
  ];
}

function makeWeights(rng: Rng): tfjs.Tensor[] {
  const shapes: Record<(typeof WEIGHT_NAMES)[number], [number[], number]> = {
    embedding: [[VOCABULARY, EMBEDDING], 0.3],
    W: [[EMBEDDING, 3 * HIDDEN], 1 / Math.sqrt(EMBEDDING)],
    bW: [[3 * HIDDEN], 0.1],
    U: [[2 * HIDDEN, 5 * HIDDEN], 1 / Math.sqrt(2 * HIDDEN)],
    bU: [[5 * HIDDEN], 0.1],
    Ws: [[HIDDEN, CLASSES], 1 / Math.sqrt(HIDDEN)],
    bs: [[CLASSES], 0.1],
  };
  return WEIGHT_NAMES.map((name) => {
    const [shape, std] = shapes[name];
    return tfjs.tensor(
      rng.normal(
        shape.reduce((a, b) => a * b, 1),
        std,
      ),
      shape,
    );
  });
}

// ---------------------------------------------------------------------------------------------
// Cases

/** Leaves of the stream's trees: 10 to 50, the first 10 and the second 50 (both ends present). */
const streamLeaves = (rng: Rng) =>
  Array.from({ length: STREAM }, (_, i) =>
    i === 0 ? 10 : i === 1 ? MAX_LEAVES : rng.int(10, MAX_LEAVES + 1),
  );

function build(config: Config): Case {
  const mode = config.mode as 'infer' | 'train';
  const rng = new Rng(151);
  const weights = makeWeights(rng);
  const treeRng = new Rng(157);
  const leaves = config.leaves === 'stream' ? streamLeaves(treeRng) : [config.leaves as number];
  const trees = leaves.map((n) => randomTree(treeRng, n));
  const training = mode === 'train';
  const data = trees.map((t) => treeTensors(t, training));
  const program = training ? train : infer;
  const outputs: OutputKind[] = training
    ? ['float', ...weights.slice(1).map(() => 'float' as const)]
    : ['float', 'float'];
  const shape = trees.length === 1 ? `${trees[0]!.nodes} nodes, depth ${trees[0]!.depth}` : '';
  return {
    label:
      trees.length === 1
        ? `${mode} ${leaves[0]} leaves`
        : `${mode} ${trees.length} trees of ${Math.min(...leaves)}–${Math.max(...leaves)} leaves`,
    params: {
      mode,
      trees: trees.length,
      leaves: leaves.join(','),
      hidden: HIDDEN,
      embedding: EMBEDDING,
      vocabulary: VOCABULARY,
      paddedNodes: MAX_NODES,
    },
    program,
    args: [weights, ...data[0]!],
    drive: async (step) => {
      const results = [];
      for (const tree of data) results.push(await step(weights, ...tree));
      return results;
    },
    outputs: trees.flatMap(() => [...outputs]),
    examples: trees.length,
    describe: (out) =>
      training
        ? `${trees.length > 1 ? `${trees.reduce((n, t) => n + t.nodes, 0)} nodes; ` : `${shape}; `}` +
          `loss ${trees.reduce((sum, _, k) => sum + Number(out[k * outputs.length]![0]), 0).toFixed(2)}`
        : shape ||
          `${trees.reduce((n, t) => n + t.nodes, 0)} nodes, depth ≤ ${Math.max(...trees.map((t) => t.depth))}`,
    tensors: [...weights, ...data.flat()],
  };
}

export const treeLstm: Workload = {
  name: 'tree-lstm',
  title: 'TreeLSTM (Table 3)',
  eagerTarget: 2.5,
  configs: (quick): Config[] =>
    quick
      ? [
          { mode: 'infer', leaves: 25 },
          { mode: 'train', leaves: 25 },
        ]
      : (['infer', 'train'] as const).flatMap((mode) =>
          [10, 25, 50, 'stream'].map((leaves) => ({ mode, leaves })),
        ),
  build,
};
