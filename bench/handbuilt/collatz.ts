/**
 * Hand-written ONNX graphs of the Collatz workload (bench/workloads/collatz.ts): a Loop with no trip
 * count whose condition output is the loop test. The batch graph tests max(n) > 1 (the same as
 * any(n > 1)); the scalar graph selects the next value with Where (both arms are one scalar op, which
 * is cheaper than running an If subgraph).
 */
import type { HandBuilt } from '../harness.ts';
import { feed, info, Initializers, loopInputs, model, node, subgraph } from './onnx.ts';

const INT32 = 6;

export function collatzBatchGraph(start: Int32Array): HandBuilt {
  const N = start.length;
  const init = new Initializers();
  init.i32('one', [], Int32Array.of(1));
  init.i32('two', [], Int32Array.of(2));
  init.i32('three', [], Int32Array.of(3));
  init.i32('zero', [], Int32Array.of(0));
  init.i32('steps0', [N], new Int32Array(N));
  const body = {
    name: 'collatz_step',
    inputs: loopInputs('it', 'cond', [
      ['n', 'int32', [N]],
      ['steps', 'int32', [N]],
    ]),
    outputs: [info('cond_out', 'bool', []), info('n_out', 'int32', [N]), info('steps_out', 'int32', [N])],
    nodes: [
      node('Greater', ['n', 'one'], ['active']),
      node('Mod', ['n', 'two'], ['parity']),
      node('Equal', ['parity', 'zero'], ['even']),
      node('Div', ['n', 'two'], ['half']),
      node('Mul', ['n', 'three'], ['triple']),
      node('Add', ['triple', 'one'], ['odd_next']),
      node('Where', ['even', 'half', 'odd_next'], ['next']),
      node('Where', ['active', 'next', 'n'], ['n_out']),
      node('Cast', ['active'], ['counted'], { to: INT32 }),
      node('Add', ['steps', 'counted'], ['steps_out']),
      node('ReduceMax', ['n_out'], ['largest'], { keepdims: 0 }),
      node('Greater', ['largest', 'one'], ['cond_out']),
    ],
  };
  const bytes = model({
    name: 'collatz_batch',
    inputs: [info('n', 'int32', [N])],
    outputs: [info('steps', 'int32', [N])],
    initializers: init.list,
    nodes: [
      node('ReduceMax', ['n'], ['largest0'], { keepdims: 0 }),
      node('Greater', ['largest0', 'one'], ['cond0']),
      node('Loop', ['', 'cond0', 'n', 'steps0'], ['n_T', 'steps'], { body: subgraph(body) }),
    ],
  });
  return { bytes, feeds: () => ({ n: feed(start, [N]) }), outputNames: ['steps'] };
}

export function collatzScalarGraph(start: number): HandBuilt {
  const init = new Initializers();
  for (const [name, v] of [
    ['zero', 0],
    ['one', 1],
    ['two', 2],
    ['three', 3],
  ] as const)
    init.f32(name, [], Float32Array.of(v));
  const body = {
    name: 'collatz_step',
    inputs: loopInputs('it', 'cond', [
      ['n', 'float32', []],
      ['steps', 'float32', []],
    ]),
    outputs: [info('cond_out', 'bool', []), info('n_out', 'float32', []), info('steps_out', 'float32', [])],
    nodes: [
      node('Mod', ['n', 'two'], ['parity'], { fmod: 1 }),
      node('Equal', ['parity', 'zero'], ['even']),
      node('Div', ['n', 'two'], ['half']),
      node('Mul', ['n', 'three'], ['triple']),
      node('Add', ['triple', 'one'], ['odd_next']),
      node('Where', ['even', 'half', 'odd_next'], ['n_out']),
      node('Add', ['steps', 'one'], ['steps_out']),
      node('Greater', ['n_out', 'one'], ['cond_out']),
    ],
  };
  const value = Float32Array.of(start);
  const bytes = model({
    name: 'collatz_scalar',
    inputs: [info('n', 'float32', [])],
    outputs: [info('steps', 'float32', [])],
    initializers: init.list,
    nodes: [
      node('Greater', ['n', 'one'], ['cond0']),
      node('Loop', ['', 'cond0', 'n', 'zero'], ['n_T', 'steps'], { body: subgraph(body) }),
    ],
  });
  return { bytes, feeds: () => ({ n: feed(value, []) }), outputNames: ['steps'] };
}
