/**
 * seq2seq decoding (paper appendix 15.4, released seq2seq_benchmark.py), inference only: batch 32,
 * source/target length 64 or 128, with and without teacher forcing. One basic RNN cell (hidden 256)
 * and one embedding table (vocabulary 1000, width 50) serve the encoder and the decoder, as in the
 * paper. The encoder runs over the source, the state frozen past each sequence's length; the decoder
 * starts from EOS and feeds back the target token (teacher forcing) or the argmax of its logits
 * (greedy); a sequence is done once it emits EOS, and the loop breaks when all are.
 *
 * Unlike the paper's decoder, which takes the argmax of the 256-wide cell output as a token, ours
 * projects the state to vocabulary logits (h·W_out) and also returns each sequence's log-likelihood
 * (the sum of log-softmax at the chosen tokens), so that teacher forcing uses the logits too. Tokens
 * are random in [1, V) and EOS (0) past each target's length, as in the paper's data.
 */
import * as tfjs from '@tensorflow/tfjs-core';
// Under the loader, importing autograph-ts converts this module's functions (run.ts stages them).
import 'autograph-ts';
import { type Seq2SeqWeights, seq2seqGraph } from '../handbuilt/seq2seq.ts';
import { type AnyTf, type Case, type Config, paperLengths, Rng, type Workload } from '../harness.ts';

/** tfjs, typed so that operators on tensors type-check. */
const tf: AnyTf = tfjs;

const BATCH = 32;
const HIDDEN = 256;
const VOCAB = 1000;
const EMBEDDING = 50;
const EOS = 0;

interface Model {
  emb: any;
  U: any;
  W: any;
  b: any;
  Wout: any;
  /** int32 scalars (JS numbers would make int32 math float32). */
  one: any;
  eos: any;
}

/** The benchmark's program, closing over the model weights. */
function makeSeq2seq(m: Model, T: number) {
  const cell = (x: any, h: any) => tf.tanh(tf.matMul(x, m.U) + tf.matMul(h, m.W) + m.b);
  return function seq2seq(source: any, lens: any, targets: any, teacherForcing: boolean) {
    // encoder
    let h: any = tf.zeros([BATCH, HIDDEN]);
    let t: any = tf.scalar(0, 'int32');
    for (const tokens of source) {
      h = tf.where(t < lens, cell(tf.gather(m.emb, tokens), h), h);
      t = t + m.one;
    }
    // decoder
    let output: any = tf.zeros([BATCH, T], 'int32');
    let score: any = tf.zeros([BATCH]);
    let done: any = tf.zeros([BATCH], 'bool');
    let input: any = tf.gather(m.emb, tf.fill([BATCH], EOS, 'int32'));
    let i: any = tf.scalar(0, 'int32');
    while (i < T) {
      h = cell(input, h);
      const logp = tf.logSoftmax(tf.matMul(h, m.Wout));
      const word = teacherForcing ? tf.gather(targets, i) : tf.argMax(logp, 1);
      const live = tf.logicalNot(done);
      const atI = tf.oneHot(i, T, 1, 0, 'int32');
      output = output + tf.expandDims(tf.where(live, word, tf.zerosLike(word)), 1) * atI;
      score = score + tf.where(live, tf.sum(logp * tf.oneHot(word, VOCAB), 1), tf.zerosLike(score));
      input = tf.gather(m.emb, word);
      done = tf.logicalOr(done, tf.equal(word, m.eos));
      i = i + m.one;
      if (tf.all(done)) break;
    }
    return [output, score, h, i];
  };
}

/** Random token sequences [T, BATCH] (time-major) in [1, V), EOS past each sequence's length. */
function tokens(rng: Rng, T: number): { data: Int32Array; lens: Int32Array } {
  const lens = paperLengths(rng, BATCH, T);
  const data = new Int32Array(T * BATCH);
  for (let t = 0; t < T; t++)
    for (let b = 0; b < BATCH; b++) data[t * BATCH + b] = t < lens[b]! ? rng.int(1, VOCAB) : EOS;
  return { data, lens };
}

function build(config: Config): Case {
  const [T, teacherForcing] = [config.T as number, config.teacherForcing as boolean];
  const rng = new Rng(29);
  const w: Seq2SeqWeights = {
    emb: rng.uniform(VOCAB * EMBEDDING),
    U: rng.normal(EMBEDDING * HIDDEN, 1 / Math.sqrt(EMBEDDING)),
    W: rng.normal(HIDDEN * HIDDEN, 1 / Math.sqrt(HIDDEN)),
    b: rng.normal(HIDDEN, 0.1),
    Wout: rng.normal(HIDDEN * VOCAB, 1 / Math.sqrt(HIDDEN)),
  };
  const m: Model = {
    emb: tf.tensor2d(w.emb, [VOCAB, EMBEDDING]),
    U: tf.tensor2d(w.U, [EMBEDDING, HIDDEN]),
    W: tf.tensor2d(w.W, [HIDDEN, HIDDEN]),
    b: tf.tensor1d(w.b),
    Wout: tf.tensor2d(w.Wout, [HIDDEN, VOCAB]),
    one: tf.scalar(1, 'int32'),
    eos: tf.scalar(EOS, 'int32'),
  };
  const source = tokens(rng, T);
  const target = tokens(rng, T);
  const args = [
    tf.tensor2d(source.data, [T, BATCH], 'int32'),
    tf.tensor2d(source.lens, [BATCH, 1], 'int32'),
    tf.tensor2d(target.data, [T, BATCH], 'int32'),
    teacherForcing,
  ];
  const spec = { T, B: BATCH, H: HIDDEN, V: VOCAB, E: EMBEDDING, eos: EOS, teacherForcing };
  return {
    label: `B=${BATCH} T=${T} ${teacherForcing ? 'teacher forcing' : 'greedy'}`,
    params: { batch: BATCH, seqLen: T, teacherForcing, hidden: HIDDEN, vocab: VOCAB, embedding: EMBEDDING },
    program: makeSeq2seq(m, T),
    args,
    outputs: ['exact', 'float', 'float', 'exact'],
    handbuilt: seq2seqGraph(spec, w, source, target.data),
    examples: BATCH,
    describe: (out) => `${T} + ${Number(out[3]![0])} steps`,
    tensors: [...Object.values(m), ...args.slice(0, 3)],
  };
}

export const seq2seq: Workload = {
  name: 'seq2seq',
  title: 'seq2seq decoding',
  configs: (quick) =>
    quick
      ? [{ T: 64, teacherForcing: false }]
      : [64, 128].flatMap((T) => [true, false].map((teacherForcing) => ({ T, teacherForcing }))),
  build,
};
