/**
 * Reductions: Sum, Mean, Max, Min, Prod, All, Any (axis null = every axis, keepDims) and ArgMax/ArgMin
 * (one axis, int32 result). Max names its axis attribute `reductionIndices`, as tfjs's `max` passes it.
 */
import type { Attrs } from '../graph.ts';
import { type DType, type TensorType, tensorType } from '../types.ts';
import { arity, fail, parseAxes } from './attrs.ts';
import { registerOp } from './registry.ts';

function reduce(op: string, axisAttr: string, dtype: (x: DType) => DType) {
  return (inputs: readonly TensorType[], attrs: Attrs): TensorType[] => {
    arity(op, inputs, 1);
    const x = inputs[0]!;
    const axes = parseAxes(op, attrs[axisAttr], x.shape.length, axisAttr);
    const shape = attrs.keepDims
      ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d))
      : x.shape.filter((_, i) => !axes.includes(i));
    return [tensorType(dtype(x.dtype), shape)];
  };
}

/** Sum and Prod accumulate bool as int32 (`upcastType(dtype, 'int32')`). */
const accumulate = (d: DType): DType => (d === 'bool' ? 'int32' : d);
const same = (d: DType) => d;

registerOp({ name: 'Sum', inputNames: ['x'], infer: reduce('Sum', 'axis', accumulate) });
registerOp({ name: 'Prod', inputNames: ['x'], infer: reduce('Prod', 'axis', accumulate) });
registerOp({ name: 'Mean', inputNames: ['x'], infer: reduce('Mean', 'axis', () => 'float32') });
registerOp({ name: 'Max', inputNames: ['x'], infer: reduce('Max', 'reductionIndices', same) });
registerOp({ name: 'Min', inputNames: ['x'], infer: reduce('Min', 'axis', same) });
for (const op of ['All', 'Any']) {
  registerOp({
    name: op,
    inputNames: ['x'],
    infer: reduce(op, 'axis', (d) => (d === 'bool' ? d : fail(op, `takes a bool tensor, got ${d}`))),
  });
}

/** ArgMax/ArgMin reduce exactly one axis (a number, a one-element array, or null on a rank-1 tensor). */
function argReduce(op: string) {
  return (inputs: readonly TensorType[], attrs: Attrs): TensorType[] => {
    arity(op, inputs, 1);
    const x = inputs[0]!;
    if (x.shape.length === 0) fail(op, 'takes a tensor of rank 1 or more, got a scalar');
    const axes = parseAxes(op, attrs.axis, x.shape.length);
    if (axes.length !== 1)
      fail(op, `reduces exactly one axis, got axis ${JSON.stringify(attrs.axis ?? null)}`);
    return [
      tensorType(
        'int32',
        x.shape.filter((_, i) => i !== axes[0]),
      ),
    ];
  };
}

registerOp({ name: 'ArgMax', inputNames: ['x'], infer: argReduce('ArgMax') });
registerOp({ name: 'ArgMin', inputNames: ['x'], infer: argReduce('ArgMin') });

/** Running sums along `axis` (tfjs `cumsum`): same shape and dtype as the input. */
registerOp({
  name: 'Cumsum',
  inputNames: ['x'],
  infer: ([x]) => {
    if (!x || x.shape.length === 0) throw new Error('Cumsum: the input must have rank 1 or more');
    return [x];
  },
});
