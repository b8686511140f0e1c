/**
 * Beam search (paper appendix 15.1, released beam_search_benchmark.py): beam 5 over a fake decoder, an
 * LSTM cell (hidden 256) on the embedding of the previous token whose logits are h·W_out with random
 * weights, vocabulary × maximum length. The loop keeps 5 live and 5 finished hypotheses and breaks as
 * soon as no live one can beat a finished one (a data-dependent break), then collates both.
 *
 * EOS: the paper's decoder suppresses it (logit −10000), so its search never stops early. Here its
 * logit is lowered by EOS_PENALTY = 50 nats instead: finished hypotheses exist from the first step but
 * lose to live ones until those have decayed by about 50 nats (1–1.2 nats per step with these
 * weights), so a maximum length of 20 runs to the end and a maximum of 80 stops early (at step 56 for
 * vocabulary 1000, 42 for 10000).
 *
 * Sequences are fixed-shape [beam, maxLen] int32 tensors written through one-hot position masks (the
 * paper pads slices for the same reason: loop variables keep their shapes).
 */
import * as tfjs from '@tensorflow/tfjs-core';
// Under the loader, importing autograph-ts converts this module's functions (run.ts stages them).
import 'autograph-ts';
import { beamSearchGraph, type DecoderWeights } from '../handbuilt/beam-search.ts';
import { type AnyTf, type Case, type Config, Rng, type Workload } from '../harness.ts';

/** tfjs, typed so that operators on tensors type-check. */
const tf: AnyTf = tfjs;

const BEAM = 5;
const HIDDEN = 256;
const EMBEDDING = 64;
const INIT_TOKEN = 1;
const EOS = 2;
const EOS_PENALTY = 50;
const NEG_INF = -1e10;

interface Decoder {
  emb: any;
  Wx: any;
  Wh: any;
  b: any;
  Wout: any;
  /** −EOS_PENALTY at EOS, 0 elsewhere: added to the logits. */
  eosBias: any;
  /** NEG_INF at EOS: keeps finished continuations out of the live beams. */
  eosMask: any;
  /** int32 scalars: 1, EOS and the vocabulary size (JS numbers would make int32 math float32). */
  one: any;
  eos: any;
  vocab: any;
}

/** The benchmark's program, closing over the decoder weights. */
function makeBeamSearch(d: Decoder, vocab: number, maxLen: number) {
  /** One LSTM step on the previous tokens; returns the next-token log-probabilities and the state. */
  function decode(tokens: any, h: any, c: any): any[] {
    const z = tf.matMul(tf.gather(d.emb, tokens), d.Wx) + tf.matMul(h, d.Wh) + d.b;
    const [zi, zf, zg, zo] = tf.split(z, 4, 1);
    const c2 = tf.sigmoid(zf) * c + tf.sigmoid(zi) * tf.tanh(zg);
    const h2 = tf.sigmoid(zo) * tf.tanh(c2);
    return [tf.logSoftmax(tf.matMul(h2, d.Wout) + d.eosBias), h2, c2];
  }
  /** The best BEAM of two sets of hypotheses. */
  function best(seqA: any, lpA: any, seqB: any, lpB: any): any[] {
    const top = tf.topk(tf.concat([lpA, lpB], 0), BEAM);
    return [tf.gather(tf.concat([seqA, seqB], 0), top.indices), top.values];
  }
  return function beamSearch(h0: any, c0: any) {
    const [lp0, h1, c1] = decode(tf.tensor1d([INIT_TOKEN], 'int32'), h0, c0);
    const start = tf.reshape(lp0, [vocab]);
    const first = tf.topk(start, BEAM);
    let aliveLp = first.values;
    let aliveTok = first.indices;
    let aliveSeq = tf.expandDims(aliveTok, 1) * tf.oneHot(tf.zeros([BEAM], 'int32'), maxLen, 1, 0, 'int32');
    let h = tf.tile(h1, [BEAM, 1]);
    let c = tf.tile(c1, [BEAM, 1]);
    // one finished hypothesis, the empty sequence [EOS]; the other slots hold nothing (NEG_INF)
    let finSeq = tf.reshape(tf.oneHot(tf.tensor1d([0], 'int32'), BEAM * maxLen, EOS, 0, 'int32'), [
      BEAM,
      maxLen,
    ]);
    let finLp = tf.concat([tf.slice(start, [EOS], [1]), tf.fill([BEAM - 1], NEG_INF)], 0);
    let i = tf.scalar(1, 'int32');
    while (i < maxLen) {
      const [lp, h2, c2] = decode(aliveTok, h, c);
      const cumulative = tf.expandDims(aliveLp, 1) + lp;
      const atI = tf.oneHot(i, maxLen, 1, 0, 'int32');
      // every live hypothesis, finished with EOS now, competes with the finished ones
      const eosLp = tf.reshape(tf.slice(cumulative, [0, EOS], [BEAM, 1]), [BEAM]);
      [finSeq, finLp] = best(finSeq, finLp, aliveSeq + d.eos * atI, eosLp);
      // the best BEAM continuations without EOS stay live
      const top = tf.topk(tf.reshape(cumulative + d.eosMask, [BEAM * vocab]), BEAM);
      const beam = tf.floorDiv(top.indices, d.vocab);
      aliveTok = tf.mod(top.indices, d.vocab);
      aliveLp = top.values;
      aliveSeq = tf.gather(aliveSeq, beam) + tf.expandDims(aliveTok, 1) * atI;
      h = tf.gather(h2, beam);
      c = tf.gather(c2, beam);
      i = i + d.one;
      if (tf.min(finLp) > tf.max(aliveLp)) break;
    }
    const [sequences, logprobs] = best(finSeq, finLp, aliveSeq, aliveLp);
    return [sequences, logprobs, i];
  };
}

function build(config: Config): Case {
  const [V, L] = [config.vocab as number, config.maxLen as number];
  const rng = new Rng(23);
  const H = HIDDEN;
  const eosAt = (value: number) => Float32Array.from({ length: V }, (_, k) => (k === EOS ? value : 0));
  const w: DecoderWeights = {
    emb: rng.normal(V * EMBEDDING, 1),
    Wx: rng.normal(EMBEDDING * 4 * H, 1 / Math.sqrt(EMBEDDING)),
    Wh: rng.normal(H * 4 * H, 1 / Math.sqrt(H)),
    b: new Float32Array(4 * H),
    Wout: rng.normal(H * V, 1),
    eosBias: eosAt(-EOS_PENALTY),
    eosMask: eosAt(NEG_INF),
  };
  const d: Decoder = {
    emb: tf.tensor2d(w.emb, [V, EMBEDDING]),
    Wx: tf.tensor2d(w.Wx, [EMBEDDING, 4 * H]),
    Wh: tf.tensor2d(w.Wh, [H, 4 * H]),
    b: tf.tensor1d(w.b),
    Wout: tf.tensor2d(w.Wout, [H, V]),
    eosBias: tf.tensor1d(w.eosBias),
    eosMask: tf.tensor1d(w.eosMask),
    one: tf.scalar(1, 'int32'),
    eos: tf.scalar(EOS, 'int32'),
    vocab: tf.scalar(V, 'int32'),
  };
  const zeros = new Float32Array(H);
  const args = [tf.tensor2d(zeros, [1, H]), tf.tensor2d(zeros, [1, H])];
  return {
    label: `V=${V} L=${L}`,
    params: { beam: BEAM, vocab: V, maxLen: L, hidden: H, embedding: EMBEDDING, eosPenalty: EOS_PENALTY },
    program: makeBeamSearch(d, V, L),
    args,
    outputs: ['exact', 'float', 'exact'],
    handbuilt: beamSearchGraph(
      { V, L, H, E: EMBEDDING, K: BEAM, init: INIT_TOKEN, eos: EOS, negInf: NEG_INF },
      w,
      zeros,
    ),
    describe: (out) => {
      const steps = Number(out[2]![0]);
      return steps < L ? `stops at step ${steps} of ${L}` : `runs to ${L}`;
    },
    tensors: [...Object.values(d), ...args],
  };
}

export const beamSearch: Workload = {
  name: 'beam',
  title: 'Beam search',
  configs: (quick) =>
    quick
      ? [{ vocab: 1000, maxLen: 20 }]
      : [1000, 10000].flatMap((vocab) => [20, 80].map((maxLen) => ({ vocab, maxLen }))),
  build,
};
