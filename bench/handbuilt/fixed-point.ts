/**
 * Hand-written ONNX graph of the fixed-point iteration (bench/workloads/fixed-point.ts): a Loop with
 * trip count maxIterations whose condition output is ‖Δx‖ ≥ ε (ReduceSumSquare + Sqrt), the
 * iteration count carried as float32 (the program's counter is a JS number, staged as float32).
 */
import type { HandBuilt } from '../harness.ts';
import { feed, info, Initializers, loopInputs, model, node, subgraph } from './onnx.ts';

export function fixedPointGraph(
  { H, eps, maxIterations }: { H: number; eps: number; maxIterations: number },
  W: Float32Array,
  b: Float32Array,
  x0: Float32Array,
): HandBuilt {
  const init = new Initializers();
  init.f32('W', [H, H], W);
  init.f32('b', [1, H], b);
  init.f32('eps', [], Float32Array.of(eps));
  init.f32('zero', [], Float32Array.of(0));
  init.f32('one', [], Float32Array.of(1));
  init.i64('max_iterations', [], [maxIterations]);
  init.bool('true', [], Uint8Array.of(1));
  const body = {
    name: 'fixed_point_step',
    inputs: loopInputs('it', 'cond', [
      ['x', 'float32', [1, H]],
      ['n', 'float32', []],
    ]),
    outputs: [info('cond_out', 'bool', []), info('x_out', 'float32', [1, H]), info('n_out', 'float32', [])],
    nodes: [
      node('MatMul', ['x', 'W'], ['xw']),
      node('Add', ['xw', 'b'], ['pre']),
      node('Tanh', ['pre'], ['x_out']),
      node('Sub', ['x_out', 'x'], ['dx']),
      node('ReduceSumSquare', ['dx'], ['sq'], { keepdims: 0 }),
      node('Sqrt', ['sq'], ['delta']),
      node('GreaterOrEqual', ['delta', 'eps'], ['cond_out']),
      node('Add', ['n', 'one'], ['n_out']),
    ],
  };
  const bytes = model({
    name: 'fixed_point',
    inputs: [info('x0', 'float32', [1, H])],
    outputs: [info('x', 'float32', [1, H]), info('n', 'float32', [])],
    initializers: init.list,
    nodes: [node('Loop', ['max_iterations', 'true', 'x0', 'zero'], ['x', 'n'], { body: subgraph(body) })],
  });
  return { bytes, feeds: () => ({ x0: feed(x0, [1, H]) }), outputNames: ['x', 'n'] };
}
