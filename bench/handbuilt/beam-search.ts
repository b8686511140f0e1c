/**
 * Hand-written ONNX graph of the beam search (bench/workloads/beam-search.ts): the LSTM step written
 * out with Split and LogSoftmax, hypotheses kept as int64 token matrices written through a position
 * mask with Where, one Loop with trip count maxLen − 1 whose condition output is the stopping test,
 * the step counter carried as int64.
 */
import type { HandBuilt } from '../harness.ts';
import { feed, info, Initializers, loopInputs, model, node, type OnnxNode, subgraph } from './onnx.ts';

export interface DecoderWeights {
  emb: Float32Array;
  Wx: Float32Array;
  Wh: Float32Array;
  b: Float32Array;
  Wout: Float32Array;
  eosBias: Float32Array;
  eosMask: Float32Array;
}

export interface BeamSpec {
  V: number;
  L: number;
  H: number;
  E: number;
  K: number;
  init: number;
  eos: number;
  negInf: number;
}

const INT32 = 6;

/** One decoder step (prefix `p`): log-probabilities `${p}logp`, state `${p}h`, `${p}c`. */
function decoderStep(p: string, tokens: string, h: string, c: string): OnnxNode[] {
  return [
    node('Gather', ['emb', tokens], [`${p}x`], { axis: 0 }),
    node('MatMul', [`${p}x`, 'Wx'], [`${p}zx`]),
    node('MatMul', [h, 'Wh'], [`${p}zh`]),
    node('Add', [`${p}zx`, `${p}zh`], [`${p}z0`]),
    node('Add', [`${p}z0`, 'b'], [`${p}z`]),
    node('Split', [`${p}z`, 'gate_sizes'], [`${p}gi`, `${p}gf`, `${p}gg`, `${p}go`], { axis: 1 }),
    node('Sigmoid', [`${p}gi`], [`${p}i`]),
    node('Sigmoid', [`${p}gf`], [`${p}f`]),
    node('Tanh', [`${p}gg`], [`${p}g`]),
    node('Sigmoid', [`${p}go`], [`${p}o`]),
    node('Mul', [`${p}f`, c], [`${p}fc`]),
    node('Mul', [`${p}i`, `${p}g`], [`${p}ig`]),
    node('Add', [`${p}fc`, `${p}ig`], [`${p}c`]),
    node('Tanh', [`${p}c`], [`${p}tc`]),
    node('Mul', [`${p}o`, `${p}tc`], [`${p}h`]),
    node('MatMul', [`${p}h`, 'Wout'], [`${p}l0`]),
    node('Add', [`${p}l0`, 'eos_bias'], [`${p}logits`]),
    node('LogSoftmax', [`${p}logits`], [`${p}logp`], { axis: -1 }),
  ];
}

/** The best K of two hypothesis sets (prefix `p`): `${p}seq`, `${p}lp`. */
function best(p: string, seqA: string, lpA: string, seqB: string, lpB: string): OnnxNode[] {
  return [
    node('Concat', [lpA, lpB], [`${p}both_lp`], { axis: 0 }),
    node('TopK', [`${p}both_lp`, 'K'], [`${p}lp`, `${p}idx`], { axis: 0 }),
    node('Concat', [seqA, seqB], [`${p}both_seq`], { axis: 0 }),
    node('Gather', [`${p}both_seq`, `${p}idx`], [`${p}seq`], { axis: 0 }),
  ];
}

function weights(init: Initializers, s: BeamSpec, w: DecoderWeights): void {
  const { V, L, H, E, K } = s;
  init.f32('emb', [V, E], w.emb);
  init.f32('Wx', [E, 4 * H], w.Wx);
  init.f32('Wh', [H, 4 * H], w.Wh);
  init.f32('b', [4 * H], w.b);
  init.f32('Wout', [H, V], w.Wout);
  init.f32('eos_bias', [V], w.eosBias);
  init.f32('eos_mask', [V], w.eosMask);
  init.i64('gate_sizes', [4], [H, H, H, H]);
  init.i64('K', [1], [K]);
  init.i64('V', [], [V]);
  init.i64('init_token', [1], [s.init]);
  init.i64('eos', [], [s.eos]);
  init.i64('eos_1', [1], [s.eos]);
  init.i64('vocab_shape', [1], [V]);
  init.i64('flat_shape', [1], [K * V]);
  init.i64('tile_beam', [2], [K, 1]);
  init.i64(
    'positions',
    [L],
    Array.from({ length: L }, (_, k) => k),
  );
  init.i64('seq_zeros', [K, L - 1], new Array(K * (L - 1)).fill(0));
  init.i64(
    'fin_seq0',
    [K, L],
    Array.from({ length: K * L }, (_, k) => (k === 0 ? s.eos : 0)),
  );
  init.f32('neg_inf', [K - 1], new Float32Array(K - 1).fill(s.negInf));
  init.i64('trips', [], [L - 1]);
  init.i64('one', [], [1]);
  init.i64('axis1', [1], [1]);
  init.bool('true', [], Uint8Array.of(1));
}

/** The loop body: one decoding step, both hypothesis sets updated, the stopping test as condition. */
function loopBody(s: BeamSpec) {
  const { K, L, H } = s;
  return subgraph({
    name: 'beam_step',
    inputs: loopInputs('it', 'cond', [
      ['lp', 'float32', [K]],
      ['tok', 'int64', [K]],
      ['seq', 'int64', [K, L]],
      ['h', 'float32', [K, H]],
      ['c', 'float32', [K, H]],
      ['fin_seq', 'int64', [K, L]],
      ['fin_lp', 'float32', [K]],
      ['i', 'int64', []],
    ]),
    outputs: [
      info('keep_going', 'bool', []),
      info('lp_out', 'float32', [K]),
      info('tok_out', 'int64', [K]),
      info('seq_out', 'int64', [K, L]),
      info('h_out', 'float32', [K, H]),
      info('c_out', 'float32', [K, H]),
      info('fin_seq_out', 'int64', [K, L]),
      info('fin_lp_out', 'float32', [K]),
      info('i_out', 'int64', []),
    ],
    nodes: [
      ...decoderStep('s_', 'tok', 'h', 'c'),
      node('Unsqueeze', ['lp', 'axis1'], ['lp_col']),
      node('Add', ['lp_col', 's_logp'], ['cum']),
      node('Equal', ['positions', 'i'], ['at_i']),
      // finished: every live hypothesis ended with EOS now, against the finished ones
      node('Where', ['at_i', 'eos', 'seq'], ['ended_seq']),
      node('Gather', ['cum', 'eos'], ['ended_lp'], { axis: 1 }),
      ...best('f_', 'fin_seq', 'fin_lp', 'ended_seq', 'ended_lp'),
      node('Identity', ['f_seq'], ['fin_seq_out']),
      node('Identity', ['f_lp'], ['fin_lp_out']),
      // live: the best K continuations other than EOS
      node('Add', ['cum', 'eos_mask'], ['masked']),
      node('Reshape', ['masked', 'flat_shape'], ['flat']),
      node('TopK', ['flat', 'K'], ['lp_out', 'flat_idx'], { axis: 0 }),
      node('Div', ['flat_idx', 'V'], ['beam']),
      node('Mod', ['flat_idx', 'V'], ['tok_out']),
      node('Gather', ['seq', 'beam'], ['history'], { axis: 0 }),
      node('Unsqueeze', ['tok_out', 'axis1'], ['tok_col']),
      node('Where', ['at_i', 'tok_col', 'history'], ['seq_out']),
      node('Gather', ['s_h', 'beam'], ['h_out'], { axis: 0 }),
      node('Gather', ['s_c', 'beam'], ['c_out'], { axis: 0 }),
      node('Add', ['i', 'one'], ['i_out']),
      // stop when no live hypothesis can beat a finished one
      node('ReduceMin', ['fin_lp_out'], ['worst_finished'], { keepdims: 0 }),
      node('ReduceMax', ['lp_out'], ['best_live'], { keepdims: 0 }),
      node('Greater', ['worst_finished', 'best_live'], ['stop']),
      node('Not', ['stop'], ['keep_going']),
    ],
  });
}

export function beamSearchGraph(s: BeamSpec, w: DecoderWeights, state0: Float32Array): HandBuilt {
  const { K, L, H } = s;
  const init = new Initializers();
  weights(init, s, w);
  const bytes = model({
    name: 'beam_search',
    inputs: [info('h0', 'float32', [1, H]), info('c0', 'float32', [1, H])],
    outputs: [
      info('sequences', 'int32', [K, L]),
      info('logprobs', 'float32', [K]),
      info('steps', 'int32', []),
    ],
    initializers: init.list,
    nodes: [
      // seed: one step from the initial token, its top K as the live hypotheses
      ...decoderStep('p_', 'init_token', 'h0', 'c0'),
      node('Reshape', ['p_logp', 'vocab_shape'], ['start']),
      node('TopK', ['start', 'K'], ['lp0', 'tok0'], { axis: 0 }),
      node('Unsqueeze', ['tok0', 'axis1'], ['tok0_col']),
      node('Concat', ['tok0_col', 'seq_zeros'], ['seq0'], { axis: 1 }),
      node('Tile', ['p_h', 'tile_beam'], ['h_beam']),
      node('Tile', ['p_c', 'tile_beam'], ['c_beam']),
      node('Gather', ['start', 'eos_1'], ['start_eos'], { axis: 0 }),
      node('Concat', ['start_eos', 'neg_inf'], ['fin_lp0'], { axis: 0 }),
      node('Identity', ['one'], ['i0']),
      node(
        'Loop',
        ['trips', 'true', 'lp0', 'tok0', 'seq0', 'h_beam', 'c_beam', 'fin_seq0', 'fin_lp0', 'i0'],
        ['lp_T', 'tok_T', 'seq_T', 'h_T', 'c_T', 'fin_seq_T', 'fin_lp_T', 'i_T'],
        { body: loopBody(s) },
      ),
      // final collation: a live hypothesis may beat the finished ones
      ...best('o_', 'fin_seq_T', 'fin_lp_T', 'seq_T', 'lp_T'),
      node('Cast', ['o_seq'], ['sequences'], { to: INT32 }),
      node('Identity', ['o_lp'], ['logprobs']),
      node('Cast', ['i_T'], ['steps'], { to: INT32 }),
    ],
  });
  return {
    bytes,
    feeds: () => ({ h0: feed(state0, [1, H]), c0: feed(state0, [1, H]) }),
    outputNames: ['sequences', 'logprobs', 'steps'],
  };
}
