/**
 * Reductions: Sum, Mean, Max, Min, Prod, All, Any (axis null = every axis, keepDims) and ArgMax/ArgMin
 * (one axis, int32 result). Max names its axis attribute `reductionIndices`, as tfjs's `max` passes it.
 */
import type { Attrs } from '../graph.ts';
import {
  broadcastShapes,
  type Dim,
  type DType,
  formatShape,
  isStatic,
  type TensorType,
  tensorType,
} from '../types.ts';
import { arity, fail, intAttr, parseAxes } from './attrs.ts';
import {
  fillOutput,
  inputAs,
  noDynamicLowering,
  ONNX_ELEM_TYPE,
  reductionAxes,
  runtimeShape,
  where,
} from './onnx.ts';
import { type GradientContext, noGradient, type OnnxLowering, registerOp, tfjsGradient } from './registry.ts';

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

/**
 * Whether the reduced axes hold no element: tfjs then gives `value` everywhere (its own choice for
 * Max/Min: NaN for floats, 0 otherwise), so the output is that constant.
 */
function emptyReduction(c: OnnxLowering, axes: readonly number[], value: (dtype: DType) => number): boolean {
  if (!axes.some((a) => c.inputTypes[0]!.shape[a] === 0)) return false;
  fillOutput(c, value(c.outputTypes[0]!.dtype));
  return true;
}

/**
 * Where a reduced axis is dynamic, it may be empty at run time: `reduce` computes into a temporary,
 * and the output is `value` where the input has no element along the reduced axes (ONNX Runtime's
 * ReduceMax of nothing is the dtype's lowest value, tfjs's is its own constant).
 */
function guardEmpty(
  c: OnnxLowering,
  axes: readonly number[],
  value: (dtype: DType) => number,
  reduce: (output: string) => void,
): void {
  if (!axes.some((a) => c.inputTypes[0]!.shape[a] === null)) return void reduce(c.outputs[0]!);
  const [dims, count, empty, result] = [c.temp(), c.temp(), c.temp(), c.temp()];
  c.emit('Gather', [runtimeShape(c, 0), c.int64(axes)], [dims], { axis: 0 });
  c.emit('ReduceProd', [dims], [count], { keepdims: 0 });
  c.emit('Equal', [count, c.int64([0], [])], [empty]);
  reduce(result);
  const dtype = c.outputTypes[0]!.dtype;
  where(c, empty, c.scalar(value(dtype), dtype), result, c.outputs[0]!, dtype);
}

/**
 * ONNX Reduce* (opset 18+: the axes are an input). The input is first cast to the output dtype (bool
 * sums, int32 means); bool Max/Min (All/Any) reduce bool as it is (opset 20).
 */
const lowerReduce =
  (opType: string, axisAttr: string, empty: (dtype: DType) => number) =>
  (c: OnnxLowering): void => {
    const axes = reductionAxes(c.attrs[axisAttr], c.inputTypes[0]!.shape.length);
    if (emptyReduction(c, axes, empty)) return;
    guardEmpty(c, axes, empty, (output) => reduceInto({ ...c, outputs: [output] }, opType, axes));
  };

/** The ONNX reduction `opType` of input 0 over `axes` into output 0. */
function reduceInto(c: OnnxLowering, opType: string, axes: readonly number[]): void {
  const keepdims = c.attrs.keepDims ? 1 : 0;
  const out = c.outputTypes[0]!.dtype;
  // tfjs adds float32 values up in a JS number (float64). Summing in float64 here too (Cast, ReduceSum,
  // Cast) would match it, but ONNX Runtime 1.30's basic optimizations then lose such a value when a
  // nested If reads it ("Missing Input"): float32 sums stay float32, within float tolerance.
  const via = out === 'bool' && opType !== 'ReduceMax' && opType !== 'ReduceMin' ? 'int32' : out;
  let x = c.inputs[0]!;
  if (c.inputTypes[0]!.dtype !== via) {
    x = c.temp();
    c.emit('Cast', c.inputs, [x], { to: ONNX_ELEM_TYPE[via] });
  }
  const y = via === out ? c.outputs[0]! : c.temp();
  // nothing reduced: each element as it is (squared, for a sum of squares)
  if (axes.length === 0)
    c.emit(opType === 'ReduceSumSquare' ? 'Mul' : 'Identity', opType === 'ReduceSumSquare' ? [x, x] : [x], [
      y,
    ]);
  else c.emit(opType, [x, c.int64(axes)], [y], { keepdims });
  if (via !== out) c.emit('Cast', [y], c.outputs, { to: ONNX_ELEM_TYPE[out] });
}
const extreme = (d: DType) => (d === 'float32' ? Number.NaN : 0);

/**
 * The gradient of Sum/Mean over an input with a dynamic dim: tfjs's builds ones of the input's shape
 * from its stand-in size (and Mean divides by a count computed from it); here the adjoint is
 * broadcast to the input's run-time shape (and divided by the run-time count).
 */
function reductionGradient(op: 'Sum' | 'Mean') {
  const tfjs = tfjsGradient(op, ['x']);
  return (ctx: GradientContext) => {
    const { tf, inputs, dys, attrs, inputTypes, record } = ctx;
    const type = inputTypes[0]!;
    if (isStatic(type.shape)) return tfjs(ctx);
    const rank = type.shape.length;
    const axes = parseAxes(op, attrs.axis, rank, 'axis');
    const shape = record('Shape', [inputs[0]!]);
    const reduced = tf.tensor1d(
      type.shape.map((_, i) => (axes.includes(i) ? 1 : 0)),
      'int32',
    );
    // the input's shape with the reduced axes 1: the adjoint's shape with the dims kept
    const kept = tf.add(tf.mul(shape, tf.sub(tf.scalar(1, 'int32'), reduced)), reduced);
    const keptDims = type.shape.map((d, i) => (axes.includes(i) ? 1 : d));
    const spread = tf.mul(
      record('DynamicReshape', [dys[0]!, kept], { dims: keptDims }),
      record('DynamicFill', [shape, tf.scalar(1)], { dims: [...type.shape] }),
    );
    if (op === 'Sum') return [spread];
    const count = tf.cast(tf.prod(tf.gather(shape, tf.tensor1d(axes, 'int32'))), 'float32');
    return [tf.div(spread, count)];
  };
}

registerOp({
  name: 'Sum',
  inputNames: ['x'],
  gradient: reductionGradient('Sum'),
  infer: reduce('Sum', 'axis', accumulate),
  onnx: lowerReduce('ReduceSum', 'axis', () => 0),
});
/**
 * `SumSquares`: the sum of squares over `axis`, what simplify.ts makes of `Sum(Square(x))` after
 * tracing (tf.norm's): one ONNX ReduceSumSquare, as a hand-written graph has. Made after gradients are
 * taken, so it needs none.
 */
registerOp({
  name: 'SumSquares',
  inputNames: ['x'],
  eager: (tf, [x], attrs) => [
    tf.sum(tf.square(x!), (attrs.axis as number | number[] | null) ?? undefined, attrs.keepDims as boolean),
  ],
  gradient: noGradient,
  infer: reduce('SumSquares', 'axis', same),
  onnx: lowerReduce('ReduceSumSquare', 'axis', () => 0),
});
registerOp({
  name: 'Prod',
  inputNames: ['x'],
  infer: reduce('Prod', 'axis', accumulate),
  onnx: lowerReduce('ReduceProd', 'axis', () => 1),
});
registerOp({
  name: 'Mean',
  inputNames: ['x'],
  gradient: reductionGradient('Mean'),
  infer: reduce('Mean', 'axis', () => 'float32'),
  // As tfjs's cpu kernel computes it: each element divided by the count, then summed (ReduceMean,
  // or a sum divided afterwards, round differently: enough to flip `mean(y) > 0` on a zero mean)
  // (with a dynamic reduced dim, the count is computed at run time; a count of 0 then divides no
  // element, and the sum of nothing is the 0 tfjs gives)
  onnx: (c) => {
    const shape = c.inputTypes[0]!.shape;
    const axes = reductionAxes(c.attrs.axis, shape.length);
    const reduced = axes.map((a) => shape[a]!);
    if (reduced.includes(0)) return fillOutput(c, 0); // the mean of nothing is 0 in tfjs
    let count: string;
    if (isStatic(reduced))
      count = c.scalar(
        reduced.reduce((n, d) => n * d, 1),
        'float32',
      );
    else {
      const [dims, product] = [c.temp(), c.temp()];
      count = c.temp();
      c.emit('Gather', [runtimeShape(c, 0), c.int64(axes)], [dims], { axis: 0 });
      c.emit('ReduceProd', [dims], [product], { keepdims: 0 });
      c.emit('Cast', [product], [count], { to: ONNX_ELEM_TYPE.float32 });
    }
    const divided = c.temp();
    c.emit('Div', [inputAs(c, 0, 'float32'), count], [divided]);
    const x = { ...c.inputTypes[0]!, dtype: 'float32' as const };
    lowerReduce('ReduceSum', 'axis', () => 0)({ ...c, inputs: [divided], inputTypes: [x] });
  },
});
/**
 * tfjs's max/min are NaN wherever a reduced element is NaN; ONNX Runtime's ReduceMax/ReduceMin skip a
 * NaN unless it comes first. On float32, a NaN in the reduced elements is looked for and passed on.
 */
const lowerExtreme =
  (opType: string, axisAttr: string) =>
  (c: OnnxLowering): void => {
    const reduceTo = lowerReduce(opType, axisAttr, extreme);
    if (c.inputTypes[0]!.dtype !== 'float32') return void reduceTo(c);
    const [nan, anyNan, reduced] = [c.temp(), c.temp(), c.temp()];
    c.emit('IsNaN', c.inputs, [nan]);
    // (a bool ReduceMax: opset 20)
    lowerReduce(
      'ReduceMax',
      axisAttr,
      () => 0,
    )({
      ...c,
      inputs: [nan],
      inputTypes: [{ ...c.inputTypes[0]!, dtype: 'bool' }],
      outputs: [anyNan],
      outputTypes: [{ ...c.outputTypes[0]!, dtype: 'bool' }],
    });
    reduceTo({ ...c, outputs: [reduced] });
    c.emit('Where', [anyNan, c.scalar(Number.NaN, 'float32'), reduced], c.outputs);
  };
registerOp({
  name: 'Max',
  inputNames: ['x'],
  infer: reduce('Max', 'reductionIndices', same),
  onnx: lowerExtreme('ReduceMax', 'reductionIndices'),
});
registerOp({
  name: 'Min',
  inputNames: ['x'],
  infer: reduce('Min', 'axis', same),
  onnx: lowerExtreme('ReduceMin', 'axis'),
});
for (const [op, onnx] of [
  // bool ReduceMin/ReduceMax (opset 20): no casts around them
  ['All', lowerReduce('ReduceMin', 'axis', () => 0)],
  ['Any', lowerReduce('ReduceMax', 'axis', () => 0)],
] as const) {
  registerOp({
    name: op,
    inputNames: ['x'],
    infer: reduce(op, 'axis', (d) => (d === 'bool' ? d : fail(op, `takes a bool tensor, got ${d}`))),
    onnx,
    // of a scalar (a staged `if (tf.any(n <= 1))`): the value itself
    scalar: ({ args: [x], inputTypes: [t] }) => (t!.shape.length === 0 ? x : undefined),
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

/**
 * ONNX ArgMax/ArgMin give int64; tfjs gives int32. tfjs scans for a strictly better value from the
 * first element, so a NaN is never picked unless it comes first (then the index is 0); ONNX Runtime
 * picks NaN. On float32, NaNs become the worst value (∓Inf), and a leading NaN gives 0.
 */
const lowerArg =
  (opType: string, worst: number) =>
  (c: OnnxLowering): void => {
    const rank = c.inputTypes[0]!.shape.length;
    const axis = reductionAxes(c.attrs.axis ?? 0, rank)[0]!;
    if (emptyReduction(c, [axis], () => 0)) return;
    if (c.inputTypes[0]!.shape[axis] === null) {
      // A dynamic axis may be empty at run time (tfjs: index 0; ONNX: an error): one worst value
      // appended along it is never picked over a real element (ties go to the lower index), and is
      // index 0 when there is none.
      const dtype = c.inputTypes[0]!.dtype;
      const padded = c.temp();
      const pads = Array.from({ length: 2 * rank }, (_, k) => (k === rank + axis ? 1 : 0));
      const fill = dtype === 'float32' ? worst : worst < 0 ? -(2 ** 31) : 2 ** 31 - 1;
      c.emit('Pad', [c.inputs[0]!, c.int64(pads), c.scalar(fill, dtype)], [padded], { mode: 'constant' });
      return void argOf({ ...c, inputs: [padded] }, opType, worst, axis);
    }
    argOf(c, opType, worst, axis);
  };

/** ArgMax/ArgMin of input 0 along `axis` into output 0 (float NaNs as tfjs treats them). */
function argOf(c: OnnxLowering, opType: string, worst: number, axis: number): void {
  const index = c.temp();
  if (c.inputTypes[0]!.dtype !== 'float32') {
    c.emit(opType, c.inputs, [index], { axis, keepdims: 0 });
    return void c.emit('Cast', [index], c.outputs, { to: ONNX_ELEM_TYPE.int32 });
  }
  const [nan, cleaned, firstNan, asInt] = Array.from({ length: 4 }, () => c.temp());
  c.emit('IsNaN', c.inputs, [nan!]);
  c.emit('Where', [nan!, c.scalar(worst, 'float32'), c.inputs[0]!], [cleaned!]);
  c.emit(opType, [cleaned!], [index], { axis, keepdims: 0 });
  c.emit('Cast', [index], [asInt!], { to: ONNX_ELEM_TYPE.int32 });
  c.emit('Gather', [nan!, c.int64([0], [])], [firstNan!], { axis });
  c.emit('Where', [firstNan!, c.scalar(0, 'int32'), asInt!], c.outputs);
}
registerOp({
  name: 'ArgMax',
  inputNames: ['x'],
  infer: argReduce('ArgMax'),
  onnx: lowerArg('ArgMax', Number.NEGATIVE_INFINITY),
});
registerOp({
  name: 'ArgMin',
  inputNames: ['x'],
  infer: argReduce('ArgMin'),
  onnx: lowerArg('ArgMin', Number.POSITIVE_INFINITY),
});

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

/**
 * Running products along `axis` (tfjs `cumprod`, which Prod's gradient runs with `exclusive` and
 * `reverse`); bool accumulates as int32. ONNX has no CumProd: with the axis's length n known, a
 * Hillis–Steele scan multiplies the running products by themselves shifted by 1, 2, 4, ... (padded
 * with ones), ⌈log2 n⌉ steps. Integers wrap as tfjs's do; floats are multiplied in another order, so
 * they agree to rounding.
 */
registerOp({
  name: 'Cumprod',
  onnx: (c) => {
    const { shape, dtype } = c.inputTypes[0]!;
    const rank = shape.length;
    const axis = reductionAxes(c.attrs.axis ?? 0, rank)[0]!;
    const n = shape[axis];
    if (n === null) noDynamicLowering(c, `the scanned axis ${axis} of [${formatShape(shape)}] is dynamic`);
    if (n === 0) return void c.emit('Identity', [inputAs(c, 0, c.outputTypes[0]!.dtype)], c.outputs);
    const reverse = (x: string) => {
      const y = c.temp();
      c.emit('Slice', [x, c.int64([-1]), c.int64([-(2 ** 31)]), c.int64([axis]), c.int64([-1])], [y]);
      return y;
    };
    /** `x` shifted by `k` along the axis: k ones first, its last k entries dropped. */
    const shifted = (x: string, k: number) => {
      const [padded, y] = [c.temp(), c.temp()];
      const pads = Array.from({ length: 2 * rank }, (_, i) => (i === axis ? k : 0));
      c.emit('Pad', [x, c.int64(pads), c.scalar(1, c.outputTypes[0]!.dtype)], [padded], { mode: 'constant' });
      c.emit('Slice', [padded, c.int64([0]), c.int64([n]), c.int64([axis])], [y]);
      return y;
    };
    let x = inputAs(c, 0, dtype === 'bool' ? 'int32' : dtype);
    if (c.attrs.reverse) x = reverse(x);
    if (c.attrs.exclusive) x = shifted(x, 1);
    for (let k = 1; k < n; k *= 2) {
      const product = c.temp();
      c.emit('Mul', [x, shifted(x, k)], [product]);
      x = product;
    }
    if (c.attrs.reverse) x = reverse(x);
    c.emit('Identity', [x], c.outputs);
  },
  inputNames: ['x'],
  infer: (inputs, attrs) => {
    arity('Cumprod', inputs, 1);
    const x = inputs[0]!;
    if (x.shape.length === 0) fail('Cumprod', 'the input must have rank 1 or more');
    parseAxes('Cumprod', attrs.axis ?? 0, x.shape.length);
    return [tensorType(accumulate(x.dtype), x.shape)];
  },
});

/**
 * `UnsortedSegmentSum`: output row `s` (of `numSegments`) is the sum of the rows of x whose segment id
 * is `s`; ids outside [0, numSegments) add to no row. As tfjs's kernel computes it: segmentIds
 * (expanded with trailing 1s to x's rank) broadcast against x, summed over axis 0, in float32.
 * Lowered for 1-D segmentIds: ONNX ScatterND with reduction 'add' into zeros with one spare row,
 * where out-of-range ids go, dropped afterwards.
 */
registerOp({
  name: 'UnsortedSegmentSum',
  onnx: (c) => {
    const [x, ids] = c.inputTypes as [TensorType, TensorType];
    if (ids.shape.length !== 1)
      throw new Error(`UnsortedSegmentSum: segmentIds of rank ${ids.shape.length} has no ONNX lowering yet`);
    const k = intAttr('UnsortedSegmentSum', c.attrs, 'numSegments');
    // x broadcast against the ids along axis 0
    const idsShape = c.temp();
    c.emit('Concat', [runtimeShape(c, 1), c.int64(Array(x.shape.length - 1).fill(1))], [idsShape], {
      axis: 0,
    });
    const [xs, rows, rest, ids64, valid, low, high, target, index, zerosShape, zeros, scattered] = Array.from(
      { length: 12 },
      () => c.temp(),
    );
    const idsZeros = c.temp();
    c.emit('Expand', [c.scalar(0, 'float32'), idsShape], [idsZeros]);
    c.emit('Add', [inputAs(c, 0, 'float32'), idsZeros], [xs]);
    const xsShape = c.temp();
    c.emit('Shape', [xs], [xsShape]);
    c.emit('Slice', [xsShape, c.int64([0]), c.int64([1])], [rows]);
    c.emit('Slice', [xsShape, c.int64([1]), c.int64([2 ** 31 - 1])], [rest]);
    c.emit('Cast', [c.inputs[1]!], [ids64], { to: 7 });
    c.emit('GreaterOrEqual', [ids64, c.int64([0], [])], [low]);
    c.emit('Less', [ids64, c.int64([k], [])], [high]);
    c.emit('And', [low, high], [valid]);
    c.emit('Where', [valid, ids64, c.int64([k], [])], [target]);
    // (broadcasts are additions of zeros: ONNX Runtime's Expand of a dim 1 to 0 keeps it 1)
    const [noRows, expanded] = [c.temp(), c.temp()];
    c.emit('Expand', [c.int64([0], []), rows], [noRows]);
    c.emit('Add', [target, noRows], [expanded]);
    c.emit('Unsqueeze', [expanded, c.int64([1])], [index]);
    c.emit('Concat', [c.int64([k + 1]), rest], [zerosShape], { axis: 0 });
    c.emit('Expand', [c.scalar(0, 'float32'), zerosShape], [zeros]);
    c.emit('ScatterND', [zeros, index, xs], [scattered], { reduction: 'add' });
    c.emit('Slice', [scattered, c.int64([0]), c.int64([k]), c.int64([0])], c.outputs);
  },
  inputNames: ['x', 'segmentIds'],
  infer: (inputs, attrs) => {
    const op = 'UnsortedSegmentSum';
    arity(op, inputs, 2);
    const [x, ids] = inputs as [TensorType, TensorType];
    if (ids.dtype !== 'int32') fail(op, `segmentIds must be int32, got ${ids.dtype}`);
    if (x.shape.length === 0) fail(op, 'x must have rank 1 or more');
    const k = intAttr(op, attrs, 'numSegments');
    if (k < 1) fail(op, `numSegments must be positive, got ${k}`);
    const expandedIds = [...ids.shape, ...Array(Math.max(0, x.shape.length - ids.shape.length)).fill(1)];
    let shape: Dim[];
    try {
      shape = broadcastShapes(expandedIds, x.shape);
    } catch {
      return fail(
        op,
        `segmentIds [${formatShape(ids.shape)}] do not broadcast against x [${formatShape(x.shape)}]`,
      );
    }
    return [tensorType('float32', [k, ...shape.slice(1)])];
  },
});
