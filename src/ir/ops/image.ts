/**
 * Image resizing: ResizeBilinear, ResizeNearestNeighbor and their gradients (NHWC, `size` = [height,
 * width]). The source rows and columns of each output row and column depend only on the sizes, so the
 * ONNX lowerings compute them here, as tfjs's cpu kernels do, and emit them as constants: Gathers of
 * rows and columns (and the interpolation) forward; for the gradients, the transposed interpolation
 * matrices, one MatMul along the height and one along the width. Heights and widths must be known;
 * batch and channels may be dynamic.
 */
import type { Attrs } from '../graph.ts';
import { compatibleDim, type Dim, type DType, formatShape, type TensorType, tensorType } from '../types.ts';
import { arity, fail, intListAttr } from './attrs.ts';
import { emptyOutput, fillOutput, inputAs, staticShape } from './onnx.ts';
import { type OnnxLowering, registerOp } from './registry.ts';

/** The ratio tfjs scales output coordinates by (`alignCorners`: corner pixels map to corner pixels). */
function ratio(inSize: number, outSize: number, alignCorners: unknown): number {
  const aligned = !!alignCorners && outSize > 1;
  return (aligned ? inSize - 1 : inSize) / (aligned ? outSize - 1 : outSize);
}

/** For each output index along one axis: the two source indices and the weight of the second. */
function bilinearAxis(inSize: number, outSize: number, attrs: Attrs) {
  const r = ratio(inSize, outSize, attrs.alignCorners);
  const lo: number[] = [];
  const hi: number[] = [];
  const frac: number[] = [];
  for (let i = 0; i < outSize; i++) {
    const src = attrs.halfPixelCenters ? r * (i + 0.5) - 0.5 : r * i;
    const floor = Math.max(0, Math.floor(src));
    lo.push(floor);
    hi.push(Math.min(inSize - 1, Math.ceil(src)));
    // (may be negative: tfjs then extrapolates between two equal rows, which changes nothing)
    frac.push(src - floor);
  }
  return { lo, hi, frac };
}

/** For each output index along one axis: its nearest source index. */
function nearestAxis(inSize: number, outSize: number, attrs: Attrs): number[] {
  const r = ratio(inSize, outSize, attrs.alignCorners);
  return Array.from({ length: outSize }, (_, i) => {
    const src = attrs.halfPixelCenters ? r * (i + 0.5) : r * i;
    const nearest = Math.min(inSize - 1, attrs.alignCorners ? Math.round(src) : Math.floor(src));
    return attrs.halfPixelCenters ? Math.max(0, nearest) : nearest;
  });
}

function sizeAttr(op: string, attrs: Attrs): [number, number] {
  const size = intListAttr(op, attrs, 'size');
  if (size.length !== 2 || size.some((d) => d < 0))
    fail(op, `size must be [height, width] of non-negative integers, got [${size}]`);
  return size as [number, number];
}

function images(op: string, x: TensorType): [Dim, Dim, Dim, Dim] {
  if (x.shape.length !== 4) fail(op, `images must have rank 4, got [${formatShape(x.shape)}]`);
  return x.shape as [Dim, Dim, Dim, Dim];
}

/** Gathers `indices` of `x` along `axis` into a fresh value. */
function gather(c: OnnxLowering, x: string, indices: number[], axis: number): string {
  const y = c.temp();
  c.emit('Gather', [x, c.int64(indices)], [y], { axis });
  return y;
}

/** `a + (b − a) · w` into `out` (w broadcast). */
function lerp(c: OnnxLowering, a: string, b: string, w: string, out = c.temp()): string {
  const [d, s] = [c.temp(), c.temp()];
  c.emit('Sub', [b, a], [d]);
  c.emit('Mul', [d, w], [s]);
  c.emit('Add', [a, s], [out]);
  return out;
}

registerOp({
  name: 'ResizeBilinear',
  inputNames: ['images'],
  infer: (inputs, attrs) => {
    arity('ResizeBilinear', inputs, 1);
    const [n, , , ch] = images('ResizeBilinear', inputs[0]!);
    const [h, w] = sizeAttr('ResizeBilinear', attrs);
    return [tensorType('float32', [n, h, w, ch])];
  },
  // tfjs's order: along the width at the top and bottom rows, then along the height
  onnx: (c) => {
    if (emptyOutput(c)) return fillOutput(c, 0);
    const [inH, inW] = staticShape(c, c.inputTypes[0]!.shape.slice(1, 3), 'input height and width');
    const [h, w] = sizeAttr(c.op, c.attrs);
    const rows = bilinearAxis(inH!, h, c.attrs);
    const cols = bilinearAxis(inW!, w, c.attrs);
    const x = inputAs(c, 0, 'float32');
    const [top, bottom] = [gather(c, x, rows.lo, 1), gather(c, x, rows.hi, 1)];
    const colFrac = c.float32(cols.frac, [1, 1, w, 1]);
    const across = (row: string) => lerp(c, gather(c, row, cols.lo, 2), gather(c, row, cols.hi, 2), colFrac);
    lerp(c, across(top), across(bottom), c.float32(rows.frac, [1, h, 1, 1]), c.outputs[0]!);
  },
});

registerOp({
  name: 'ResizeNearestNeighbor',
  inputNames: ['images'],
  infer: (inputs, attrs) => {
    arity('ResizeNearestNeighbor', inputs, 1);
    const x = inputs[0]!;
    const [n, , , ch] = images('ResizeNearestNeighbor', x);
    const [h, w] = sizeAttr('ResizeNearestNeighbor', attrs);
    return [tensorType(x.dtype, [n, h, w, ch])];
  },
  onnx: (c) => {
    if (emptyOutput(c)) return fillOutput(c, 0);
    const [inH, inW] = staticShape(c, c.inputTypes[0]!.shape.slice(1, 3), 'input height and width');
    const [h, w] = sizeAttr(c.op, c.attrs);
    const rows = gather(c, c.inputs[0]!, nearestAxis(inH!, h, c.attrs), 1);
    c.emit('Gather', [rows, c.int64(nearestAxis(inW!, w, c.attrs))], c.outputs, { axis: 2 });
  },
});

/** images and dy of a resize gradient: same batch and channels. */
function gradientInputs(op: string, inputs: readonly TensorType[]): [Dim, Dim, Dim, Dim] {
  arity(op, inputs, 2);
  const x = images(op, inputs[0]!);
  const dy = images(op, inputs[1]!);
  if (!compatibleDim(x[0], dy[0]) || !compatibleDim(x[3], dy[3]))
    fail(op, `images [${formatShape(x)}] and dy [${formatShape(dy)}] differ in batch or channels`);
  return [x[0] ?? dy[0], x[1], x[2], x[3] ?? dy[3]];
}

/**
 * dx = Rhᵀ · dy · Rw per image and channel, where row r of `rows` ([dy height][images height]) holds the
 * weights dy row r spreads over the image rows (likewise `cols`); the result [N, H, W, C] is then
 * given the output's shape.
 */
function spread(c: OnnxLowering, rows: number[][], cols: number[][], dtype: DType): void {
  const [H, W] = [rows[0]!.length, cols[0]!.length];
  const rowsT = Array.from({ length: H }, (_, p) => rows.map((row) => row[p]!)).flat();
  const dy = c.temp();
  c.emit('Transpose', [inputAs(c, 1, 'float32')], [dy], { perm: [0, 3, 1, 2] });
  const [byRow, byCol, nhwc] = [c.temp(), c.temp(), c.temp()];
  c.emit('MatMul', [c.float32(rowsT, [H, rows.length]), dy], [byRow]);
  c.emit('MatMul', [byRow, c.float32(cols.flat(), [cols.length, W])], [byCol]);
  c.emit('Transpose', [byCol], [nhwc], { perm: [0, 2, 3, 1] });
  const [, outH, outW] = c.outputTypes[0]!.shape;
  const shaped = outH === H && outW === W ? null : c.temp();
  if (shaped) c.emit('Reshape', [nhwc, c.int64([0, outH!, outW!, 0])], [shaped]);
  const result = shaped ?? nhwc;
  if (dtype === 'float32') return void c.emit('Identity', [result], c.outputs);
  c.emit('Cast', [result], c.outputs, { to: dtype === 'int32' ? 6 : 9 });
}

/** The gradient's image and dy heights and widths (known). */
function gradientSizes(c: OnnxLowering): [number, number, number, number] {
  const [xH, xW] = staticShape(c, c.inputTypes[0]!.shape.slice(1, 3), 'images height and width');
  const [yH, yW] = staticShape(c, c.inputTypes[1]!.shape.slice(1, 3), 'dy height and width');
  return [xH!, xW!, yH!, yW!];
}

/**
 * The gradient of ResizeBilinear as tfjs's kernel computes it: `halfPixelCenters` is ignored, and its
 * result has the shape [batch, width, height, channels] (tfjs's; the values are laid out as
 * [batch, height, width, channels]).
 */
registerOp({
  name: 'ResizeBilinearGrad',
  inputNames: ['images', 'dy'],
  infer: (inputs) => {
    const [n, h, w, ch] = gradientInputs('ResizeBilinearGrad', inputs);
    return [tensorType('float32', [n, w, h, ch])];
  },
  onnx: (c) => {
    if (emptyOutput(c)) return fillOutput(c, 0);
    const [xH, xW, yH, yW] = gradientSizes(c);
    const weights = (inSize: number, outSize: number): number[][] => {
      const r = ratio(inSize, outSize, c.attrs.alignCorners);
      return Array.from({ length: outSize }, (_, i) => {
        const row = Array<number>(inSize).fill(0);
        const src = i * r;
        const lo = Math.floor(src);
        const frac = src - lo;
        row[lo]! += 1 - frac;
        row[Math.min(Math.ceil(src), inSize - 1)]! += frac;
        return row;
      });
    };
    if (yH === 0 || yW === 0) return fillOutput(c, 0);
    spread(c, weights(xH, yH), weights(xW, yW), 'float32');
  },
});

/**
 * The gradient of ResizeNearestNeighbor as tfjs's kernel computes it (`halfPixelCenters` ignored):
 * each dy value added to its nearest source pixel. (tfjs's cpu kernel reads dy at the images' batch
 * stride, so past the first image its result is wrong where the images and dy sizes differ; this
 * lowering gives the gradient.)
 */
registerOp({
  name: 'ResizeNearestNeighborGrad',
  inputNames: ['images', 'dy'],
  infer: (inputs) => {
    const [n, h, w, ch] = gradientInputs('ResizeNearestNeighborGrad', inputs);
    return [tensorType(inputs[0]!.dtype, [n, h, w, ch])];
  },
  onnx: (c) => {
    if (emptyOutput(c)) return fillOutput(c, 0);
    const [xH, xW, yH, yW] = gradientSizes(c);
    if (yH === 0 || yW === 0) return fillOutput(c, 0);
    const onehot = (inSize: number, outSize: number): number[][] =>
      nearestAxis(inSize, outSize, { alignCorners: c.attrs.alignCorners }).map((k) =>
        Array.from({ length: inSize }, (_, p) => (p === k ? 1 : 0)),
      );
    spread(c, onehot(xH, yH), onehot(xW, yW), c.outputTypes[0]!.dtype);
  },
});
