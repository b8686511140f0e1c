/**
 * Shape and data-movement ops: Reshape, Transpose, ExpandDims, Concat, Pack, Unpack, Slice,
 * StridedSlice, GatherV2, Tile, PadV2, Reverse, OneHot, Select, Fill, Range, Identity, ZerosLike,
 * OnesLike; and, for dynamic dims, Shape, DynamicFill and DynamicReshape (not tfjs kernels). (tfjs's `squeeze` is a Reshape; `zeros`/`ones` make a tensor without any kernel.)
 *
 * Concat and Pack are variadic: tfjs passes their inputs as an ARRAY (`runKernel('Concat', [a, b], ...)`),
 * not a named map, so they are registered `variadic` and their `infer` takes any number of inputs.
 */
import type { Attrs } from '../graph.ts';
import {
  broadcastShapes,
  compatibleDim,
  type Dim,
  type DType,
  formatDim,
  formatShape,
  formatType,
  isStatic,
  sizeOf,
  type TensorType,
  tensorType,
} from '../types.ts';
import {
  addDim,
  arity,
  checkDims,
  compatibleShape,
  dim,
  dimListAttr,
  dimOrNull,
  dtypeAttr,
  dynamicAttr,
  fail,
  intAttr,
  intListAttr,
  mergeDim,
  mulDim,
  normAxis,
  numberAttr,
  parseAxes,
  sameShape,
  show,
  upcast,
} from './attrs.ts';
import {
  fillOutput,
  inputAs,
  noDynamicLowering,
  ONNX_ELEM_TYPE,
  reductionAxes,
  runtimeShape,
  staticShape,
  where,
} from './onnx.ts';
import {
  type GradientContext,
  noGradient,
  type OnnxLowering,
  registerOp,
  type Tensor,
  tfjsGradient,
} from './registry.ts';

const unary =
  (op: string, rule: (x: TensorType, attrs: Attrs) => TensorType[]) =>
  (inputs: readonly TensorType[], attrs: Attrs): TensorType[] => {
    arity(op, inputs, 1);
    return rule(inputs[0]!, attrs);
  };

/** The value expanded to x's shape (its run-time shape where a dim is dynamic), in x's dtype (bool included). */
const filledLike =
  (value: number) =>
  (c: OnnxLowering): void =>
    fillOutput(c, value, 0, 0);
const LIKE: Record<string, (c: OnnxLowering) => void> = {
  Identity: (c) => c.emit('Identity', c.inputs, c.outputs),
  ZerosLike: filledLike(0),
  OnesLike: filledLike(1),
};
for (const [name, onnx] of Object.entries(LIKE)) {
  const readsOnlyTypes = name !== 'Identity';
  registerOp({ name, inputNames: ['x'], infer: unary(name, (x) => [x]), onnx, readsOnlyTypes });
}

/**
 * tfjs's `inferFromImplicitShape` and the element-count check of the Reshape kernel. A null in `to` is
 * a dim tfjs computed from a dynamic dim: unknown here. With a dynamic dim in `from` or `to`, the -1 is
 * unknown too (null), and the element count is checked only where the mismatch is certain.
 */
export function reshapeShape(op: string, from: readonly Dim[], to: readonly Dim[]): Dim[] {
  let implicit = -1;
  let known = 1;
  to.forEach((d, i) => {
    if (d === null) return;
    if (!Number.isInteger(d) || d < -1) fail(op, `shape [${formatShape(to)}] has an invalid dimension ${d}`);
    if (d === -1) {
      if (implicit !== -1) fail(op, `shape [${formatShape(to)}] has more than one -1`);
      implicit = i;
    } else known *= d;
  });
  const shape: Dim[] = [...to];
  const size = sizeOf(from);
  const unknownTo = to.filter((d) => d === null).length;
  if (size === null || unknownTo > 0) {
    if (implicit !== -1 && known === 0)
      fail(op, `cannot infer the -1 in [${formatShape(to)}] when the other dimensions have 0 elements`);
    if (size !== null && implicit === -1 && unknownTo === 1 && known !== 0) {
      // a static input and one unknown entry: that entry is what the element count leaves
      if (size % known !== 0) fail(op, `cannot reshape [${from}] (${size} elements) to [${formatShape(to)}]`);
      shape[to.indexOf(null)] = size / known;
    } else if (implicit !== -1) shape[implicit] = null;
    if (size === null && unknownTo === 0 && implicit === -1) {
      // a static target: its count must be a multiple of the input's known dims (when non-zero)
      const knownFrom = from.reduce<number>((n, d) => n * (d ?? 1), 1);
      if (knownFrom !== 0 && known % knownFrom !== 0)
        fail(op, `cannot reshape [${formatShape(from)}] to [${formatShape(to)}] (${known} elements)`);
    }
    return shape;
  }
  if (implicit !== -1) {
    if (known === 0) fail(op, `cannot infer the -1 in [${to}] when the other dimensions have 0 elements`);
    if (size % known !== 0) fail(op, `cannot reshape [${from}] (${size} elements) to [${to}]`);
    shape[implicit] = size / known;
  }
  if (sizeOf(shape) !== size)
    fail(op, `cannot reshape [${from}] (${size} elements) to [${to}] (${sizeOf(shape)} elements)`);
  return shape;
}

/**
 * ONNX Reshape of `x` to `shape`. One unknown dim is ONNX's -1 (inferred from the element count,
 * exactly: the other dims are known and non-zero). Several unknown dims cannot be told apart from
 * static types alone ([?,?] → [?,?] may be [2,6] → [3,4]): such a shape must come at run time, from
 * a DynamicReshape.
 */
export function reshapeTo(c: OnnxLowering, x: string, out: string, shape: readonly Dim[]): void {
  if (isStatic(shape)) return void c.emit('Reshape', [x, c.int64(shape)], [out], { allowzero: 1 });
  const unknown = shape.filter((d) => d === null).length;
  if (unknown > 1 || shape.includes(0))
    noDynamicLowering(
      c,
      `the target shape [${formatShape(shape)}] has ${unknown > 1 ? 'several unknown dims' : 'an unknown dim beside a 0'} (stage it as a DynamicReshape)`,
    );
  c.emit('Reshape', [x, c.int64(shape.map((d) => d ?? -1))], [out]);
}

registerOp({
  name: 'Reshape',
  onnx: (c) => reshapeTo(c, c.inputs[0]!, c.outputs[0]!, c.outputTypes[0]!.shape),
  // one unknown dim of the target (a gradient's reshape back to a dynamic shape) is what the element
  // count leaves, as in the ONNX lowering
  eager: (tf, [x], attrs) => [
    tf.reshape(
      x!,
      (attrs.shape as Dim[]).map((d) => d ?? -1),
    ),
  ],
  inputNames: ['x'],
  infer: unary('Reshape', (x, attrs) => [
    tensorType(x.dtype, reshapeShape('Reshape', x.shape, dimListAttr('Reshape', attrs, 'shape'))),
  ]),
});

registerOp({
  name: 'Transpose',
  onnx: (c) => c.emit('Transpose', c.inputs, c.outputs, { perm: c.attrs.perm as number[] }),
  inputNames: ['x'],
  infer: unary('Transpose', (x, attrs) => {
    const perm = intListAttr('Transpose', attrs, 'perm');
    const rank = x.shape.length;
    if (perm.length !== rank || !perm.every((p, i) => p >= 0 && p < rank && perm.indexOf(p) === i))
      fail('Transpose', `perm [${perm}] is not a permutation of the ${rank} axes`);
    return [
      tensorType(
        x.dtype,
        perm.map((p) => x.shape[p]!),
      ),
    ];
  }),
});

function expandDims(op: string, shape: readonly Dim[], axis: number): Dim[] {
  const rank = shape.length;
  if (!Number.isInteger(axis) || axis < -(rank + 1) || axis > rank)
    fail(op, `axis ${axis} is out of range [${-(rank + 1)}, ${rank}] for rank ${rank}`);
  const out: Dim[] = [...shape];
  out.splice(axis < 0 ? axis + rank + 1 : axis, 0, 1);
  return out;
}

registerOp({
  name: 'ExpandDims',
  // A Reshape to the static output shape; Unsqueeze where a dim is dynamic
  onnx: (c) => {
    const out = c.outputTypes[0]!.shape;
    if (isStatic(out))
      return void c.emit('Reshape', [c.inputs[0]!, c.int64(out)], c.outputs, { allowzero: 1 });
    const rank = c.inputTypes[0]!.shape.length;
    const axis = intAttr('ExpandDims', c.attrs, 'dim');
    c.emit('Unsqueeze', [c.inputs[0]!, c.int64([axis < 0 ? axis + rank + 1 : axis])], c.outputs);
  },
  inputNames: ['input'],
  infer: unary('ExpandDims', (x, attrs) => [
    tensorType(x.dtype, expandDims('ExpandDims', x.shape, intAttr('ExpandDims', attrs, 'dim'))),
  ]),
});

/** Variadic kernels take their inputs as an array. */
const atLeastOne = (op: string, inputs: readonly TensorType[]) => {
  if (inputs.length === 0) fail(op, 'takes at least one input (variadic inputs are passed as an array)');
};

registerOp({
  name: 'Concat',
  onnx: (c) =>
    c.emit(
      'Concat',
      c.inputs.map((_, i) => inputAs(c, i, c.outputTypes[0]!.dtype)),
      c.outputs,
      { axis: reductionAxes(c.attrs.axis, c.inputTypes[0]!.shape.length)[0]! },
    ),
  inputNames: [],
  infer: (inputs, attrs) => {
    atLeastOne('Concat', inputs);
    const first = inputs[0]!;
    const rank = first.shape.length;
    if (rank === 0) fail('Concat', 'cannot concatenate scalars');
    const axis = parseAxes('Concat', attrs.axis, rank)[0]!;
    const shape: Dim[] = [...first.shape];
    shape[axis] = 0;
    for (const t of inputs) {
      if (t.shape.length !== rank) fail('Concat', `inputs have ranks ${rank} and ${t.shape.length}`);
      if (!t.shape.every((d, i) => i === axis || compatibleDim(d, shape[i]!)))
        fail(
          'Concat',
          `shapes [${formatShape(first.shape)}] and [${formatShape(t.shape)}] differ outside axis ${axis}`,
        );
      t.shape.forEach((d, i) => {
        shape[i] = i === axis ? addDim(shape[i]!, d) : mergeDim(shape[i]!, d);
      });
    }
    // tfjs gives the result the first input's dtype (values of other dtypes are converted).
    return [tensorType(first.dtype, shape)];
  },
  variadic: true,
  gradient: concatGradient,
});

registerOp({
  name: 'Pack',
  onnx: (c) => {
    const axis = reductionAxes(c.attrs.axis ?? 0, c.inputTypes[0]!.shape.length + 1)[0]!;
    const expanded = c.inputs.map((x) => {
      const t = c.temp();
      c.emit('Unsqueeze', [x, c.int64([axis])], [t]);
      return t;
    });
    c.emit('Concat', expanded, c.outputs, { axis });
  },
  inputNames: [],
  infer: (inputs, attrs) => {
    atLeastOne('Pack', inputs);
    const first = inputs[0]!;
    let merged: readonly Dim[] = first.shape;
    for (const t of inputs) {
      if (!compatibleShape(t.shape, merged))
        fail('Pack', `shapes [${formatShape(first.shape)}] and [${formatShape(t.shape)}] differ`);
      if (t.dtype !== first.dtype) fail('Pack', `dtypes ${first.dtype} and ${t.dtype} differ`);
      merged = merged.map((d, i) => mergeDim(d, t.shape[i]!));
    }
    const rank = first.shape.length;
    const axis = intAttr('Pack', attrs, 'axis');
    expandDims('Pack', first.shape, axis); // range check: [-(rank + 1), rank]
    const shape: Dim[] = [...merged];
    shape.splice(axis < 0 ? axis + rank + 1 : axis, 0, inputs.length);
    return [tensorType(first.dtype, shape)];
  },
  variadic: true,
});

registerOp({
  name: 'Unpack',
  // Split into size-1 slices along the axis, each squeezed
  onnx: (c) => {
    const axis = reductionAxes(c.attrs.axis ?? 0, c.inputTypes[0]!.shape.length)[0]!;
    if (c.outputs.length === 0) return;
    if (c.outputs.length === 1) return void c.emit('Squeeze', [c.inputs[0]!, c.int64([axis])], c.outputs);
    const parts = c.outputs.map(() => c.temp());
    c.emit('Split', c.inputs, parts, { axis, num_outputs: parts.length });
    parts.forEach((p, i) => c.emit('Squeeze', [p, c.int64([axis])], [c.outputs[i]!]));
  },
  inputNames: ['value'],
  multipleOutputs: true,
  infer: unary('Unpack', (x, attrs) => {
    const rank = x.shape.length;
    if (rank === 0) fail('Unpack', 'cannot unstack a scalar');
    const axis = normAxis('Unpack', intAttr('Unpack', attrs, 'axis'), rank);
    const count = x.shape[axis] as Dim;
    // one output per element along the axis: their number must be known
    if (count === null)
      fail('Unpack', `cannot unstack [${formatShape(x.shape)}] along a dynamic dimension (${axis})`);
    const part = tensorType(
      x.dtype,
      x.shape.filter((_, i) => i !== axis),
    );
    return Array.from({ length: count }, () => part);
  }),
});

/** tfjs's `split`: `numOrSizeSplits` equal parts, or these sizes (one may be -1: the rest). */
registerOp({
  name: 'SplitV',
  onnx: (c) => {
    const axis = reductionAxes(c.attrs.axis ?? 0, c.inputTypes[0]!.shape.length)[0]!;
    const sizes = c.outputTypes.map((t) => t.shape[axis]!);
    c.emit('Split', [c.inputs[0]!, c.int64(sizes)], c.outputs, { axis });
  },
  inputNames: ['x'],
  multipleOutputs: true,
  infer: unary('SplitV', (x, attrs) => {
    const rank = x.shape.length;
    if (rank === 0) fail('SplitV', 'cannot split a scalar');
    const axis = normAxis('SplitV', intAttr('SplitV', attrs, 'axis', 0), rank);
    const dim = x.shape[axis] as Dim;
    const parts = attrs.numOrSizeSplits;
    let sizes: number[];
    // explicit sizes fix every output along a dynamic axis; a count or a -1 depend on its size
    if (dim === null && (!Array.isArray(parts) || parts.includes(-1)))
      fail(
        'SplitV',
        `cannot split [${formatShape(x.shape)}] into ${show(parts)} along a dynamic dimension (${axis})`,
      );
    if (dim === null) {
      if (!(parts as unknown[]).every((p) => Number.isInteger(p) && (p as number) >= 0))
        fail('SplitV', `numOrSizeSplits must be a count or a list of sizes, got ${show(parts)}`);
      sizes = [...(parts as number[])];
    } else if (typeof parts === 'number') {
      if (!Number.isInteger(parts) || parts <= 0 || dim % parts !== 0)
        fail('SplitV', `${show(parts)} parts do not divide dimension ${axis} of [${x.shape}] evenly`);
      sizes = Array.from({ length: parts }, () => dim / parts);
    } else {
      if (!Array.isArray(parts) || !parts.every((p) => Number.isInteger(p) && p >= -1))
        fail('SplitV', `numOrSizeSplits must be a count or a list of sizes, got ${show(parts)}`);
      sizes = [...(parts as number[])];
      const rest = sizes.indexOf(-1);
      if (rest !== sizes.lastIndexOf(-1)) fail('SplitV', `only one size may be -1, got ${show(parts)}`);
      if (rest >= 0) sizes[rest] = dim - sizes.reduce((a, b) => a + b, 1);
      if (sizes.reduce((a, b) => a + b, 0) !== dim || sizes.some((p) => p < 0))
        fail('SplitV', `sizes ${show(parts)} do not add up to dimension ${axis} of [${x.shape}]`);
    }
    return sizes.map((size) =>
      tensorType(
        x.dtype,
        x.shape.map((d, i) => (i === axis ? size : d)),
      ),
    );
  }),
});

/**
 * tfjs's `parseSliceParams` + `assertParamsValid`: begin/size may be a number or short; size -1 = rest.
 * A null size is one tfjs computed from a dynamic dim (`x.shape[0] - begin`): the rest, as -1. On a
 * dynamic dim, only what is certain is checked (a static size may still overflow at run time).
 */
export function sliceShape(op: string, shape: readonly Dim[], beginAttr: unknown, sizeAttr: unknown): Dim[] {
  const rank = shape.length;
  const ints = (v: unknown, what: string, nulls: boolean): Dim[] => {
    const list = typeof v === 'number' ? [v] : v;
    if (!nulls && Array.isArray(list) && list.includes(null)) dynamicAttr(op, what);
    if (!Array.isArray(list) || !list.every((d) => Number.isInteger(d) || (nulls && d === null)))
      fail(op, `${what} must be an integer or an array of integers, got ${show(v)}`);
    return list as Dim[];
  };
  const begin = ints(beginAttr, 'begin', false) as number[];
  const size = sizeAttr == null ? [] : ints(sizeAttr, 'size', true);
  if (begin.length > rank || size.length > rank)
    fail(op, `begin [${begin}] and size [${size}] must have at most ${rank} entries (the rank)`);
  return shape.map((d, i) => {
    const b = begin[i] ?? 0;
    const s = size[i] === null ? -1 : (size[i] ?? -1);
    if (b < 0 || (d !== null && b > d)) fail(op, `begin[${i}] = ${b} is out of range [0, ${formatDim(d)}]`);
    if (s < -1) fail(op, `size[${i}] = ${s}: negative sizes must be exactly -1`);
    if (d === null) return s === -1 ? null : s;
    const n = s === -1 ? d - b : s;
    if (b + n > d) fail(op, `begin[${i}] + size[${i}] = ${b + n} overflows dimension ${i} (${d})`);
    return n;
  });
}

registerOp({
  name: 'Slice',
  onnx: (c) => {
    const rank = c.inputTypes[0]!.shape.length;
    if (rank === 0) return void c.emit('Identity', c.inputs, c.outputs);
    const beginAttr = c.attrs.begin;
    const begin = typeof beginAttr === 'number' ? [beginAttr] : ((beginAttr as number[]) ?? []);
    const starts = Array.from({ length: rank }, (_, i) => begin[i] ?? 0);
    // an unknown output dim is the rest of its (dynamic) input dim: to the end
    const ends = starts.map((s, i) => {
      const n = c.outputTypes[0]!.shape[i]!;
      return n === null ? Number.MAX_SAFE_INTEGER : s + n;
    });
    c.emit('Slice', [c.inputs[0]!, c.int64(starts), c.int64(ends)], c.outputs);
  },
  inputNames: ['x'],
  infer: unary('Slice', (x, attrs) => [
    tensorType(x.dtype, sliceShape('Slice', x.shape, attrs.begin, attrs.size)),
  ]),
});

registerOp({
  name: 'StridedSlice',
  onnx: (c) => lowerStridedSlice(c),
  inputNames: ['x'],
  infer: unary('StridedSlice', (x, attrs) => [tensorType(x.dtype, stridedSliceShape(x.shape, attrs))]),
});

/**
 * StridedSlice without ellipsis or new axes: each sliced dimension's begin/end made canonical as tfjs
 * does (negative indices, masks, clamping), one ONNX Slice over every dimension, then a Reshape to the
 * output shape (which drops the shrunk axes).
 */
function lowerStridedSlice(c: OnnxLowering): void {
  const op = 'StridedSlice';
  for (const m of ['ellipsisMask', 'newAxisMask'])
    if (intAttr(op, c.attrs, m, 0) !== 0)
      throw new Error(
        `StridedSlice: ${m} ${show(c.attrs[m])} has no ONNX lowering (only begin, end and shrink masks)`,
      );
  const xShape = c.inputTypes[0]!.shape;
  if (xShape.length === 0) return void c.emit('Identity', c.inputs, c.outputs);
  const begin = intListAttr(op, c.attrs, 'begin');
  const end = intListAttr(op, c.attrs, 'end');
  const strides = c.attrs.strides == null ? begin.map(() => 1) : intListAttr(op, c.attrs, 'strides');
  const [beginMask, endMask, shrinkMask] = ['beginMask', 'endMask', 'shrinkAxisMask'].map((m) =>
    intAttr(op, c.attrs, m, 0),
  ) as [number, number, number];
  // tfjs's kernel takes its contiguous-slice path for some slices with a shrunk axis and ignores the
  // other axes' strides there (x[0, ::2] gives x[0, :2]): such slices are not lowered
  const strided = strides.findIndex((st, i) => st !== 1 && !(shrinkMask & (1 << i)));
  if (shrinkMask !== 0 && strided >= 0)
    throw new Error(
      `StridedSlice: a shrunk axis beside axis ${strided}'s stride ${strides[strided]} has no ONNX lowering`,
    );
  const big = 2 ** 31 - 1;
  const starts: number[] = [];
  const ends: number[] = [];
  const steps: number[] = [];
  const shrunk: number[] = [];
  xShape.forEach((d, i) => {
    if (i >= begin.length) return void (starts.push(0), ends.push(d ?? big), steps.push(1));
    const stride = strides[i]!;
    if (shrinkMask & (1 << i)) shrunk.push(i);
    if (d === null) return void dynamicDim(i, stride);
    let b: number;
    let e: number;
    if (shrinkMask & (1 << i)) {
      // tfjs's kernel reads a shrunk axis with another stride wrongly (x[:, 0] with strides [1, 2])
      if (stride !== 1)
        throw new Error(`StridedSlice: a shrunk axis (${i}) with stride ${stride} has no ONNX lowering`);
      b = begin[i]! < 0 ? d + begin[i]! : begin[i]!;
      e = b + 1;
    } else {
      const valid = [stride > 0 ? 0 : -1, stride > 0 ? d : d - 1] as const;
      const canonical = (v: number, masked: boolean, which: 0 | 1) => {
        if (masked) return stride > 0 ? valid[which] : valid[(which + 1) & 1]!;
        const fwd = v < 0 ? d + v : v;
        return Math.min(Math.max(fwd, valid[0]), valid[1]);
      };
      b = canonical(begin[i]!, (beginMask & (1 << i)) !== 0, 0);
      e = canonical(end[i]!, (endMask & (1 << i)) !== 0, 1);
    }
    const interval = e - b;
    if (interval === 0 || interval < 0 !== stride < 0)
      return void (starts.push(0), ends.push(0), steps.push(1));
    starts.push(b);
    ends.push(e < 0 ? -big : e);
    steps.push(stride);
  });
  /**
   * A dynamic dim's begin and end go to ONNX Slice as given: it makes negative indices count from the
   * end and clamps them as TF does, except a begin before the start on a negative stride (TF: empty,
   * ONNX: the first element), which is refused.
   */
  function dynamicDim(i: number, stride: number): void {
    const [b, e] = [begin[i]!, end[i]!];
    if (shrinkMask & (1 << i)) return void (starts.push(b), ends.push(b === -1 ? big : b + 1), steps.push(1));
    const beginMasked = (beginMask & (1 << i)) !== 0;
    if (!beginMasked && stride < 0 && b < -1)
      noDynamicLowering(c, `begin ${b} with stride ${stride} on dynamic axis ${i}`);
    starts.push(beginMasked ? (stride > 0 ? 0 : big) : b);
    ends.push((endMask & (1 << i)) !== 0 ? (stride > 0 ? big : -big) : e);
    steps.push(stride);
  }
  const sliced = c.temp();
  c.emit(
    'Slice',
    [c.inputs[0]!, c.int64(starts), c.int64(ends), c.int64(xShape.map((_, i) => i)), c.int64(steps)],
    [sliced],
  );
  const out = c.outputTypes[0]!.shape;
  if (isStatic(out)) c.emit('Reshape', [sliced, c.int64(out)], c.outputs, { allowzero: 1 });
  // (without new axes or an ellipsis, the output is the slice without its shrunk axes)
  else if (shrunk.length) c.emit('Squeeze', [sliced, c.int64(shrunk)], c.outputs);
  else c.emit('Identity', [sliced], c.outputs);
}

/** The size of one non-shrunk dim `d` of a strided slice, as `sliceInfo` canonicalizes it. */
function rangeSize(
  d: number,
  begin: number,
  end: number,
  stride: number,
  beginMasked: boolean,
  endMasked: boolean,
): number {
  const valid = [stride > 0 ? 0 : -1, stride > 0 ? d : d - 1] as const;
  const canonical = (v: number, masked: boolean, c: 0 | 1) => {
    if (masked) return stride > 0 ? valid[c] : valid[(c + 1) & 1]!;
    const fwd = v < 0 ? d + v : v;
    return Math.min(Math.max(fwd, valid[0]), valid[1]);
  };
  const interval = canonical(end, endMasked, 1) - canonical(begin, beginMasked, 0);
  return interval === 0 || interval < 0 !== stride < 0 ? 0 : Math.ceil(interval / stride);
}

const NEW_AXIS = -2;
const SHRINK_AXIS = -1;

/**
 * The output shape of tfjs's StridedSlice kernel: a port of `slice_util.sliceInfo` (itself TF's
 * `ValidateStridedSliceOp`), with the checks of the kernel's fast paths, which slice with `begin/size`
 * and reshape and so throw where `begin > end` on a stride-1 slice, as tfjs does.
 */
export function stridedSliceShape(xShape: readonly Dim[], attrs: Attrs): Dim[] {
  const op = 'StridedSlice';
  const begin = intListAttr(op, attrs, 'begin');
  const end = intListAttr(op, attrs, 'end');
  const strides = attrs.strides == null ? begin.map(() => 1) : intListAttr(op, attrs, 'strides');
  if (begin.length !== end.length || begin.length !== strides.length)
    fail(op, `begin [${begin}], end [${end}] and strides [${strides}] must have the same length`);
  const mask = (name: string) => {
    const m = intAttr(op, attrs, name, 0);
    if (m < 0) fail(op, `${name} must be non-negative, got ${m}`);
    return m;
  };
  const beginMask = mask('beginMask');
  const endMask = mask('endMask');
  let ellipsisMask = mask('ellipsisMask');
  const newAxisMask = mask('newAxisMask');
  const shrinkAxisMask = mask('shrinkAxisMask');
  if ((ellipsisMask & (ellipsisMask - 1)) !== 0) fail(op, 'multiple ellipses in a slice are not allowed');

  // Step 1: account for the ellipsis (one is implied at the end) and the new axes after it.
  let sparseDims = strides.length;
  let ellipsisSeen = false;
  let newAxesAfterEllipsis = 0;
  for (let i = 0; i < sparseDims; i++) {
    if (ellipsisSeen && ((1 << i) & newAxisMask) !== 0) newAxesAfterEllipsis++;
    if ((1 << i) & ellipsisMask) ellipsisSeen = true;
  }
  if (!ellipsisSeen) {
    ellipsisMask |= 1 << sparseDims;
    sparseDims++;
  }

  // Step 2: the dense spec, one entry per input dimension.
  const rank = xShape.length;
  const dBegin: number[] = new Array(rank);
  const dEnd: number[] = new Array(rank);
  const dStrides: number[] = new Array(rank);
  let dBeginMask = 0;
  let dEndMask = 0;
  let dShrinkMask = 0;
  const gather: number[] = [];
  let full = 0;
  for (let i = 0; i < sparseDims; i++) {
    if ((1 << i) & ellipsisMask) {
      const next = Math.min(rank - (sparseDims - i) + 1 + newAxesAfterEllipsis, rank);
      for (; full < next; full++) {
        dBegin[full] = 0;
        dEnd[full] = 0;
        dStrides[full] = 1;
        dBeginMask |= 1 << full;
        dEndMask |= 1 << full;
        gather.push(full);
      }
    } else if ((1 << i) & newAxisMask) {
      gather.push(NEW_AXIS);
    } else {
      if (full === rank) fail(op, `the slice indexes more dimensions than the input's ${rank}`);
      dBegin[full] = begin[i]!;
      dEnd[full] = end[i]!;
      dStrides[full] = strides[i]!;
      if (beginMask & (1 << i)) dBeginMask |= 1 << full;
      if (endMask & (1 << i)) dEndMask |= 1 << full;
      if (shrinkAxisMask & (1 << i)) {
        gather.push(SHRINK_AXIS);
        dShrinkMask |= 1 << full;
      } else gather.push(full);
      full++;
    }
  }

  // Step 3: canonical begin/end per dimension and the processing shape.
  let isIdentity = true;
  let sliceDim0 = true;
  let isSimpleSlice = true;
  const processing: Dim[] = [];
  for (let i = 0; i < rank; i++) {
    const stride = dStrides[i]!;
    const d = xShape[i]!;
    if (stride === 0) fail(op, `strides[${i}] must be non-zero`);
    const shrink = (dShrinkMask & (1 << i)) !== 0;
    if (d === null) {
      // A dynamic dim: an index (shrunk) leaves nothing. A range's size is a function of the dim
      // that is constant past its largest index (|begin|, |end|), so trying every size up to there
      // and one far beyond tells whether it is the same for every size (x[0:0], x[-2:-1]).
      if (shrink && stride <= 0) fail(op, 'only stride 1 is allowed on a shrunk (indexed) axis');
      isIdentity = false;
      if (shrink) {
        processing.push(1);
        continue;
      }
      const reach = Math.max(Math.abs(dBegin[i]!), Math.abs(dEnd[i]!)) + 2;
      const sizes = new Set(
        [...Array.from({ length: reach + 1 }, (_, k) => k), reach + 1000].map((size) =>
          rangeSize(
            size,
            dBegin[i]!,
            dEnd[i]!,
            stride,
            (dBeginMask & (1 << i)) !== 0,
            (dEndMask & (1 << i)) !== 0,
          ),
        ),
      );
      processing.push(sizes.size === 1 ? [...sizes][0]! : null);
      continue;
    }
    const masks = [dBeginMask & (1 << i), dEndMask & (1 << i)];
    const valid = [stride > 0 ? 0 : -1, stride > 0 ? d : d - 1];
    if (shrink && stride <= 0) fail(op, 'only stride 1 is allowed on a shrunk (indexed) axis');
    isSimpleSlice = isSimpleSlice && stride === 1;
    if (shrink) {
      const fwd = dBegin[i]! < 0 ? d + dBegin[i]! : dBegin[i]!;
      dBegin[i] = fwd;
      dEnd[i] = fwd + 1;
      if (fwd < 0 || fwd >= d) fail(op, `index ${fwd} of dimension ${i} is out of bounds (size ${d})`);
    } else {
      const canonical = (v: number, c: 0 | 1) => {
        if (masks[c]) return stride > 0 ? valid[c]! : valid[(c + 1) & 1]!;
        const fwd = v < 0 ? d + v : v;
        return fwd < valid[0]! ? valid[0]! : fwd > valid[1]! ? valid[1]! : fwd;
      };
      dBegin[i] = canonical(dBegin[i]!, 0);
      dEnd[i] = canonical(dEnd[i]!, 1);
    }
    const takeAll = stride === 1 && dBegin[i] === 0 && dEnd[i] === d;
    isIdentity = isIdentity && takeAll;
    sliceDim0 = sliceDim0 && ((i === 0 && stride === 1) || takeAll);
    const interval = dEnd[i]! - dBegin[i]!;
    processing.push(
      interval === 0 || interval < 0 !== stride < 0
        ? 0
        : Math.trunc(interval / stride) + (interval % stride !== 0 ? 1 : 0),
    );
  }

  // Step 4: the final shape (new axes add a 1, shrunk axes go).
  const finalShape: Dim[] = [];
  for (const g of gather) {
    if (g >= 0) finalShape.push(processing[g]!);
    else if (g === NEW_AXIS) finalShape.push(1);
  }

  // The kernel's fast path: slice(begin, size = end - begin) then reshape, where a size of -1 means
  // "to the end" and a smaller one is an error.
  // (not checked with a dynamic dim, which may make either kernel path's check pass at run time)
  if (!isIdentity && (sliceDim0 || isSimpleSlice) && isStatic(xShape)) {
    if (rank === 0) fail(op, 'the input must have rank 1 or more');
    const size = dBegin.map((b, i) => {
      const s = Math.ceil((dEnd[i]! - b) / dStrides[i]!);
      if (s < -1)
        fail(op, `begin ${b} is past end ${dEnd[i]} on dimension ${i} (tfjs's slice path rejects it)`);
      return s === -1 ? xShape[i]! - b : s;
    });
    if (sizeOf(size) !== sizeOf(finalShape as number[]))
      fail(
        op,
        `begin is past end on a dimension of [${xShape}] (tfjs's slice path cannot reshape [${size}])`,
      );
  }
  return finalShape.map(dimOrNull);
}

registerOp({
  name: 'GatherV2',
  canFail: true,
  onnx: (c) => {
    const batchDims = (c.attrs.batchDims as number | undefined) ?? 0;
    if (batchDims !== 0) throw new Error(`GatherV2: batchDims ${batchDims} has no ONNX lowering (only 0)`);
    c.emit('Gather', c.inputs, c.outputs, {
      axis: reductionAxes(c.attrs.axis ?? 0, c.inputTypes[0]!.shape.length)[0]!,
    });
  },
  inputNames: ['x', 'indices'],
  gradient: (ctx) => (gatheredFromDynamicRows(ctx) ? gatherRowsGradient(ctx) : tfjsGather(ctx)),
  infer: (inputs, attrs) => {
    const op = 'GatherV2';
    arity(op, inputs, 2);
    const [x, indices] = inputs as [TensorType, TensorType];
    if (indices.dtype !== 'int32') fail(op, `indices must be int32, got ${indices.dtype}`);
    const xRank = x.shape.length;
    const iRank = indices.shape.length;
    if (xRank === 0) fail(op, 'cannot gather from a scalar');
    const axis = parseAxes(op, attrs.axis ?? 0, xRank)[0]!;
    let batchDims = intAttr(op, attrs, 'batchDims', 0);
    if (batchDims < -iRank || batchDims > iRank)
      fail(op, `batchDims ${batchDims} is out of range [${-iRank}, ${iRank}]`);
    if (batchDims < 0) batchDims += iRank;
    if (batchDims > xRank) fail(op, `batchDims ${batchDims} exceeds the rank of x (${xRank})`);
    if (axis < batchDims) fail(op, `batchDims ${batchDims} must be at most axis ${axis}`);
    const batch = x.shape.slice(0, batchDims).map((d, i) => {
      if (!compatibleDim(d, indices.shape[i]!))
        fail(op, `x.shape[${i}] = ${d} differs from indices.shape[${i}] = ${indices.shape[i]}`);
      return mergeDim(d, indices.shape[i]!);
    });
    return [
      tensorType(x.dtype, [
        ...batch,
        ...x.shape.slice(batchDims, axis),
        ...indices.shape.slice(batchDims),
        ...x.shape.slice(axis + 1),
      ]),
    ];
  },
});

registerOp({
  name: 'Tile',
  onnx: (c) =>
    c.emit('Tile', [c.inputs[0]!, c.int64(staticShape(c, c.attrs.reps as Dim[], 'reps'))], c.outputs),
  inputNames: ['x'],
  // a null rep (tfjs computed it from a dynamic dim) gives an unknown dim
  infer: unary('Tile', (x, attrs) => {
    const reps = dimListAttr('Tile', attrs, 'reps');
    if (reps.length !== x.shape.length)
      fail(
        'Tile',
        `reps [${formatShape(reps)}] must have one entry per dimension of [${formatShape(x.shape)}]`,
      );
    checkDims('Tile', reps, 'reps');
    return [
      tensorType(
        x.dtype,
        x.shape.map((d, i) => mulDim(d, reps[i]!)),
      ),
    ];
  }),
});

registerOp({
  name: 'PadV2',
  onnx: (c) => {
    const paddings = c.attrs.paddings as [number, number][];
    if (paddings.length === 0) return void c.emit('Identity', c.inputs, c.outputs);
    const pads = [...paddings.map((p) => p[0]), ...paddings.map((p) => p[1])];
    const value = c.scalar((c.attrs.constantValue as number) ?? 0, c.inputTypes[0]!.dtype);
    c.emit('Pad', [c.inputs[0]!, c.int64(pads), value], c.outputs, { mode: 'constant' });
  },
  inputNames: ['x'],
  infer: unary('PadV2', (x, attrs) => {
    const paddings = attrs.paddings;
    if (Array.isArray(paddings) && paddings.some((p) => Array.isArray(p) && p.includes(null)))
      dynamicAttr('PadV2', 'paddings');
    const ok =
      Array.isArray(paddings) &&
      paddings.length === x.shape.length &&
      paddings.every(
        (p) => Array.isArray(p) && p.length === 2 && p.every((v) => Number.isInteger(v) && v >= 0),
      );
    if (!ok)
      fail(
        'PadV2',
        `paddings ${show(paddings)} must be one [before, after] pair of non-negative integers per dimension of [${x.shape}]`,
      );
    numberAttr('PadV2', attrs, 'constantValue', 0);
    return [
      tensorType(
        x.dtype,
        x.shape.map((d, i) => addDim((paddings as number[][])[i]![0]! + (paddings as number[][])[i]![1]!, d)),
      ),
    ];
  }),
});

registerOp({
  name: 'Reverse',
  onnx: (c) => {
    const rank = c.inputTypes[0]!.shape.length;
    const axes = reductionAxes(c.attrs.dims, rank);
    if (axes.length === 0) return void c.emit('Identity', c.inputs, c.outputs);
    const big = 2 ** 31 - 1;
    c.emit(
      'Slice',
      [
        c.inputs[0]!,
        c.int64(axes.map(() => -1)),
        c.int64(axes.map(() => -big)),
        c.int64(axes),
        c.int64(axes.map(() => -1)),
      ],
      c.outputs,
    );
  },
  inputNames: ['x'],
  infer: unary('Reverse', (x, attrs) => {
    parseAxes('Reverse', attrs.dims, x.shape.length, 'dims');
    return [x];
  }),
});

registerOp({
  name: 'OneHot',
  // indices[..., None] == [0, depth) picks onValue, else offValue (tfjs: out-of-range indices, negative
  // ones included, give a row of offValue; ONNX OneHot would wrap negative ones around)
  onnx: (c) => {
    const depth = c.outputTypes[0]!.shape.at(-1)!;
    const dtype = c.outputTypes[0]!.dtype;
    const [expanded, wide, hot] = [c.temp(), c.temp(), c.temp()];
    c.emit('Unsqueeze', [c.inputs[0]!, c.int64([-1])], [expanded]);
    c.emit('Cast', [expanded], [wide], { to: 7 });
    c.emit('Equal', [wide, c.int64(Array.from({ length: depth }, (_, i) => i))], [hot]);
    const value = (name: string, fallback: number) =>
      c.scalar((c.attrs[name] as number | undefined) ?? fallback, dtype);
    where(c, hot, value('onValue', 1), value('offValue', 0), c.outputs[0]!, dtype);
  },
  inputNames: ['indices'],
  infer: unary('OneHot', (indices, attrs) => {
    if (indices.dtype !== 'int32') fail('OneHot', `indices must be int32, got ${indices.dtype}`);
    const depth = intAttr('OneHot', attrs, 'depth');
    if (depth < 0) fail('OneHot', `depth must be non-negative, got ${depth}`);
    numberAttr('OneHot', attrs, 'onValue', 1);
    numberAttr('OneHot', attrs, 'offValue', 0);
    return [tensorType(dtypeAttr('OneHot', attrs, 'dtype'), [...indices.shape, depth])];
  }),
});

/**
 * Select's output has t's shape and the upcast dtype. tfjs's `where` broadcasts all three inputs first,
 * except that its `broadcastTo` leaves a size-1 dimension as it is against a size-0 one: such empty
 * mismatches are accepted (the output still has t's shape, as tfjs gives).
 *
 * With `broadcast: true` (set by passes/simplify.ts when it drops the Tile that tfjs's `where`
 * recorded), the condition has t's rank and size-1 dimensions where it broadcasts: executed as tfjs's
 * `where` op, lowered as ONNX Where, which broadcasts, instead of tiling a bool tensor first.
 */
registerOp({
  name: 'Select',
  eager: (tf, [condition, t, e], attrs) =>
    [
      attrs.broadcast
        ? tf.where(condition!, t!, e!)
        : tf.engine().runKernel('Select', { condition, t, e } as any),
    ] as any,
  // on scalars of one dtype: a JS conditional (the condition is 0 or 1)
  scalar: ({ args: [c, t, e], inputTypes: [, tt, te], outputType }) =>
    tt!.dtype === outputType.dtype && te!.dtype === outputType.dtype ? `(${c} ? ${t} : ${e})` : undefined,
  // tfjs's `where` broadcasts the condition to t's shape first; its kernel reads any other condition
  // element by element (a scalar or a row condition fills only the first elements), which is not lowered
  onnx: (c) => {
    const [cond, t] = c.inputTypes as [TensorType, TensorType];
    // (shapes that are only compatible are equal at run time: tfjs's `where` broadcasts first)
    if (!c.attrs.broadcast && !compatibleShape(cond.shape, t.shape))
      throw new Error(
        `Select: a condition of shape [${cond.shape}] for t of shape [${t.shape}] has no ONNX lowering (only equal shapes)`,
      );
    // tfjs's kernel gives the upcast dtype of t and e (an int32 e beside a float32 t); ONNX needs one
    const dtype = c.outputTypes[0]!.dtype;
    const [t1, e1] = [inputAs(c, 1, dtype), inputAs(c, 2, dtype)];
    const [x, y] = c.inputTypes.slice(1) as [TensorType, TensorType];
    if (
      c.attrs.broadcast ||
      (isStatic(t.shape) && sameShape(cond.shape, t.shape) && sameShape(x.shape, y.shape))
    )
      return void where(c, c.inputs[0]!, t1, e1, c.outputs[0]!, dtype);
    // With dynamic dims, tfjs's empty quirk (t [1,0] beside e [0,0]: t's shape) may show at run time,
    // where ONNX broadcasts to [0,0]: the (then empty) result takes t's run-time shape.
    const selected = c.temp();
    where(c, c.inputs[0]!, t1, e1, selected, dtype);
    c.emit('Reshape', [selected, runtimeShape(c, 1)], c.outputs, { allowzero: 1 });
  },
  inputNames: ['condition', 't', 'e'],
  infer: (inputs, attrs) => {
    arity('Select', inputs, 3);
    const [c, t, e] = inputs as [TensorType, TensorType, TensorType];
    if (c.dtype !== 'bool') fail('Select', `condition must be bool, got ${c.dtype}`);
    const emptyQuirk = (a: readonly Dim[], b: readonly Dim[]) => {
      if (sizeOf(a) !== 0 && sizeOf(b) !== 0) return false;
      try {
        broadcastShapes(a, b);
        return true;
      } catch {
        return false;
      }
    };
    if (!compatibleShape(t.shape, e.shape) && !emptyQuirk(t.shape, e.shape))
      fail('Select', `t [${formatShape(t.shape)}] and e [${formatShape(e.shape)}] must have the same shape`);
    const rowwise = c.shape.length === 1 && t.shape.length >= 1 && compatibleDim(c.shape[0]!, t.shape[0]!);
    const broadcasts =
      attrs?.broadcast === true &&
      c.shape.length === t.shape.length &&
      c.shape.every((d, i) => d === 1 || compatibleDim(d, t.shape[i]!));
    if (
      !compatibleShape(c.shape, t.shape) &&
      c.shape.length !== 0 &&
      !rowwise &&
      !broadcasts &&
      !emptyQuirk(c.shape, t.shape)
    )
      fail(
        'Select',
        `condition [${formatShape(c.shape)}] must have the shape of t [${formatShape(t.shape)}], be a scalar, or match its first dimension`,
      );
    // t's shape, as tfjs gives (not e's where t's is unknown: with an empty e, tfjs allows t [1])
    return [tensorType(upcast(t.dtype, e.dtype), t.shape)];
  },
});

registerOp({
  name: 'Fill',
  onnx: (c) => {
    const { dtype, shape } = c.outputTypes[0]!;
    const target = c.int64(staticShape(c, shape, 'shape'));
    c.emit('Expand', [c.scalar(Number(c.attrs.value), dtype), target], c.outputs);
  },
  inputNames: [],
  // a null dim in `shape` (tfjs computed it from a dynamic dim) is unknown; DynamicFill has its value
  infer: (inputs, attrs) => {
    arity('Fill', inputs, 0);
    const shape = dimListAttr('Fill', attrs, 'shape');
    checkDims('Fill', shape);
    const value = attrs.value;
    if (typeof value !== 'number' && typeof value !== 'boolean')
      fail('Fill', `value must be a number or a boolean, got ${show(value)}`);
    // tfjs: `dtype || inferDtype(value)`: numbers are float32, booleans bool.
    const dtype: DType =
      attrs.dtype == null || attrs.dtype === ''
        ? typeof value === 'boolean'
          ? 'bool'
          : 'float32'
        : dtypeAttr('Fill', attrs, 'dtype');
    return [tensorType(dtype, shape)];
  },
});

/** tfjs's `rangeImpl` length, quirks included (a step of 1 counts down when stop < start). */
export function rangeLength(start: number, stop: number, step: number): number {
  if (start === stop || (start < stop && step < 0) || (stop < start && step > 1)) return 0;
  return dim(Math.abs(Math.ceil((stop - start) / step)));
}

/**
 * tfjs's `rangeImpl`: values[0] = start, then each the previous plus step (a step of 1 counts down when
 * stop < start), accumulated in the dtype's array. int32 ranges are computed here, exactly; float32
 * ones by ONNX Range (which also accumulates in float32) with a limit giving exactly the length.
 */
function lowerRange(c: OnnxLowering): void {
  const { dtype, shape } = c.outputTypes[0]!;
  const n = shape[0]!;
  const start = c.attrs.start as number;
  let step = (c.attrs.step as number | undefined) ?? 1;
  if ((c.attrs.stop as number) < start && step === 1) step = -1;
  if (dtype === 'int32') {
    const values = new Int32Array(n);
    if (n > 0) values[0] = start;
    for (let i = 1; i < n; i++) values[i] = values[i - 1]! + step;
    return void c.emit('Cast', [c.int64([...values])], c.outputs, { to: ONNX_ELEM_TYPE.int32 });
  }
  const limit = n === 0 ? start : start + (n - 0.5) * step;
  c.emit('Range', [c.scalar(start, dtype), c.scalar(limit, dtype), c.scalar(step, dtype)], c.outputs);
}

registerOp({
  name: 'Range',
  onnx: (c) => lowerRange(c),
  inputNames: [],
  infer: (inputs, attrs) => {
    arity('Range', inputs, 0);
    const start = numberAttr('Range', attrs, 'start');
    const stop = numberAttr('Range', attrs, 'stop');
    const step = numberAttr('Range', attrs, 'step', 1);
    if (step === 0 || !Number.isFinite(step) || !Number.isFinite(start) || !Number.isFinite(stop))
      fail('Range', `start ${start}, stop ${stop} and step ${step} must be finite and step non-zero`);
    const dtype = dtypeAttr('Range', attrs, 'dtype');
    if (dtype === 'bool') fail('Range', 'dtype must be float32 or int32');
    return [tensorType(dtype, [rangeLength(start, stop, step)])];
  },
});

const tfjsGather = tfjsGradient('GatherV2', ['x', 'indices']);
const tfjsConcat = tfjsGradient('Concat', [], true);

/**
 * The gradient of Concat along a dynamic axis (a list's rows): tfjs's splits the adjoint at the
 * inputs' stand-in sizes; here each input's part is gathered at its run-time offsets.
 */
function concatGradient(ctx: GradientContext): (Tensor | undefined)[] {
  const { tf, inputs, dys, attrs, inputTypes, record } = ctx;
  const axis = parseAxes('Concat', attrs.axis, inputTypes[0]!.shape.length)[0]!;
  if (inputTypes.every((t) => t.shape[axis] !== null)) return tfjsConcat(ctx);
  let start: Tensor = tf.scalar(0, 'int32');
  return inputs.map((x) => {
    const size = tf.reshape(tf.slice(record('Shape', [x]), axis, 1), []);
    const end = tf.add(start, size);
    const at = record('DynamicRange', [start, end, tf.scalar(1, 'int32')], { dtype: 'int32' });
    start = end;
    return tf.gather(dys[0]!, at, axis);
  });
}

/**
 * Rows gathered from a tensor whose row count is dynamic (a loop's stack, a sequence of dynamic
 * length): tfjs's gradient would scatter into as many rows as its stand-in size (dynamic-dims.ts).
 * Handled here when the indices and the rows' shape are static.
 */
const gatheredFromDynamicRows = ({ attrs, inputTypes: [x, indices] }: GradientContext): boolean =>
  ((attrs.axis as number | undefined) ?? 0) === 0 &&
  !((attrs.batchDims as number | undefined) ?? 0) &&
  x!.shape[0] === null &&
  isStatic(x!.shape.slice(1)) &&
  isStatic(indices!.shape);

/** dx = onehot(indices)ᵀ · dy, with the row count read at run time. */
function gatherRowsGradient({
  tf,
  inputs: [x, indices],
  dys: [dy],
  inputTypes: [type],
  record,
}: GradientContext) {
  const shape = record('Shape', [x!]);
  const rows = record(
    'DynamicRange',
    [tf.scalar(0, 'int32'), tf.reshape(tf.slice(shape, 0, 1), []), tf.scalar(1, 'int32')],
    {
      dtype: 'int32',
    },
  );
  const flat = tf.reshape(indices!, [-1]);
  const onehot = tf.cast(tf.equal(tf.expandDims(rows, 1), tf.expandDims(flat, 0)), 'float32');
  const width = sizeOf(type!.shape.slice(1))!;
  const summed = tf.matMul(onehot, tf.reshape(dy!, [flat.shape[0]!, width]));
  return [record('DynamicReshape', [summed, shape], { dims: [...type!.shape] }), undefined];
}

/**
 * `tf.range` with a bound known only at run time (`tf.range(0, x.shape[0])`): int32 scalar inputs,
 * integers only (a float bound would change the element count), tfjs's rule that a default step of 1
 * counts down when stop < start, and the values cast to `dtype`.
 */
registerOp({
  name: 'DynamicRange',
  inputNames: ['start', 'stop', 'step'],
  infer: (inputs, attrs) => {
    arity('DynamicRange', inputs, 3);
    for (const t of inputs)
      if (t.dtype !== 'int32' || t.shape.length !== 0)
        fail('DynamicRange', `start, stop and step must be int32 scalars, got ${formatType(t)}`);
    const dtype = dtypeAttr('DynamicRange', attrs, 'dtype');
    if (dtype === 'bool') fail('DynamicRange', 'dtype must be float32 or int32');
    return [tensorType(dtype, [null])];
  },
  gradient: noGradient,
  eager: (tf, [start, stop, step], attrs) => {
    const [a, b, d] = [start!, stop!, step!].map((t) => t.dataSync()[0]!);
    return [tf.range(a, b, d, attrs.dtype as 'float32' | 'int32')];
  },
  onnx: (c) => {
    const [start, stop, step] = c.inputs as [string, string, string];
    const [down, isOne, countDown, delta, values] = Array.from({ length: 5 }, () => c.temp());
    c.emit('Less', [stop, start], [down]);
    c.emit('Equal', [step, c.scalar(1, 'int32')], [isOne]);
    c.emit('And', [down, isOne], [countDown]);
    c.emit('Where', [countDown, c.scalar(-1, 'int32'), step], [delta]);
    c.emit('Range', [start, stop, delta], [values]);
    c.emit('Cast', [values], c.outputs, { to: ONNX_ELEM_TYPE[c.outputTypes[0]!.dtype] });
  },
});

/**
 * Ops that are not tfjs kernels: the staging layer emits them where user code builds a shape from
 * run-time dims (`tf.zeros([x.shape[0], 8])` on a dynamic batch). `Shape` reads a value's run-time
 * shape; `DynamicFill` and `DynamicReshape` take their target shape as an int32 vector, with `dims`
 * the static knowledge of it (a number where the dim is known at trace time, null where it is not).
 */
registerOp({
  name: 'Shape',
  inputNames: ['x'],
  // a static shape folds to a constant (passes/fold.ts folds this op only then)
  readsOnlyTypes: true,
  infer: unary('Shape', (x) => [tensorType('int32', [x.shape.length])]),
  gradient: noGradient,
  eager: (tf, [x]) => [tf.tensor1d(x!.shape, 'int32')],
  onnx: (c) => c.emit('Cast', [runtimeShape(c, 0)], c.outputs, { to: ONNX_ELEM_TYPE.int32 }),
});

/** The `dims` attribute of DynamicFill/DynamicReshape, checked against the int32 shape input. */
function dynamicDims(op: string, shape: TensorType, attrs: Attrs): Dim[] {
  if (shape.dtype !== 'int32' || shape.shape.length !== 1)
    fail(op, `the shape input must be an int32 vector, got ${formatType(shape)}`);
  const dims = dimListAttr(op, attrs, 'dims');
  checkDims(op, dims, 'dims');
  if (!compatibleDim(shape.shape[0]!, dims.length))
    fail(
      op,
      `dims [${formatShape(dims)}] must have one entry per element of the shape input ${formatType(shape)}`,
    );
  return dims;
}

/** The run-time shape of an eager DynamicFill/DynamicReshape, which must agree with its static dims. */
function runtimeDims(op: string, shape: Tensor, attrs: Attrs): number[] {
  const values = Array.from(shape.dataSync());
  const dims = attrs.dims as Dim[];
  if (values.length !== dims.length || dims.some((d, i) => d !== null && d !== values[i]))
    fail(op, `the run-time shape [${values}] does not match the traced dims [${formatShape(dims)}]`);
  return values;
}

/** The int32 shape input as the int64 vector ONNX takes. */
function int64Shape(c: OnnxLowering, i: number): string {
  const wide = c.temp();
  c.emit('Cast', [c.inputs[i]!], [wide], { to: 7 }); // int64
  return wide;
}

registerOp({
  name: 'DynamicFill',
  inputNames: ['shape', 'value'],
  infer: (inputs, attrs) => {
    arity('DynamicFill', inputs, 2);
    const [shape, value] = inputs as [TensorType, TensorType];
    if (value.shape.length !== 0) fail('DynamicFill', `the value must be a scalar, got ${formatType(value)}`);
    return [tensorType(value.dtype, dynamicDims('DynamicFill', shape, attrs))];
  },
  eager: (tf, [shape, value], attrs) => [
    tf.fill(runtimeDims('DynamicFill', shape!, attrs), value!.dataSync()[0]!, value!.dtype),
  ],
  gradient: ({ tf, dys }) => [undefined, tf.sum(dys[0]!)],
  onnx: (c) => c.emit('Expand', [c.inputs[1]!, int64Shape(c, 0)], c.outputs),
});

registerOp({
  name: 'DynamicReshape',
  inputNames: ['x', 'shape'],
  infer: (inputs, attrs) => {
    arity('DynamicReshape', inputs, 2);
    const [x, shape] = inputs as [TensorType, TensorType];
    const dims = dynamicDims('DynamicReshape', shape, attrs);
    // (the element count is checked where it is certain: by Reshape's rule on the static dims)
    reshapeShape('DynamicReshape', x.shape, dims);
    return [tensorType(x.dtype, dims)];
  },
  eager: (tf, [x, shape], attrs) => [tf.reshape(x!, runtimeDims('DynamicReshape', shape!, attrs))],
  // back to the input's run-time shape
  gradient: ({ inputs: [x], dys: [dy], inputTypes: [type], record }) => [
    record('DynamicReshape', [dy!, record('Shape', [x!])], { dims: [...type!.shape] }),
  ],
  onnx: (c) => c.emit('Reshape', [c.inputs[0]!, int64Shape(c, 1)], c.outputs, { allowzero: 1 }),
});
