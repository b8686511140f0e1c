/**
 * Convolution gradients and depthwise convolution: Conv2DBackpropInput, Conv2DBackpropFilter,
 * DepthwiseConv2dNative and its two gradients, MaxPoolGrad, AvgPoolGrad (what tfjs's Conv2D,
 * DepthwiseConv2dNative, MaxPool and AvgPool gradients emit). All NHWC, as tfjs's kernels compute them.
 *
 * ONNX lowerings (channels first, around ONNX's NCHW ops):
 * - the gradient with respect to the input is a transposed convolution (ConvTranspose) of dy by the
 *   filter, with the begin padding tfjs used and the end padding (or output_padding) that gives the
 *   input's height and width;
 * - the gradient with respect to the filter is a convolution of x by dy with batch and channels swapped
 *   (the forward strides become its dilations), x cropped where the windows leave rows or columns out;
 * - depthwise ones are grouped (one group per input channel).
 * Heights and widths must be known; batch (and, where no group depends on them, channels) may be
 * dynamic.
 */
import type { Attrs } from '../graph.ts';
import { compatibleDim, type Dim, formatShape, type TensorType, tensorType } from '../types.ts';
import { arity, dimListAttr, fail, show } from './attrs.ts';
import { emptyOutput, fillOutput, noDynamicLowering, staticShape } from './onnx.ts';
import { channelsFirst, conv2dType, convOut, effective, onnxPads, pair } from './nn.ts';
import { type OnnxLowering, registerOp } from './registry.ts';

/** A shape attribute (inputShape, filterShape) of rank 4: integers, null where tfjs computed it from a dynamic dim. */
function shapeAttr(op: string, attrs: Attrs, name: string): Dim[] {
  const shape = dimListAttr(op, attrs, name);
  if (shape.length !== 4 || shape.some((d) => d !== null && d < 0))
    fail(op, `attribute '${name}' must be 4 non-negative dims, got ${show(attrs[name])}`);
  return shape;
}

/** dy must have the shape the forward convolution gives (or may have it, where dims are unknown). */
function checkDy(op: string, dy: TensorType, expected: TensorType): void {
  if (dy.shape.length !== 4 || !dy.shape.every((d, i) => compatibleDim(d, expected.shape[i]!)))
    fail(
      op,
      `dy [${formatShape(dy.shape)}] is not the forward output [${formatShape(expected.shape)}] of these shapes`,
    );
}

/** The begin padding [top, left] tfjs's `getPadAndOutInfo` uses (static sizes). */
function padBegin(
  op: string,
  pad: unknown,
  [inH, inW]: [number, number],
  [oH, oW]: [number, number],
  [fH, fW]: [number, number],
  [sH, sW]: [number, number],
): [number, number] {
  if (typeof pad === 'number') return [pad, pad];
  if (pad === 'valid') return [0, 0];
  if (pad === 'same')
    return [
      Math.floor(Math.max(0, (oH - 1) * sH + fH - inH) / 2),
      Math.floor(Math.max(0, (oW - 1) * sW + fW - inW) / 2),
    ];
  if (Array.isArray(pad) && pad.length === 4) return [pad[1][0], pad[2][0]];
  return fail(op, `pad must be 'same', 'valid', a number or four [before, after] pairs, got ${show(pad)}`);
}

interface Window {
  /** Input height and width (known). */
  input: [number, number];
  /** Output height and width (known). */
  output: [number, number];
  /** Filter height and width (not dilated). */
  filter: [number, number];
  strides: [number, number];
  dilations: [number, number];
  /** tfjs's top and left padding. */
  begin: [number, number];
}

/** The window geometry of a gradient op: static sizes from the input size, filter size and attributes. */
function windowOf(
  c: OnnxLowering,
  input: readonly Dim[],
  filter: readonly Dim[],
  dilated: boolean,
  what = 'input height and width',
): Window {
  const op = c.op;
  if ((c.attrs.dataFormat ?? 'NHWC') !== 'NHWC')
    throw new Error(`${op}: only dataFormat 'NHWC' has an ONNX lowering, got ${show(c.attrs.dataFormat)}`);
  const [inH, inW] = staticShape(c, input, what) as [number, number];
  const [fH, fW] = staticShape(c, filter, 'filter height and width') as [number, number];
  const strides = pair(op, c.attrs, 'strides');
  const dilations = dilated ? pair(op, c.attrs, 'dilations', 1) : ([1, 1] as [number, number]);
  const eff: [number, number] = [effective(fH, dilations[0])!, effective(fW, dilations[1])!];
  const [oH, oW] = convOut(op, c.attrs.pad, [inH, inW], eff, strides, c.attrs.dimRoundingMode, true) as [
    number,
    number,
  ];
  const begin = padBegin(op, c.attrs.pad, [inH, inW], [oH, oW], eff, strides);
  return { input: [inH, inW], output: [oH, oW], filter: [fH, fW], strides, dilations, begin };
}

/**
 * Whether no element of the input is in a window, or there is no window: the gradient is zeros (its
 * shape must then be known). The windows end at stride·(out − 1) + filter, padding included.
 */
const noWindowReaches = (win: Window): boolean =>
  win.output.includes(0) ||
  [0, 1].some(
    (i) =>
      win.begin[i]! >= win.strides[i]! * (win.output[i]! - 1) + effective(win.filter[i]!, win.dilations[i]!)!,
  );

/**
 * ONNX ConvTranspose of NCHW `dy` by `w` (ONNX's [dy channels, out channels / group, fH, fW]) into
 * NCHW `out` of the window's input height and width: the begin padding as tfjs's; rows and columns
 * past the last window are cut off by the end padding, or, where no window reaches them, added as
 * zeros (ONNX Runtime takes an output_padding only below the stride).
 */
function transposedConv(c: OnnxLowering, dy: string, w: string, out: string, win: Window, group = 1): void {
  const pads = [0, 0, 0, 0];
  const missing = [0, 0];
  for (const i of [0, 1]) {
    const full = win.strides[i]! * (win.output[i]! - 1) + effective(win.filter[i]!, win.dilations[i]!)!;
    pads[i] = win.begin[i]!;
    pads[i + 2] = Math.max(0, full - win.begin[i]! - win.input[i]!);
    missing[i] = Math.max(0, win.input[i]! + win.begin[i]! - full);
  }
  const y = missing.some((m) => m > 0) ? c.temp() : out;
  c.emit('ConvTranspose', [dy, w], [y], {
    kernel_shape: win.filter,
    strides: win.strides,
    dilations: win.dilations,
    pads,
    group,
  });
  if (y !== out)
    c.emit('Pad', [y, c.int64([0, 0, 0, 0, 0, 0, ...missing]), c.scalar(0, 'float32')], [out], {
      mode: 'constant',
    });
}

/**
 * ONNX Conv of NCHW `x` by `dy` (as ONNX's weight [M, C / group, oH, oW]) into `out` ([N, M, fH, fW]):
 * the filter gradient. The forward strides are its dilations, the forward dilations its strides;
 * rows and columns no window reaches are cropped off x.
 */
function filterConv(c: OnnxLowering, x: string, dy: string, out: string, win: Window, group = 1): void {
  const ends = [0, 1].map(
    (i) =>
      (win.filter[i]! - 1) * win.dilations[i]! +
      (win.output[i]! - 1) * win.strides[i]! +
      1 -
      win.input[i]! -
      win.begin[i]!,
  );
  let input = x;
  if (ends.some((e) => e < 0)) {
    input = c.temp();
    const keep = ends.map((e, i) => win.input[i]! + Math.min(e, 0));
    c.emit('Slice', [x, c.int64([0, 0]), c.int64(keep), c.int64([2, 3])], [input]);
  }
  c.emit('Conv', [input, dy], [out], {
    kernel_shape: win.output,
    strides: win.dilations,
    dilations: win.strides,
    pads: [...win.begin, ...ends.map((e) => Math.max(e, 0))],
    group,
  });
}

/** `out` = Transpose(x, perm), returned. */
function transpose(c: OnnxLowering, x: string, perm: number[]): string {
  const y = c.temp();
  c.emit('Transpose', [x], [y], { perm });
  return y;
}

/** NCHW `y` back to NHWC into the output. */
const toOutput = (c: OnnxLowering, y: string) => c.emit('Transpose', [y], c.outputs, { perm: [0, 2, 3, 1] });

/**
 * A depthwise filter [fH, fW, C, M] as ONNX's grouped weight [C·M, 1, fH, fW] (group c holds the M
 * filters of input channel c).
 */
function depthwiseWeight(c: OnnxLowering, filter: string, [fH, fW, C, M]: number[]): string {
  const w = c.temp();
  c.emit('Reshape', [transpose(c, filter, [2, 3, 0, 1]), c.int64([C! * M!, 1, fH!, fW!])], [w]);
  return w;
}

/**
 * tfjs's depthwise gradient kernels size the window with the dilations but then read the input as if
 * they were 1 (and tfjs's gradient of DepthwiseConv2dNative refuses dilations): not lowered.
 */
function undilated(c: OnnxLowering): void {
  const dilations = pair(c.op, c.attrs, 'dilations', 1);
  if (dilations.some((d) => d !== 1))
    throw new Error(`${c.op}: dilations [${dilations}] have no ONNX lowering (tfjs's kernel ignores them)`);
}

/** The channel count and multiplier of a depthwise op, which its groups need known. */
function depthwiseChannels(c: OnnxLowering, inC: Dim, filter: readonly Dim[]): [number, number] {
  const C = inC ?? filter[2]!;
  const M = filter[3]!;
  if (C === null || M === null)
    noDynamicLowering(c, `the channels ${C ?? '?'} and multiplier ${M ?? '?'} (its groups) must be known`);
  return [C, M];
}

// ---- the gradients of Conv2D ----

registerOp({
  name: 'Conv2DBackpropInput',
  inputNames: ['dy', 'filter'],
  infer: (inputs, attrs) => {
    const op = 'Conv2DBackpropInput';
    arity(op, inputs, 2);
    const [dy, filter] = inputs as [TensorType, TensorType];
    const inputShape = shapeAttr(op, attrs, 'inputShape');
    checkDy(op, dy, conv2dType(op, tensorType('float32', inputShape), filter, { ...attrs, dilations: 1 }));
    return [tensorType('float32', inputShape)];
  },
  onnx: (c) => {
    if (emptyOutput(c)) return fillOutput(c, 0);
    const [, H, W] = c.outputTypes[0]!.shape;
    const win = windowOf(c, [H!, W!], c.inputTypes[1]!.shape.slice(0, 2), false);
    if (noWindowReaches(win)) return fillOutput(c, 0);
    if (c.inputTypes[0]!.shape.includes(0) || c.inputTypes[1]!.shape.includes(0)) return fillOutput(c, 0, 0);
    const y = c.temp();
    const w = transpose(c, c.inputs[1]!, [3, 2, 0, 1]);
    transposedConv(c, transpose(c, c.inputs[0]!, [0, 3, 1, 2]), w, y, win);
    toOutput(c, y);
  },
});

registerOp({
  name: 'Conv2DBackpropFilter',
  inputNames: ['x', 'dy'],
  infer: (inputs, attrs) => {
    const op = 'Conv2DBackpropFilter';
    arity(op, inputs, 2);
    const [x, dy] = inputs as [TensorType, TensorType];
    const filterShape = shapeAttr(op, attrs, 'filterShape');
    checkDy(op, dy, conv2dType(op, x, tensorType('float32', filterShape), { ...attrs, dilations: 1 }));
    return [tensorType('float32', filterShape)];
  },
  onnx: (c) => {
    const [x, dy] = c.inputTypes as [TensorType, TensorType];
    // no window, or nothing to add up: zeros
    if (emptyOutput(c) || x.shape.includes(0) || dy.shape.includes(0)) return fillOutput(c, 0);
    const win = windowOf(c, x.shape.slice(1, 3), c.outputTypes[0]!.shape.slice(0, 2), false);
    if (noWindowReaches(win)) return fillOutput(c, 0);
    const y = c.temp();
    // x as [C, N, H, W] (batch of channels), dy as [O, N, oH, oW]: the result is [C, O, fH, fW]
    filterConv(c, transpose(c, c.inputs[0]!, [3, 0, 1, 2]), transpose(c, c.inputs[1]!, [3, 0, 1, 2]), y, win);
    c.emit('Transpose', [y], c.outputs, { perm: [2, 3, 0, 1] });
  },
});

// ---- depthwise convolution and its gradients ----

registerOp({
  name: 'DepthwiseConv2dNative',
  inputNames: ['x', 'filter'],
  infer: (inputs, attrs) => {
    arity('DepthwiseConv2dNative', inputs, 2);
    return [conv2dType('DepthwiseConv2dNative', inputs[0]!, inputs[1]!, attrs, true)];
  },
  onnx: (c) => {
    const op = 'DepthwiseConv2dNative';
    const [x, filter] = c.inputTypes as [TensorType, TensorType];
    const [, inH, inW, inC] = x.shape;
    const [fH, fW] = staticShape(c, filter.shape.slice(0, 2), 'filter height and width');
    const [C, M] = depthwiseChannels(c, inC!, filter.shape);
    if (emptyOutput(c)) return fillOutput(c, 0);
    const strides = pair(op, c.attrs, 'strides');
    const dilations = pair(op, c.attrs, 'dilations', 1);
    const eff: [number, number] = [effective(fH!, dilations[0])!, effective(fW!, dilations[1])!];
    const pads = onnxPads(op, c, [inH!, inW!], eff, strides, dilations[0] > 1 || dilations[1] > 1);
    const w = depthwiseWeight(c, c.inputs[1]!, [fH!, fW!, C, M]);
    channelsFirst(c, (xT, y) =>
      c.emit('Conv', [xT, w], [y], { kernel_shape: [fH, fW], strides, dilations, group: C, ...pads }),
    );
  },
});

registerOp({
  name: 'DepthwiseConv2dNativeBackpropInput',
  inputNames: ['dy', 'filter'],
  infer: (inputs, attrs) => {
    const op = 'DepthwiseConv2dNativeBackpropInput';
    arity(op, inputs, 2);
    const [dy, filter] = inputs as [TensorType, TensorType];
    const inputShape = shapeAttr(op, attrs, 'inputShape');
    checkDy(op, dy, conv2dType(op, tensorType('float32', inputShape), filter, attrs, true));
    return [tensorType('float32', inputShape)];
  },
  onnx: (c) => {
    undilated(c);
    if (emptyOutput(c)) return fillOutput(c, 0);
    const [, H, W, inC] = c.outputTypes[0]!.shape;
    const filter = c.inputTypes[1]!.shape;
    const win = windowOf(c, [H!, W!], filter.slice(0, 2), true);
    if (noWindowReaches(win)) return fillOutput(c, 0);
    const [C, M] = depthwiseChannels(c, inC!, filter);
    if (c.inputTypes[0]!.shape.includes(0) || M === 0) return fillOutput(c, 0, 0);
    const y = c.temp();
    const w = depthwiseWeight(c, c.inputs[1]!, [...win.filter, C, M]);
    transposedConv(c, transpose(c, c.inputs[0]!, [0, 3, 1, 2]), w, y, win, C);
    toOutput(c, y);
  },
});

registerOp({
  name: 'DepthwiseConv2dNativeBackpropFilter',
  inputNames: ['x', 'dy'],
  infer: (inputs, attrs) => {
    const op = 'DepthwiseConv2dNativeBackpropFilter';
    arity(op, inputs, 2);
    const [x, dy] = inputs as [TensorType, TensorType];
    const filterShape = shapeAttr(op, attrs, 'filterShape');
    checkDy(op, dy, conv2dType(op, x, tensorType('float32', filterShape), attrs, true));
    return [tensorType('float32', filterShape)];
  },
  onnx: (c) => {
    undilated(c);
    const [x, dy] = c.inputTypes as [TensorType, TensorType];
    if (emptyOutput(c) || x.shape.includes(0) || dy.shape.includes(0)) return fillOutput(c, 0);
    const filter = c.outputTypes[0]!.shape;
    const win = windowOf(c, x.shape.slice(1, 3), filter.slice(0, 2), true);
    if (noWindowReaches(win)) return fillOutput(c, 0);
    const [C, M] = depthwiseChannels(c, x.shape[3]!, filter);
    // x as one batch of C·N channels (channel c·N + n is x[n, :, :, c]), dy as [C·M, N, oH, oW]:
    // group c pairs the N images of channel c with the N gradients of its M filters
    const [xs, y, grouped] = [c.temp(), c.temp(), c.temp()];
    c.emit('Reshape', [transpose(c, c.inputs[0]!, [3, 0, 1, 2]), c.int64([1, -1, ...win.input])], [xs]);
    filterConv(c, xs, transpose(c, c.inputs[1]!, [3, 0, 1, 2]), y, win, C);
    c.emit('Reshape', [y, c.int64([C, M, ...win.filter])], [grouped]);
    c.emit('Transpose', [grouped], c.outputs, { perm: [2, 3, 0, 1] });
  },
});

// ---- the gradients of MaxPool and AvgPool ----

/** The pooling window's geometry (the pool's filterSize is its filter; no dilation). */
function poolWindow(c: OnnxLowering, input: readonly Dim[]): Window {
  const [fH, fW] = pair(c.op, c.attrs, 'filterSize');
  return windowOf(c, input, [fH, fW], false);
}

/** dy must be the pool's output for `input`'s shape. */
function poolGradType(op: string, dy: TensorType, input: TensorType, attrs: Attrs): TensorType {
  if (input.shape.length !== 4) fail(op, `input must have rank 4, got [${formatShape(input.shape)}]`);
  const [n, inH, inW, ch] = input.shape as [Dim, Dim, Dim, Dim];
  const filter = pair(op, attrs, 'filterSize');
  const strides = pair(op, attrs, 'strides');
  const [oH, oW] = convOut(op, attrs.pad, [inH, inW], filter, strides, attrs.dimRoundingMode, true);
  checkDy(op, dy, tensorType('float32', [n, oH, oW, ch]));
  // (dy's batch and channels are the input's)
  return tensorType('float32', [n ?? dy.shape[0]!, inH, inW, ch ?? dy.shape[3]!]);
}

registerOp({
  name: 'MaxPoolGrad',
  inputNames: ['dy', 'input', 'output'],
  infer: (inputs, attrs) => {
    const op = 'MaxPoolGrad';
    arity(op, inputs, 3);
    const [dy, input, output] = inputs as [TensorType, TensorType, TensorType];
    if (!output.shape.every((d, i) => compatibleDim(d, dy.shape[i] ?? null)) || output.shape.length !== 4)
      fail(op, `output [${formatShape(output.shape)}] differs from dy [${formatShape(dy.shape)}]`);
    return [poolGradType(op, dy, input, attrs)];
  },
  /**
   * Each dy value goes to the first largest element of its window (tfjs's `maxPoolPositions`: the
   * first strictly greater value in row-major order, as ONNX Runtime's MaxPool picks its Indices),
   * added up with ScatterElements over the flattened input. A window with no largest element (all
   * NaN) has index -1 in ONNX Runtime and none in tfjs: its value goes to a spare last slot.
   */
  onnx: (c) => {
    const [, input] = c.inputTypes as [TensorType, TensorType];
    if (emptyOutput(c)) return fillOutput(c, 0);
    if (c.inputTypes[0]!.shape.includes(0)) return fillOutput(c, 0, 0, 1);
    const win = poolWindow(c, input.shape.slice(1, 3));
    if (noWindowReaches(win)) return fillOutput(c, 0, 0, 1);
    const pads = onnxPads(c.op, c, win.input, win.filter, win.strides);
    const xT = transpose(c, c.inputs[1]!, [0, 3, 1, 2]);
    const [pooled, indices, flatIndices, size, spare, isSpare, slots, flatDy, flatZeros, summed, kept] =
      Array.from({ length: 11 }, () => c.temp());
    c.emit('MaxPool', [xT], [pooled, indices], { kernel_shape: win.filter, strides: win.strides, ...pads });
    c.emit('Reshape', [indices, c.int64([-1])], [flatIndices]);
    const xShape = c.temp();
    c.emit('Shape', [xT], [xShape]);
    c.emit('ReduceProd', [xShape], [size], { keepdims: 1 });
    c.emit('Less', [flatIndices, c.int64([0], [])], [isSpare]);
    c.emit('Where', [isSpare, size, flatIndices], [slots]);
    c.emit('Reshape', [transpose(c, c.inputs[0]!, [0, 3, 1, 2]), c.int64([-1])], [flatDy]);
    c.emit('Add', [size, c.int64([1])], [spare]);
    c.emit('Expand', [c.scalar(0, 'float32'), spare], [flatZeros]);
    c.emit('ScatterElements', [flatZeros, slots, flatDy], [summed], { axis: 0, reduction: 'add' });
    c.emit('Slice', [summed, c.int64([0]), size], [kept]);
    const y = c.temp();
    c.emit('Reshape', [kept, xShape], [y]);
    toOutput(c, y);
  },
});

registerOp({
  name: 'AvgPoolGrad',
  inputNames: ['dy', 'input'],
  infer: (inputs, attrs) => {
    arity('AvgPoolGrad', inputs, 2);
    const [dy, input] = inputs as [TensorType, TensorType];
    return [poolGradType('AvgPoolGrad', dy, input, { ...attrs, dimRoundingMode: undefined })];
  },
  /**
   * tfjs spreads each dy value evenly over its window, dividing by the whole window's size (padding
   * included, unlike the forward pool): a grouped ConvTranspose by ones, then that division.
   */
  onnx: (c) => {
    const [, input] = c.inputTypes as [TensorType, TensorType];
    if (emptyOutput(c)) return fillOutput(c, 0);
    if (c.inputTypes[0]!.shape.includes(0)) return fillOutput(c, 0, 0, 1);
    const ch = input.shape[3] ?? c.inputTypes[0]!.shape[3]!;
    if (ch === null) noDynamicLowering(c, 'the channels (its groups) must be known');
    const win = poolWindow(c, input.shape.slice(1, 3));
    if (noWindowReaches(win)) return fillOutput(c, 0, 0, 1);
    const [fH, fW] = win.filter;
    const [ones, summed, y] = [c.temp(), c.temp(), c.temp()];
    c.emit('Expand', [c.scalar(1, 'float32'), c.int64([ch, 1, fH, fW])], [ones]);
    transposedConv(c, transpose(c, c.inputs[0]!, [0, 3, 1, 2]), ones, summed, win, ch);
    c.emit('Div', [summed, c.scalar(fH * fW, 'float32')], [y]);
    toOutput(c, y);
  },
});
