/**
 * Hand-written ONNX graph of the basic RNN (paper Table 1's "handwritten" tf.while_loop): one Loop
 * with a static trip count T, gathering x_t by the iteration number, the sequence-length mask as a
 * broadcasting Where, nothing carried but the state.
 */
import type { HandBuilt } from '../harness.ts';
import { feed, info, Initializers, loopInputs, model, node, subgraph } from './onnx.ts';

export interface RnnWeights {
  U: Float32Array;
  W: Float32Array;
  b: Float32Array;
}

export function rnnGraph(
  { T, B, F, H }: { T: number; B: number; F: number; H: number },
  w: RnnWeights,
  xs: Float32Array,
  lens: Int32Array,
): HandBuilt {
  const init = new Initializers();
  init.f32('U', [F, H], w.U);
  init.f32('W', [H, H], w.W);
  init.f32('b', [H], w.b);
  init.f32('h0', [B, H], new Float32Array(B * H));
  init.i64('T', [], [T]);
  init.bool('true', [], Uint8Array.of(1));
  const body = subgraph({
    name: 'rnn_step',
    inputs: loopInputs('t', 'cond', [['h', 'float32', [B, H]]]),
    outputs: [info('cond_out', 'bool', []), info('h_out', 'float32', [B, H])],
    nodes: [
      node('Gather', ['xs', 't'], ['x_t'], { axis: 0 }),
      node('MatMul', ['x_t', 'U'], ['xu']),
      node('MatMul', ['h', 'W'], ['hw']),
      node('Add', ['xu', 'hw'], ['pre']),
      node('Add', ['pre', 'b'], ['pre_b']),
      node('Tanh', ['pre_b'], ['next']),
      node('Less', ['t', 'lens64'], ['live']),
      node('Where', ['live', 'next', 'h'], ['h_out']),
      node('Identity', ['cond'], ['cond_out']),
    ],
  });
  const bytes = model({
    name: 'rnn',
    inputs: [info('xs', 'float32', [T, B, F]), info('lens', 'int32', [B, 1])],
    outputs: [info('h_T', 'float32', [B, H])],
    initializers: init.list,
    nodes: [
      node('Cast', ['lens'], ['lens64'], { to: 7 }),
      node('Loop', ['T', 'true', 'h0'], ['h_T'], { body }),
    ],
  });
  return {
    bytes,
    feeds: () => ({ xs: feed(xs, [T, B, F]), lens: feed(lens, [B, 1]) }),
    outputNames: ['h_T'],
  };
}
