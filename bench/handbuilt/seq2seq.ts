/**
 * Hand-written ONNX graph of seq2seq decoding (bench/workloads/seq2seq.ts): an encoder Loop with trip
 * count T and the length mask as a broadcasting Where; a decoder Loop with trip count T whose
 * condition output is "some sequence is not done", the chosen token's log-probability picked with
 * GatherElements, the step counter carried as int64. The greedy graph has no targets input.
 */
import type { HandBuilt } from '../harness.ts';
import { feed, info, Initializers, loopInputs, model, node, type OnnxNode, subgraph } from './onnx.ts';

export interface Seq2SeqWeights {
  emb: Float32Array;
  U: Float32Array;
  W: Float32Array;
  b: Float32Array;
  Wout: Float32Array;
}

export interface Seq2SeqSpec {
  T: number;
  B: number;
  H: number;
  V: number;
  E: number;
  eos: number;
  teacherForcing: boolean;
}

const INT32 = 6;
const BOOL = 9;

/** The RNN cell on embedded tokens `x` (prefix `p` for temporaries): the new state in `out`. */
const cell = (p: string, x: string, h: string, out: string): OnnxNode[] => [
  node('MatMul', [x, 'U'], [`${p}xu`]),
  node('MatMul', [h, 'W'], [`${p}hw`]),
  node('Add', [`${p}xu`, `${p}hw`], [`${p}pre`]),
  node('Add', [`${p}pre`, 'b'], [`${p}pre_b`]),
  node('Tanh', [`${p}pre_b`], [out]),
];

function encoderBody({ B, H }: Seq2SeqSpec) {
  return subgraph({
    name: 'encoder_step',
    inputs: loopInputs('t', 'cond', [['h', 'float32', [B, H]]]),
    outputs: [info('cond_out', 'bool', []), info('h_out', 'float32', [B, H])],
    nodes: [
      node('Gather', ['source', 't'], ['tok'], { axis: 0 }),
      node('Gather', ['emb', 'tok'], ['x'], { axis: 0 }),
      ...cell('e_', 'x', 'h', 'next'),
      node('Less', ['t', 'lens64'], ['live']),
      node('Where', ['live', 'next', 'h'], ['h_out']),
      node('Identity', ['cond'], ['cond_out']),
    ],
  });
}

function decoderBody(s: Seq2SeqSpec) {
  const { B, H, T, E } = s;
  const word = s.teacherForcing
    ? [node('Gather', ['targets', 'i'], ['word'], { axis: 0 })]
    : [
        node('ArgMax', ['logp'], ['word64'], { axis: 1, keepdims: 0 }),
        node('Cast', ['word64'], ['word'], { to: INT32 }),
      ];
  return subgraph({
    name: 'decoder_step',
    inputs: loopInputs('i', 'cond', [
      ['h', 'float32', [B, H]],
      ['x', 'float32', [B, E]],
      ['out', 'int32', [B, T]],
      ['score', 'float32', [B]],
      ['done', 'bool', [B]],
      ['n', 'int64', []],
    ]),
    outputs: [
      info('not_all_done', 'bool', []),
      info('h_out', 'float32', [B, H]),
      info('x_out', 'float32', [B, E]),
      info('out_out', 'int32', [B, T]),
      info('score_out', 'float32', [B]),
      info('done_out', 'bool', [B]),
      info('n_out', 'int64', []),
    ],
    nodes: [
      ...cell('d_', 'x', 'h', 'h_out'),
      node('MatMul', ['h_out', 'Wout'], ['logits']),
      node('LogSoftmax', ['logits'], ['logp'], { axis: 1 }),
      ...word,
      node('Not', ['done'], ['live']),
      // the token at position i (0 once done), and its log-probability
      node('Where', ['live', 'word', 'zero_i32'], ['kept']),
      node('Unsqueeze', ['kept', 'axis1'], ['kept_col']),
      node('Equal', ['positions', 'i'], ['at_i']),
      node('Where', ['at_i', 'kept_col', 'out'], ['out_out']),
      node('Unsqueeze', ['word', 'axis1'], ['word_col']),
      node('GatherElements', ['logp', 'word_col'], ['picked_col'], { axis: 1 }),
      node('Squeeze', ['picked_col', 'axis1'], ['picked']),
      node('Where', ['live', 'picked', 'zero_f32'], ['gained']),
      node('Add', ['score', 'gained'], ['score_out']),
      node('Gather', ['emb', 'word'], ['x_out'], { axis: 0 }),
      node('Equal', ['word', 'eos'], ['ended']),
      node('Or', ['done', 'ended'], ['done_out']),
      node('Add', ['n', 'one'], ['n_out']),
      // go on while some sequence is live
      node('Not', ['done_out'], ['live_out']),
      node('Cast', ['live_out'], ['live_i32'], { to: INT32 }),
      node('ReduceMax', ['live_i32'], ['any_live'], { keepdims: 0 }),
      node('Cast', ['any_live'], ['not_all_done'], { to: BOOL }),
    ],
  });
}

export function seq2seqGraph(
  s: Seq2SeqSpec,
  w: Seq2SeqWeights,
  source: { data: Int32Array; lens: Int32Array },
  targets: Int32Array,
): HandBuilt {
  const { T, B, H, V, E } = s;
  const init = new Initializers();
  init.f32('emb', [V, E], w.emb);
  init.f32('U', [E, H], w.U);
  init.f32('W', [H, H], w.W);
  init.f32('b', [H], w.b);
  init.f32('Wout', [H, V], w.Wout);
  init.f32('h0', [B, H], new Float32Array(B * H));
  init.i32('eos_tokens', [B], new Int32Array(B).fill(s.eos));
  init.i32('out0', [B, T], new Int32Array(B * T));
  init.f32('score0', [B], new Float32Array(B));
  init.bool('done0', [B], new Uint8Array(B));
  init.i32('eos', [], Int32Array.of(s.eos));
  init.i32('zero_i32', [], Int32Array.of(0));
  init.f32('zero_f32', [], Float32Array.of(0));
  init.i64(
    'positions',
    [T],
    Array.from({ length: T }, (_, k) => k),
  );
  init.i64('axis1', [1], [1]);
  init.i64('T', [], [T]);
  init.i64('zero', [], [0]);
  init.i64('one', [], [1]);
  init.bool('true', [], Uint8Array.of(1));
  const inputs = [info('source', 'int32', [T, B]), info('lens', 'int32', [B, 1])];
  if (s.teacherForcing) inputs.push(info('targets', 'int32', [T, B]));
  const bytes = model({
    name: 'seq2seq',
    inputs,
    outputs: [
      info('output', 'int32', [B, T]),
      info('score', 'float32', [B]),
      info('h', 'float32', [B, H]),
      info('steps', 'int32', []),
    ],
    initializers: init.list,
    nodes: [
      node('Cast', ['lens'], ['lens64'], { to: 7 }),
      node('Loop', ['T', 'true', 'h0'], ['h_enc'], { body: encoderBody(s) }),
      node('Gather', ['emb', 'eos_tokens'], ['x0'], { axis: 0 }),
      node(
        'Loop',
        ['T', 'true', 'h_enc', 'x0', 'out0', 'score0', 'done0', 'zero'],
        ['h', 'x_T', 'output', 'score', 'done_T', 'n_T'],
        {
          body: decoderBody(s),
        },
      ),
      node('Cast', ['n_T'], ['steps'], { to: INT32 }),
    ],
  });
  return {
    bytes,
    feeds: () => ({
      source: feed(source.data, [T, B]),
      lens: feed(source.lens, [B, 1]),
      ...(s.teacherForcing ? { targets: feed(targets, [T, B]) } : {}),
    }),
    outputNames: ['output', 'score', 'h', 'steps'],
  };
}
