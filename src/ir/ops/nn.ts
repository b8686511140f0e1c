/**
 * Linear algebra and neural-network ops: BatchMatMul, Softmax, LeakyRelu, Prelu, Conv2D, MaxPool,
 * AvgPool, TopK. (tfjs's `logSoftmax` has no kernel: it runs Max, Sub, Cast, Exp, Sum, Log, Sub.)
 * The convolution shape rule is tfjs's `conv_util.computeConv2DInfo`, written out here because the
 * registry imports only tfjs types.
 */
import type { Attrs } from '../graph.ts';
import {
  broadcastShapes,
  compatibleDim,
  type Dim,
  formatShape,
  isStatic,
  type TensorType,
  tensorType,
} from '../types.ts';
import { arity, dim, fail, intAttr, mulDim, numberAttr, show } from './attrs.ts';
import { emptyOutput, fillOutput, inputAs, noDynamicLowering, ONNX_ELEM_TYPE, staticShape } from './onnx.ts';
import { type OnnxLowering, registerOp } from './registry.ts';

/** Input `i` as float32: tfjs's LeakyRelu and Prelu kernels compute in floats. */
const floatInput = (c: OnnxLowering, i: number): string => inputAs(c, i, 'float32');

registerOp({
  name: 'BatchMatMul',
  onnx: (c) => lowerBatchMatMul(c),
  inputNames: ['a', 'b'],
  infer: (inputs, attrs) => {
    const op = 'BatchMatMul';
    arity(op, inputs, 2);
    const [a, b] = inputs as [TensorType, TensorType];
    if (a.shape.length < 2 || b.shape.length < 2)
      fail(op, `inputs must have rank 2 or more, got [${a.shape}] and [${b.shape}]`);
    if (a.dtype !== b.dtype) fail(op, `dtypes ${a.dtype} and ${b.dtype} differ`);
    const [a0, a1] = a.shape.slice(-2) as [Dim, Dim];
    const [b0, b1] = b.shape.slice(-2) as [Dim, Dim];
    const [m, innerA] = attrs.transposeA ? [a1, a0] : [a0, a1];
    const [innerB, n] = attrs.transposeB ? [b1, b0] : [b0, b1];
    if (!compatibleDim(innerA, innerB))
      fail(
        op,
        `inner dimensions ${innerA} and ${innerB} of [${a.shape}] and [${b.shape}] (transposeA=${!!attrs.transposeA}, transposeB=${!!attrs.transposeB}) differ`,
      );
    let batch: Dim[];
    try {
      batch = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2));
    } catch {
      return fail(op, `batch dimensions of [${a.shape}] and [${b.shape}] cannot be broadcast`);
    }
    return [tensorType(a.dtype, [...batch, m, n])];
  },
});

/**
 * tfjs's kernel flattens the batch dimensions of each operand and pairs batch `i` of the result with
 * batches `i % batchA` and `i % batchB` (true broadcasting only where one flat batch is 1 or both are
 * equal): the operands are flattened to 3-D, gathered that way where the batches differ, multiplied,
 * and reshaped to the output shape.
 */
function lowerBatchMatMul(c: OnnxLowering, nonEmptyInner = false) {
  // ONNX Runtime's fused transposed MatMul rejects some empty batches, and with an empty inner
  // dimension returns uninitialised memory: an empty result, or one of zeros, is a constant
  const aShape = c.inputTypes[0]!.shape;
  const innerAxis = c.attrs.transposeA ? -2 : -1;
  const inner = aShape.at(innerAxis) ?? c.inputTypes[1]!.shape.at(c.attrs.transposeB ? -1 : -2);
  if (emptyOutput(c) || inner === 0) return fillOutput(c, 0);
  if (inner === null && !nonEmptyInner) return emptyInnerGuard(c, innerAxis);
  // Matrices as they are: ORT prepacks a constant weight and fuses MatMul + Add into Gemm
  if (c.inputTypes.every((t) => t.shape.length === 2)) {
    const { transposeA, transposeB } = c.attrs;
    if (!transposeA && !transposeB) return c.emit('MatMul', c.inputs, c.outputs);
    if (c.inputTypes[0]!.dtype === 'float32')
      return c.emit('Gemm', c.inputs, c.outputs, {
        transA: transposeA ? 1 : 0,
        transB: transposeB ? 1 : 0,
      });
    const [a, b] = [transposeA, transposeB].map((transposed, i) => {
      if (!transposed) return c.inputs[i]!;
      const t = c.temp();
      c.emit('Transpose', [c.inputs[i]!], [t], { perm: [1, 0] });
      return t;
    });
    return c.emit('MatMul', [a!, b!], c.outputs);
  }
  const outShape = c.outputTypes[0]!.shape;
  if (!isStatic(outShape) || !c.inputTypes.every((t) => isStatic(t.shape))) return dynamicBatchMatMul(c);
  const batch = outShape.slice(0, -2).reduce((p, d) => p * d, 1);
  const operand = (i: number, transposed: unknown) => {
    const shape = c.inputTypes[i]!.shape as readonly number[];
    const flat = shape.slice(0, -2).reduce((p, d) => p * d, 1);
    // a rank-3 operand is [batch, m, n] already (no Reshape: MAML's batched layers had hundreds)
    let x = c.inputs[i]!;
    if (shape.length !== 3) {
      x = c.temp();
      c.emit('Reshape', [c.inputs[i]!, c.int64([flat, ...shape.slice(-2)])], [x]);
    }
    if (flat !== batch) {
      const gathered = c.temp();
      const indices = Array.from({ length: batch }, (_, k) => k % flat);
      c.emit('Gather', [x, c.int64(indices)], [gathered], { axis: 0 });
      x = gathered;
    }
    if (!transposed) return x;
    const t = c.temp();
    c.emit('Transpose', [x], [t], { perm: [0, 2, 1] });
    return t;
  };
  const operands = [operand(0, c.attrs.transposeA), operand(1, c.attrs.transposeB)];
  if (outShape.length === 3) return c.emit('MatMul', operands, c.outputs);
  const product = c.temp();
  c.emit('MatMul', operands, [product]);
  c.emit('Reshape', [product, c.int64(outShape)], c.outputs);
}

/**
 * An inner dimension known only at run time may be empty, where ONNX Runtime's MatMul gives
 * uninitialised memory: the product (lowered with that dim taken as non-zero) is replaced by zeros then.
 */
function emptyInnerGuard(c: OnnxLowering, axis: number): void {
  const [product, dims, inner, empty] = [c.temp(), c.temp(), c.temp(), c.temp()];
  lowerBatchMatMul({ ...c, outputs: [product] }, true);
  c.emit('Shape', [c.inputs[0]!], [dims]);
  c.emit('Gather', [dims, c.int64([axis], [])], [inner], { axis: 0 });
  c.emit('Equal', [inner, c.int64([0], [])], [empty]);
  c.emit('Where', [empty, c.scalar(0, c.outputTypes[0]!.dtype), product], c.outputs);
}

/**
 * BatchMatMul with a dynamic dim: ONNX MatMul on the (transposed) operands as they are. Its numpy
 * broadcasting of the batch dims is tfjs's pairing of flat batches where each pair of batch dims is
 * the same (equal, or the same unknown position on both sides of equal rank) or one side is 1 (or
 * absent); any other pairing is refused.
 */
function dynamicBatchMatMul(c: OnnxLowering): void {
  const [a, b] = c.inputTypes.map((t) => t.shape.slice(0, -2)) as [Dim[], Dim[]];
  const aligned = a.length === b.length || a.length === 0 || b.length === 0;
  // tfjs pairs flat batch i with i % (an operand's flat batch): numpy's pairing only where an
  // operand's broadcast 1s all come before its other dims
  const leadingOnes = (x: Dim[], y: Dim[]) =>
    x.every((d, i) => !(d === 1 && y[i] !== 1) || x.slice(0, i).every((e) => e === 1));
  if (
    !aligned ||
    !a.every((d, i) => d === b[i] || d === 1 || b[i] === 1) ||
    !leadingOnes(a, b) ||
    !leadingOnes(b, a)
  )
    noDynamicLowering(
      c,
      `batch dims [${formatShape(a)}] and [${formatShape(b)}] may pair differently in tfjs and ONNX`,
    );
  const [x, y] = [c.attrs.transposeA, c.attrs.transposeB].map((transposed, i) => {
    if (!transposed) return c.inputs[i]!;
    const rank = c.inputTypes[i]!.shape.length;
    const t = c.temp();
    const perm = [...Array.from({ length: rank - 2 }, (_, k) => k), rank - 1, rank - 2];
    c.emit('Transpose', [c.inputs[i]!], [t], { perm });
    return t;
  });
  c.emit('MatMul', [x!, y!], c.outputs);
}

registerOp({
  name: 'Softmax',
  onnx: (c) => c.emit('Softmax', c.inputs, c.outputs, { axis: -1 }),
  inputNames: ['logits'],
  infer: (inputs, attrs) => {
    arity('Softmax', inputs, 1);
    const x = inputs[0]!;
    const rank = x.shape.length;
    if (x.dtype !== 'float32') fail('Softmax', `logits must be float32, got ${x.dtype}`);
    if (rank === 0) fail('Softmax', 'logits must have rank 1 or more');
    const d = intAttr('Softmax', attrs, 'dim', -1);
    if (d !== -1 && d !== rank - 1)
      fail('Softmax', `only the last dimension is supported, got dim ${d} of rank ${rank}`);
    return [x];
  },
});

/**
 * `LogSoftmax`: not a tfjs kernel (tfjs's `logSoftmax` runs Max, Sub, Cast, Exp, Sum, Log, Sub);
 * passes/simplify.ts folds that recorded chain into this one op, which ONNX has.
 */
registerOp({
  name: 'LogSoftmax',
  inputNames: ['logits'],
  eager: (tf, [logits], attrs) => [tf.logSoftmax(logits!, attrs.axis as number)],
  onnx: (c) => c.emit('LogSoftmax', c.inputs, c.outputs, { axis: c.attrs.axis as number }),
  infer: (inputs, attrs) => {
    arity('LogSoftmax', inputs, 1);
    const x = inputs[0]!;
    if (x.dtype !== 'float32') fail('LogSoftmax', `logits must be float32, got ${x.dtype}`);
    // tfjs's logSoftmax works along the last axis only
    const axis = intAttr('LogSoftmax', attrs, 'axis');
    if (axis !== x.shape.length - 1)
      fail('LogSoftmax', `axis ${axis} is not the last dimension of [${x.shape}]`);
    return [x];
  },
});

registerOp({
  name: 'LeakyRelu',
  // x < 0 ? alpha·x : x (an integral alpha would be encoded as an int attribute of ONNX LeakyRelu)
  onnx: (c) => {
    const x = floatInput(c, 0);
    const [negative, scaled] = [c.temp(), c.temp()];
    c.emit('Less', [x, c.scalar(0, 'float32')], [negative]);
    c.emit('Mul', [x, c.scalar((c.attrs.alpha as number | undefined) ?? 0.2, 'float32')], [scaled]);
    c.emit('Where', [negative, scaled, x], c.outputs);
  },
  inputNames: ['x'],
  infer: (inputs, attrs) => {
    arity('LeakyRelu', inputs, 1);
    numberAttr('LeakyRelu', attrs, 'alpha');
    return [tensorType('float32', inputs[0]!.shape)];
  },
});

registerOp({
  name: 'Prelu',
  // x < 0 ? alpha·x : x, both broadcast (ONNX PRelu broadcasts only the slope to x)
  onnx: (c) => {
    const [x, alpha] = [floatInput(c, 0), floatInput(c, 1)];
    const [negative, scaled] = [c.temp(), c.temp()];
    c.emit('Less', [x, c.scalar(0, 'float32')], [negative]);
    c.emit('Mul', [x, alpha], [scaled]);
    c.emit('Where', [negative, scaled, x], c.outputs);
  },
  inputNames: ['x', 'alpha'],
  infer: (inputs) => {
    arity('Prelu', inputs, 2);
    return [tensorType('float32', broadcastShapes(inputs[0]!.shape, inputs[1]!.shape))];
  },
});

const TOPK = { axis: -1, largest: 1, sorted: 1 };

/**
 * TopK over leading dims known only at run time. ONNX Runtime's TopK aborts the process on an input
 * without rows, so the rows are flattened and one row of zeros appended before it; its result row is
 * dropped and the results take the input's leading dims.
 */
function topKOfRows(c: OnnxLowering, k: number): void {
  const [shape, last, flatShape, flat, padShape, pad, padded, values, indices] = Array.from(
    { length: 9 },
    () => c.temp(),
  );
  c.emit('Shape', [c.inputs[0]!], [shape]);
  c.emit('Slice', [shape, c.int64([-1]), c.int64([2 ** 31 - 1])], [last]);
  c.emit('Concat', [c.int64([-1]), last], [flatShape], { axis: 0 });
  c.emit('Reshape', [c.inputs[0]!, flatShape], [flat]);
  c.emit('Concat', [c.int64([1]), last], [padShape], { axis: 0 });
  c.emit('Expand', [c.scalar(0, c.inputTypes[0]!.dtype), padShape], [pad]);
  c.emit('Concat', [flat, pad], [padded], { axis: 0 });
  c.emit('TopK', [padded, c.int64([k])], [values, indices], TOPK);
  const [rows, count, lead, outShape, keptValues, keptIndices, indices32] = Array.from({ length: 7 }, () =>
    c.temp(),
  );
  c.emit('Shape', [flat], [rows]);
  c.emit('Slice', [rows, c.int64([0]), c.int64([1])], [count]);
  c.emit('Slice', [values, c.int64([0]), count, c.int64([0])], [keptValues]);
  c.emit('Slice', [indices, c.int64([0]), count, c.int64([0])], [keptIndices]);
  c.emit('Slice', [shape, c.int64([0]), c.int64([-1])], [lead]);
  c.emit('Concat', [lead, c.int64([k])], [outShape], { axis: 0 });
  // (allowzero: an empty leading dim is a size, not a copy of the input's)
  c.emit('Reshape', [keptValues, outShape], [c.outputs[0]!], { allowzero: 1 });
  c.emit('Cast', [keptIndices], [indices32], { to: ONNX_ELEM_TYPE.int32 });
  c.emit('Reshape', [indices32, outShape], [c.outputs[1]!], { allowzero: 1 });
}

registerOp({
  name: 'TopK',
  multipleOutputs: true,
  // ONNX TopK breaks ties by the lower index, as tfjs's sorted TopK; its indices are int64
  onnx: (c) => {
    if (c.attrs.sorted === false)
      throw new Error("TopK: sorted: false has no ONNX lowering (tfjs's unsorted order is its own)");
    // ONNX Runtime's TopK aborts the process on k = 0: an empty result is a constant
    if (emptyOutput(c)) return void (fillOutput(c, 0, 0), fillOutput(c, 0, 1));
    const k = intAttr('TopK', c.attrs, 'k', 1);
    if (!isStatic(c.inputTypes[0]!.shape.slice(0, -1))) return void topKOfRows(c, k);
    const indices = c.temp();
    c.emit('TopK', [c.inputs[0]!, c.int64([k])], [c.outputs[0]!, indices], TOPK);
    c.emit('Cast', [indices], [c.outputs[1]!], { to: ONNX_ELEM_TYPE.int32 });
  },
  inputNames: ['x'],
  infer: (inputs, attrs) => {
    arity('TopK', inputs, 1);
    const x = inputs[0]!;
    if (x.shape.length === 0) fail('TopK', 'the input must have rank 1 or more');
    const last = x.shape.at(-1)!;
    const k = intAttr('TopK', attrs, 'k', 1);
    if (k < 0 || (last !== null && k > last))
      fail('TopK', `k = ${k} must be in [0, ${last}] (the last dimension)`);
    const shape = [...x.shape.slice(0, -1), k];
    return [tensorType(x.dtype, shape), tensorType('int32', shape)];
  },
});

/** tfjs's `parseTupleParam` for 2-D windows: a number is both, [h, w] as given. */
export function pair(op: string, attrs: Attrs, name: string, fallback?: number): [number, number] {
  const v = attrs[name] ?? fallback;
  const list = typeof v === 'number' ? [v, v] : v;
  if (!Array.isArray(list) || list.length !== 2 || !list.every((d) => Number.isInteger(d) && d > 0))
    fail(op, `attribute '${name}' must be a positive integer or a pair of them, got ${show(attrs[name])}`);
  return list as [number, number];
}

function round(op: string, value: number, mode: unknown): number {
  if (mode == null) return Math.trunc(value);
  if (mode === 'round') return Math.round(value);
  if (mode === 'ceil') return Math.ceil(value);
  if (mode === 'floor') return Math.floor(value);
  return fail(op, `unknown dimRoundingMode ${show(mode)}`);
}

/**
 * Output height and width as `conv_util.getPadAndOutInfo` computes them. `filter` is the effective
 * (dilated) filter size. A numeric pad uses the filter height and stride height for both dimensions,
 * as tfjs does. An unknown input or filter dim is computed with as NaN, which makes unknown exactly
 * the output dims that depend on it.
 */
export function convOut(
  op: string,
  pad: unknown,
  input: [Dim, Dim],
  filter: [Dim, Dim],
  strides: [number, number],
  mode: unknown,
  channelsLast: boolean,
): [Dim, Dim] {
  const [inH, inW, fH, fW] = [...input, ...filter].map((d) => d ?? Number.NaN) as number[] as [
    number,
    number,
    number,
    number,
  ];
  const [sH, sW] = strides;
  if (mode != null) {
    const ints = typeof pad === 'number' ? [pad] : Array.isArray(pad) ? pad.flat() : null;
    if (!ints?.every(Number.isInteger))
      fail(op, `pad must be integers when dimRoundingMode is set, got ${show(pad)}`);
  }
  let out: [number, number];
  if (typeof pad === 'number') {
    if (pad < 0) fail(op, `pad must be non-negative, got ${pad}`);
    out = [round(op, (inH - fH + 2 * pad) / sH + 1, mode), round(op, (inW - fH + 2 * pad) / sH + 1, mode)];
  } else if (pad === 'same') {
    out = [Math.ceil(inH / sH), Math.ceil(inW / sW)];
  } else if (pad === 'valid') {
    out = [Math.ceil((inH - fH + 1) / sH), Math.ceil((inW - fW + 1) / sW)];
  } else if (
    Array.isArray(pad) &&
    pad.length === 4 &&
    pad.every((p) => Array.isArray(p) && p.length === 2 && p.every((v) => Number.isInteger(v) && v >= 0))
  ) {
    const [h, w] = channelsLast ? [pad[1], pad[2]] : [pad[2], pad[3]];
    out = [
      round(op, (inH - fH + h[0] + h[1]) / sH + 1, mode),
      round(op, (inW - fW + w[0] + w[1]) / sW + 1, mode),
    ];
  } else {
    return fail(op, `pad must be 'same', 'valid', a number or four [before, after] pairs, got ${show(pad)}`);
  }
  if (out[0] < 0 || out[1] < 0)
    fail(op, `the window [${fH},${fW}] does not fit the input [${inH},${inW}] (output [${out.map(dim)}])`);
  return out.map((d) => (Number.isNaN(d) ? null : dim(d))) as [Dim, Dim];
}

export const effective = (f: Dim, d: number) => (f === null || d <= 1 ? f : f + (f - 1) * (d - 1));

/**
 * ONNX pads [top, left, bottom, right] for tfjs's 'valid' and 'same' (the extra row or column at the
 * end, as tfjs does); other paddings and dimRoundingMode are not lowered.
 */
export function onnxPads(
  op: string,
  c: OnnxLowering,
  [inH, inW]: [Dim, Dim],
  [fH, fW]: [number, number],
  [sH, sW]: [number, number],
  dilated = false,
): { pads: number[] } | { auto_pad: string } {
  const pad = c.attrs.pad;
  // a window larger than a dynamic height or width gives an empty result in tfjs, where ONNX
  // Runtime fails or differs: refused (a 1-wide window always fits)
  if (pad === 'valid' && ((inH === null && fH > 1) || (inW === null && fW > 1)))
    noDynamicLowering(c, `a 'valid' window [${fH},${fW}] over a dynamic height or width may not fit`);
  if (pad === 'valid') return { pads: [0, 0, 0, 0] };
  if (pad !== 'same')
    throw new Error(`${op}: only pad 'valid' and 'same' have an ONNX lowering, got ${show(pad)}`);
  // a dynamic height or width: ONNX computes the same padding at run time (SAME_UPPER: extra at the end),
  // but ONNX Runtime rejects the negative padding a stride beyond the window gives (tfjs clamps it to 0)
  if ((inH === null && sH > fH) || (inW === null && sW > fW))
    noDynamicLowering(
      c,
      `'same' padding with strides [${sH},${sW}] beyond the window [${fH},${fW}] over a dynamic height or width`,
    );
  // (and takes no dilations with auto_pad)
  if ((inH === null || inW === null) && dilated)
    noDynamicLowering(c, `'same' padding of a dilated window over a dynamic height or width`);
  if (inH === null || inW === null) return { auto_pad: 'SAME_UPPER' };
  const [oH, oW] = [Math.ceil(inH / sH), Math.ceil(inW / sW)];
  const total = [Math.max((oH - 1) * sH + fH - inH, 0), Math.max((oW - 1) * sW + fW - inW, 0)];
  const before = total.map((t) => Math.floor(t / 2));
  return { pads: [before[0]!, before[1]!, total[0]! - before[0]!, total[1]! - before[1]!] };
}

/** NHWC → NCHW, `body` on the transposed value, then back to NHWC into the output. */
export function channelsFirst(c: OnnxLowering, body: (x: string, y: string) => void): void {
  // ONNX Runtime rejects windows larger than the input: an empty result is a constant
  if (emptyOutput(c)) {
    fillOutput(c, 0);
    return;
  }
  const [x, y] = [c.temp(), c.temp()];
  c.emit('Transpose', [c.inputs[0]!], [x], { perm: [0, 3, 1, 2] });
  body(x, y);
  c.emit('Transpose', [y], c.outputs, { perm: [0, 2, 3, 1] });
}

registerOp({
  name: 'Conv2D',
  onnx: (c) => {
    const op = 'Conv2D';
    if ((c.attrs.dataFormat ?? 'NHWC') !== 'NHWC')
      throw new Error(`Conv2D: only dataFormat 'NHWC' has an ONNX lowering, got ${show(c.attrs.dataFormat)}`);
    const [, inH, inW] = c.inputTypes[0]!.shape;
    // the window must be known (ONNX's kernel_shape); the channels may be dynamic
    const [fH, fW] = staticShape(c, c.inputTypes[1]!.shape.slice(0, 2), 'filter height and width');
    const strides = pair(op, c.attrs, 'strides');
    const dilations = pair(op, c.attrs, 'dilations', 1);
    const eff: [number, number] = [effective(fH!, dilations[0])!, effective(fW!, dilations[1])!];
    const pads = onnxPads(op, c, [inH!, inW!], eff, strides, dilations[0] > 1 || dilations[1] > 1);
    const w = c.temp();
    c.emit('Transpose', [c.inputs[1]!], [w], { perm: [3, 2, 0, 1] });
    channelsFirst(c, (x, y) =>
      c.emit('Conv', [x, w], [y], { kernel_shape: [fH, fW], strides, dilations, ...pads }),
    );
  },
  inputNames: ['x', 'filter'],
  infer: (inputs, attrs) => {
    arity('Conv2D', inputs, 2);
    return [conv2dType('Conv2D', inputs[0]!, inputs[1]!, attrs)];
  },
});

/**
 * The output of a 2-D convolution of x by filter ([height, width, in, out]) as `computeConv2DInfo`
 * gives it. `depthwise`: the filter is [height, width, in, multiplier], the output has in × multiplier
 * channels, and the data format is always NHWC (tfjs's depthwise kernels ignore `dataFormat`).
 */
export function conv2dType(
  op: string,
  x: TensorType,
  filter: TensorType,
  attrs: Attrs,
  depthwise = false,
): TensorType {
  if (x.shape.length !== 4) fail(op, `x must have rank 4, got [${formatShape(x.shape)}]`);
  if (filter.shape.length !== 4) fail(op, `filter must have rank 4, got [${formatShape(filter.shape)}]`);
  const format = depthwise ? 'NHWC' : (attrs.dataFormat ?? 'NHWC');
  if (format !== 'NHWC' && format !== 'NCHW') fail(op, `unknown dataFormat ${show(format)}`);
  const last = format === 'NHWC';
  const [n, inH, inW, inC] = (last ? x.shape : [x.shape[0], x.shape[2], x.shape[3], x.shape[1]]) as Dim[];
  const [fH, fW, fC, fOut] = filter.shape as [Dim, Dim, Dim, Dim];
  if (!compatibleDim(inC!, fC)) fail(op, `input depth ${inC} differs from the filter's input depth ${fC}`);
  const strides = pair(op, attrs, 'strides');
  const dilations = pair(op, attrs, 'dilations', 1);
  if (strides.some((s) => s !== 1) && dilations.some((d) => d !== 1))
    fail(op, `strides [${strides}] or dilations [${dilations}] must be 1`);
  const eff: [Dim, Dim] = [effective(fH, dilations[0]), effective(fW, dilations[1])];
  const [oH, oW] = convOut(op, attrs.pad, [inH!, inW!], eff, strides, attrs.dimRoundingMode, last);
  const outC = depthwise ? mulDim(inC ?? fC, fOut) : fOut;
  return tensorType(x.dtype, last ? [n!, oH, oW, outC] : [n!, outC, oH, oW]);
}

for (const op of ['MaxPool', 'AvgPool']) {
  registerOp({
    name: op,
    onnx: (c) => {
      const [, inH, inW] = c.inputTypes[0]!.shape;
      const kernel = pair(op, c.attrs, 'filterSize');
      const strides = pair(op, c.attrs, 'strides');
      const pads = onnxPads(op, c, [inH!, inW!], kernel, strides);
      // ONNX AveragePool leaves padding out of the count by default, as tfjs does
      const onnxOp = op === 'MaxPool' ? 'MaxPool' : 'AveragePool';
      channelsFirst(c, (x, y) => c.emit(onnxOp, [x], [y], { kernel_shape: kernel, strides, ...pads }));
    },
    inputNames: ['x'],
    infer: (inputs, attrs) => {
      arity(op, inputs, 1);
      const x = inputs[0]!;
      if (x.shape.length !== 4) fail(op, `x must have rank 4, got [${x.shape}]`);
      const [n, inH, inW, c] = x.shape as [Dim, Dim, Dim, Dim];
      const filter = pair(op, attrs, 'filterSize');
      const strides = pair(op, attrs, 'strides');
      const [oH, oW] = convOut(op, attrs.pad, [inH, inW], filter, strides, attrs.dimRoundingMode, true);
      return [tensorType(x.dtype, [n, oH, oW, c])];
    },
  });
}
