/**
 * Reductions: Sum, Mean, Max, Min, Prod, All, Any (axis null = every axis, keepDims) and ArgMax/ArgMin
 * (one axis, int32 result). Max names its axis attribute `reductionIndices`, as tfjs's `max` passes it.
 */
import type { Attrs } from '../graph.ts';
import { type DType, type TensorType, tensorType } from '../types.ts';
import { arity, fail, parseAxes } from './attrs.ts';
import { ONNX_ELEM_TYPE, reductionAxes } from './onnx.ts';
import { type OnnxLowering, registerOp } from './registry.ts';

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

/** ONNX Reduce*: ReduceSum takes its axes as an input (opset 13+), the others as an attribute (until opset 18). */
const lowerReduce =
  (opType: string, axisAttr: string) =>
  (c: OnnxLowering): void => {
    const axes = reductionAxes(c.attrs[axisAttr], c.inputTypes[0]!.shape.length);
    const keepdims = c.attrs.keepDims ? 1 : 0;
    if (axes.length === 0) c.emit('Identity', c.inputs, c.outputs);
    else if (opType === 'ReduceSum') c.emit(opType, [c.inputs[0]!, c.int64(axes)], c.outputs, { keepdims });
    else c.emit(opType, c.inputs, c.outputs, { axes, keepdims });
  };

registerOp({
  name: 'Sum',
  inputNames: ['x'],
  infer: reduce('Sum', 'axis', accumulate),
  onnx: lowerReduce('ReduceSum', 'axis'),
});
registerOp({
  name: 'Prod',
  inputNames: ['x'],
  infer: reduce('Prod', 'axis', accumulate),
  onnx: lowerReduce('ReduceProd', 'axis'),
});
registerOp({
  name: 'Mean',
  inputNames: ['x'],
  infer: reduce('Mean', 'axis', () => 'float32'),
  onnx: lowerReduce('ReduceMean', 'axis'),
});
registerOp({
  name: 'Max',
  inputNames: ['x'],
  infer: reduce('Max', 'reductionIndices', same),
  onnx: lowerReduce('ReduceMax', 'reductionIndices'),
});
registerOp({
  name: 'Min',
  inputNames: ['x'],
  infer: reduce('Min', 'axis', same),
  onnx: lowerReduce('ReduceMin', 'axis'),
});
/** ONNX has no boolean reductions: All/Any reduce the values as int32 (min/max) and cast back. */
const lowerBoolReduce =
  (opType: string) =>
  (c: OnnxLowering): void => {
    const axes = reductionAxes(c.attrs.axis, c.inputTypes[0]!.shape.length);
    const [asInt, reduced] = [c.temp(), c.temp()];
    c.emit('Cast', c.inputs, [asInt], { to: ONNX_ELEM_TYPE.int32 });
    c.emit(opType, [asInt], [reduced], { axes, keepdims: c.attrs.keepDims ? 1 : 0 });
    c.emit('Cast', [reduced], c.outputs, { to: ONNX_ELEM_TYPE.bool });
  };
for (const [op, onnx] of [
  ['All', lowerBoolReduce('ReduceMin')],
  ['Any', lowerBoolReduce('ReduceMax')],
] as const) {
  registerOp({
    name: op,
    inputNames: ['x'],
    infer: reduce(op, 'axis', (d) => (d === 'bool' ? d : fail(op, `takes a bool tensor, got ${d}`))),
    onnx,
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

/** ONNX ArgMax/ArgMin give int64; tfjs gives int32. */
const lowerArg =
  (opType: string) =>
  (c: OnnxLowering): void => {
    const axis = reductionAxes(c.attrs.axis ?? 0, c.inputTypes[0]!.shape.length)[0]!;
    const index = c.temp();
    c.emit(opType, c.inputs, [index], { axis, keepdims: 0 });
    c.emit('Cast', [index], c.outputs, { to: ONNX_ELEM_TYPE.int32 });
  };
registerOp({ name: 'ArgMax', inputNames: ['x'], infer: argReduce('ArgMax'), onnx: lowerArg('ArgMax') });
registerOp({ name: 'ArgMin', inputNames: ['x'], infer: argReduce('ArgMin'), onnx: lowerArg('ArgMin') });

/** Running sums along `axis` (tfjs `cumsum`): same shape and dtype as the input. */
registerOp({
  name: 'Cumsum',
  onnx: (c) => {
    const axis = reductionAxes(c.attrs.axis ?? 0, c.inputTypes[0]!.shape.length)[0]!;
    c.emit('CumSum', [c.inputs[0]!, c.int64([axis], [])], c.outputs, {
      exclusive: c.attrs.exclusive ? 1 : 0,
      reverse: c.attrs.reverse ? 1 : 0,
    });
  },
  inputNames: ['x'],
  infer: ([x]) => {
    if (!x || x.shape.length === 0) throw new Error('Cumsum: the input must have rank 1 or more');
    return [x];
  },
});
