/**
 * Every op's ONNX lowering against its tfjs execution: for each registered op with an `onnx` lowering,
 * a one-node IR function runs on ONNX Runtime and on tfjs, on inputs and attributes drawn by fast-check,
 * and the results must agree in dtype, shape and values (1e-5 relative + 1e-6 absolute for floats, exact
 * otherwise). Float inputs are multiples of 1/8, so sums and products of a few are exact in float32.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { executeOnnx } from '../src/backends/onnx/executor.ts';
import { lowerFunction } from '../src/backends/onnx/lower.ts';
import { execute } from '../src/backends/tfjs/executor.ts';
import { type Attrs, IRFunction, Region, ValueFactory } from '../src/ir/graph.ts';
import { opDef, registeredOps } from '../src/ir/ops/index.ts';
import { compatibleType, type DType, formatType, type TensorType, tensorType } from '../src/ir/types.ts';
import { axesOf, axisOf, broadcastFrom } from './gen/shapes.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** One input: dtype, shape, and optionally its values (else drawn from the case's seed). */
interface Input {
  dtype: DType;
  shape: number[];
  values?: number[];
  /** No zeros among the drawn values (integer divisors). */
  nonzero?: boolean;
}
interface Case {
  inputs: Input[];
  attrs: Attrs;
  seed: number;
}

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

function inputValues(input: Input, s: number, k: number): number[] {
  if (input.values) return input.values;
  return Array.from({ length: size(input.shape) }, (_, i) => {
    const h = ((i + 1) * 2654435761 + s * 40503 + k * 7919) % 1000;
    if (input.dtype === 'bool') return h % 2;
    const v = input.dtype === 'float32' ? ((h % 161) - 80) / 8 : (h % 11) - 5;
    return input.nonzero && v === 0 ? 1 : v;
  });
}

/** The one-node function `op(params) -> outputs`; null where `infer` rejects the case. */
function oneNode(op: string, c: Case): IRFunction | null {
  const values = new ValueFactory();
  const params = c.inputs.map((i) => values.value(tensorType(i.dtype, i.shape)));
  let outputs: ReturnType<NonNullable<ReturnType<typeof opDef>>['infer']>;
  try {
    outputs = opDef(op)!.infer(
      params.map((p) => p.type),
      c.attrs,
    );
  } catch {
    return null;
  }
  if (outputs.length === 0) return null; // ONNX Runtime runs no model without outputs (Unpack of 0)
  const node = values.node(op, params, c.attrs, outputs);
  return new IRFunction(op, new Region(params, [node], node.outputs), values);
}

function close(got: number[], want: number[], exact: boolean): boolean {
  return want.every((w, i) => {
    const g = got[i]!;
    if (Number.isNaN(w)) return Number.isNaN(g);
    if (exact || !Number.isFinite(w)) return g === w;
    return Math.abs(g - w) <= 1e-6 + 1e-5 * Math.abs(w);
  });
}

const checked = new Map<string, number>();

/** ONNX Runtime's results `got` against tfjs's `want`: dtypes, shapes, and values (close for floats). */
function compare(got: tf.Tensor[], want: tf.Tensor[], where: string, inputs: tf.Tensor[]): void {
  expect(got.length, where).toBe(want.length);
  want.forEach((w, i) => {
    const g = got[i]!;
    // (tfjs may give a -0 dimension: ceil(-0.5))
    expect({ dtype: g.dtype, shape: g.shape }, `${where} output ${i}`).toEqual({
      dtype: w.dtype,
      shape: w.shape.map((d) => d + 0),
    });
    const [gv, wv] = [Array.from(g.dataSync()), Array.from(w.dataSync())];
    if (!close(gv, wv, w.dtype !== 'float32'))
      expect(gv, `${where} output ${i} (inputs ${inputs.map((t) => t.dataSync()).join(' | ')})`).toEqual(wv);
  });
}

async function agree(op: string, c: Case): Promise<void> {
  const fn = oneNode(op, c);
  if (!fn) return;
  const inputs = c.inputs.map((i, k) => tf.tensor(inputValues(i, c.seed, k), i.shape, i.dtype));
  const where = `${op}(${c.inputs.map((i) => `${i.dtype}[${i.shape}]`).join(', ')}) ${JSON.stringify(c.attrs)}`;
  let want: tf.Tensor[];
  try {
    want = execute(fn, inputs, tf);
  } catch {
    // tfjs's kernel itself fails on some cases `infer` accepts (a shrunk axis with stride 2): no reference
    tf.dispose(inputs);
    return;
  }
  const got = await executeOnnx(fn, inputs, tf);
  try {
    compare(got, want, where, inputs);
    checked.set(op, (checked.get(op) ?? 0) + 1);
  } finally {
    tf.dispose([...inputs, ...want, ...got]);
  }
}

// ---- arbitraries ----

const seed = fc.integer({ min: 0, max: 1000 });
const shapeOf = (min: number, max: number, maxDim = 3) =>
  fc.array(fc.integer({ min: 0, max: maxDim }), { minLength: min, maxLength: max });
const positiveShape = (min: number, max: number, maxDim = 3) =>
  fc.array(fc.integer({ min: 1, max: maxDim }), { minLength: min, maxLength: max });
const anyDtype = fc.constantFrom<DType>('float32', 'int32', 'bool');
const numeric = fc.constantFrom<DType>('float32', 'int32');
/** Reductions here spell "all axes" as null only. */
const axesOfOnnx = (rank: number) => axesOf(rank, [null]);

const one = (dtype: DType, shape: number[], attrs: Attrs = {}) => ({ inputs: [{ dtype, shape }], attrs });
type Gen = fc.Arbitrary<Omit<Case, 'seed'>>;

const unary = (dtypes: fc.Arbitrary<DType>, attrs: fc.Arbitrary<Attrs> = fc.constant({})): Gen =>
  fc.tuple(dtypes, shapeOf(0, 3), attrs).map(([d, s, a]) => one(d, s, a));
const floatUnary = unary(fc.constant('float32'));

/** Two inputs of `dtype`, broadcasting one way or the other. */
const binary = (dtypes: fc.Arbitrary<DType>, nonzero = false): Gen =>
  fc.tuple(dtypes, shapeOf(0, 3), fc.boolean()).chain(([dtype, shape, swap]) =>
    broadcastFrom(shape).map((other) => {
      const [a, b] = swap ? [other, shape] : [shape, other];
      return {
        inputs: [
          { dtype, shape: a },
          { dtype, shape: b, nonzero },
        ],
        attrs: {},
      };
    }),
  );

const reduction = (dtypes: fc.Arbitrary<DType>, axisName = 'axis'): Gen =>
  fc
    .tuple(dtypes, shapeOf(0, 3))
    .chain(([dtype, shape]) =>
      fc
        .tuple(axesOfOnnx(shape.length), fc.boolean())
        .map(([axis, keepDims]) => one(dtype, shape, { [axisName]: axis, keepDims })),
    );

const convShape = fc.record({
  n: fc.integer({ min: 1, max: 2 }),
  h: fc.integer({ min: 1, max: 5 }),
  w: fc.integer({ min: 1, max: 5 }),
  c: fc.integer({ min: 1, max: 3 }),
  fh: fc.integer({ min: 1, max: 3 }),
  fw: fc.integer({ min: 1, max: 3 }),
  sh: fc.integer({ min: 1, max: 3 }),
  sw: fc.integer({ min: 1, max: 3 }),
  pad: fc.constantFrom('valid', 'same'),
});

/** The output shape `op` gives these input shapes (a forward op's, for its gradient's dy); null if invalid. */
function forwardShape(op: string, shapes: number[][], attrs: Attrs): number[] | null {
  try {
    const [out] = opDef(op)!.infer(
      shapes.map((shape) => tensorType('float32', shape)),
      attrs,
    );
    return out!.shape as number[];
  } catch {
    return null;
  }
}

/** A convolution's geometry and attributes: pads of every kind; strides or dilations other than 1, not both. */
const convCase = fc
  .tuple(
    convShape,
    fc.integer({ min: 1, max: 3 }),
    fc.constantFrom<unknown>('valid', 'same', 0, 1, 2, [
      [0, 0],
      [1, 0],
      [0, 2],
      [0, 0],
    ]),
    fc.boolean(),
  )
  .map(([g, outC, pad, dilate]) => ({
    ...g,
    outC,
    attrs: {
      strides: dilate ? [1, 1] : [g.sh, g.sw],
      dilations: dilate ? [g.sh, g.sw] : [1, 1],
      pad,
      dataFormat: 'NHWC',
      dimRoundingMode: null,
    } as Attrs,
  }));

/** The gradient op of `forward` with respect to its input (`dy`, then `filter`) or its filter (`x`, then `dy`). */
const convGradient = (forward: string, wrt: 'input' | 'filter', depthwise: boolean): Gen =>
  convCase
    .map(({ n, h, w, c, fh, fw, outC, attrs }) => {
      const xShape = [n, h, w, c];
      const filterShape = [fh, fw, c, depthwise ? Math.min(outC, 2) : outC];
      // (tfjs's depthwise gradient kernels ignore dilations: they are refused)
      const a: Attrs = { ...attrs, dilations: [1, 1] };
      const dy = forwardShape(forward, [xShape, filterShape], a);
      if (!dy) return null;
      const f32 = (shape: number[]) => ({ dtype: 'float32' as DType, shape });
      return wrt === 'input'
        ? { inputs: [f32(dy), f32(filterShape)], attrs: { ...a, inputShape: xShape } }
        : { inputs: [f32(xShape), f32(dy)], attrs: { ...a, filterShape } };
    })
    .filter((c): c is NonNullable<typeof c> => c !== null);

/** MaxPoolGrad (dy, input, output) or AvgPoolGrad (dy, input). */
const poolGradient = (forward: string, pads: unknown[]): Gen =>
  fc
    .tuple(convShape, fc.constantFrom(...pads))
    .map(([{ n, h, w, c, fh, fw, sh, sw }, pad]) => {
      const attrs: Attrs = { filterSize: [fh, fw], strides: [sh, sw], pad, dimRoundingMode: null };
      const dy = forwardShape(forward, [[n, h, w, c]], attrs);
      if (!dy) return null;
      const f32 = (shape: number[]) => ({ dtype: 'float32' as DType, shape });
      const inputs = [f32(dy), f32([n, h, w, c])];
      return { inputs: forward === 'MaxPool' ? [...inputs, f32(dy)] : inputs, attrs };
    })
    .filter((c): c is NonNullable<typeof c> => c !== null);

/** A fused op's activation and its optional inputs (bias, prelu weights) for an output of `outShape`. */
const fusedTail = (outShape: number[]) =>
  fc
    .record({
      activation: fc.constantFrom(
        undefined,
        'linear',
        'relu',
        'relu6',
        'elu',
        'sigmoid',
        'leakyrelu',
        'prelu',
      ),
      bias: fc.constantFrom<number[] | null>(null, [], [outShape.at(-1)!], outShape.slice(-2)),
      prelu: fc.constantFrom<number[]>([], [outShape.at(-1)!], [1]),
      leakyreluAlpha: fc.constantFrom(0.2, 0.5),
    })
    .map(({ activation, bias, prelu, leakyreluAlpha }) => ({
      extra: [
        ...(bias ? [{ dtype: 'float32' as DType, shape: bias }] : []),
        ...(activation === 'prelu' ? [{ dtype: 'float32' as DType, shape: prelu }] : []),
      ],
      attrs: { activation, leakyreluAlpha } as Attrs,
    }));

/** `base`'s case with a fused tail (bias, activation) drawn for its output shape. */
const fused = (baseOp: string, base: Gen): Gen =>
  base.chain((c) => {
    const out = forwardShape(
      baseOp,
      c.inputs.map((i) => i.shape),
      c.attrs,
    ) ?? [1];
    return fusedTail(out).map(({ extra, attrs }) => ({
      inputs: [...c.inputs, ...extra],
      attrs: { ...c.attrs, ...attrs },
    }));
  });

/** Images, an output size and the corner mode of tfjs's resize ops (not both modes: tfjs refuses that). */
const resizeCase = fc.record({
  images: positiveShape(4, 4, 4),
  size: fc.tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 })),
  corners: fc.constantFrom('none', 'alignCorners', 'halfPixelCenters'),
  dtype: numeric,
});
const resizeAttrs = (size: number[], corners: string): Attrs => ({
  alignCorners: corners === 'alignCorners',
  halfPixelCenters: corners === 'halfPixelCenters',
  size,
});
const resize: Gen = resizeCase.map(({ images, size, corners, dtype }) =>
  one(dtype, images, resizeAttrs(size, corners)),
);
/** A resize gradient: images, then dy of the resized shape. */
const resizeGradient = (nearest: boolean): Gen =>
  resizeCase
    // tfjs's ResizeNearestNeighborGrad loops forever when alignCorners maps a longer side onto 1 pixel,
    // and reads dy at the images' batch stride (wrong after the first image unless the sizes agree)
    .filter(
      ({ images, size, corners }) =>
        !nearest ||
        ((corners !== 'alignCorners' || [1, 2].every((i) => images[i]! > 1 || size[i - 1] === 1)) &&
          (images[0] === 1 || images[1]! * images[2]! === size[0] * size[1])),
    )
    .map(({ images, size, corners, dtype }) => ({
      inputs: [
        { dtype: nearest ? dtype : ('float32' as DType), shape: images },
        { dtype: 'float32' as DType, shape: [images[0]!, ...size, images[3]!] },
      ],
      attrs: resizeAttrs(size, corners),
    }));

const UNARY_FLOAT = [
  'Acos',
  'Acosh',
  'Asin',
  'Asinh',
  'Atan',
  'Atanh',
  'Ceil',
  'Cos',
  'Cosh',
  'Elu',
  'Erf',
  'Exp',
  'Expm1',
  'Floor',
  'Log',
  'Log1p',
  'Reciprocal',
  'Relu',
  'Relu6',
  'Round',
  'Rsqrt',
  'Selu',
  'Sigmoid',
  'Sin',
  'Sinh',
  'Softplus',
  'Sqrt',
  'Tan',
  'Tanh',
  'IsNan',
  'IsInf',
];

const GENERATORS: Record<string, Gen> = {
  ...Object.fromEntries(UNARY_FLOAT.map((op) => [op, floatUnary])),
  Abs: unary(numeric),
  Neg: unary(numeric),
  Sign: unary(numeric),
  Square: unary(numeric),
  Step: unary(numeric, fc.record({ alpha: fc.constantFrom(0, 0.5, -2, 3) })),
  IsFinite: unary(numeric),
  LogicalNot: unary(fc.constant('bool')),
  Identity: unary(anyDtype),
  ZerosLike: unary(anyDtype),
  OnesLike: unary(anyDtype),
  Cast: fc
    .tuple(anyDtype, anyDtype, shapeOf(0, 3))
    .map(([from, to, shape]) => one(from, shape, { dtype: to })),
  ClipByValue: fc
    .tuple(numeric, shapeOf(0, 3), fc.integer({ min: -6, max: 6 }), fc.integer({ min: 0, max: 6 }))
    .map(([d, s, lo, width]) => one(d, s, { clipValueMin: lo, clipValueMax: lo + width })),
  Add: binary(numeric),
  Sub: binary(numeric),
  Multiply: binary(numeric),
  RealDiv: binary(fc.constant('float32')),
  JsMod: binary(fc.constant('float32')),
  // tfjs's FloorDiv gives int32 whatever its inputs (the registry says the input dtype): int32 only here
  FloorDiv: binary(fc.constant('int32')),
  Mod: binary(numeric),
  Pow: binary(fc.constant('float32')),
  Maximum: binary(numeric),
  Minimum: binary(numeric),
  SquaredDifference: binary(numeric),
  Atan2: binary(numeric),
  Less: binary(numeric),
  LessEqual: binary(numeric),
  Greater: binary(numeric),
  GreaterEqual: binary(numeric),
  Equal: binary(anyDtype),
  NotEqual: binary(anyDtype),
  LogicalAnd: binary(fc.constant('bool')),
  LogicalOr: binary(fc.constant('bool')),
  Sum: reduction(anyDtype),
  SumSquares: reduction(fc.constant('float32')),
  Prod: reduction(anyDtype),
  Mean: reduction(anyDtype),
  Max: reduction(anyDtype, 'reductionIndices'),
  Min: reduction(anyDtype),
  All: reduction(fc.constant('bool')),
  Any: reduction(fc.constant('bool')),
  ...Object.fromEntries(
    ['ArgMax', 'ArgMin'].map((op) => [
      op,
      fc.tuple(numeric, shapeOf(1, 3)).chain(([d, s]) => axisOf(s.length).map((axis) => one(d, s, { axis }))),
    ]),
  ),
  // tfjs gives an empty cumsum the shape [undefined]
  // and its kernel mishandles a negative axis (tfjs's cumsum op passes it on as it is)
  Cumsum: fc
    .tuple(numeric, positiveShape(1, 3))
    .chain(([d, s]) =>
      fc
        .tuple(fc.integer({ min: 0, max: s.length - 1 }), fc.boolean(), fc.boolean())
        .map(([axis, exclusive, reverse]) => one(d, s, { axis, exclusive, reverse })),
    ),
  AddN: fc.tuple(numeric, shapeOf(0, 3), fc.integer({ min: 1, max: 4 })).map(([dtype, shape, n]) => ({
    inputs: Array.from({ length: n }, () => ({ dtype, shape })),
    attrs: {},
  })),
  EluGrad: fc.tuple(shapeOf(0, 3)).map(([shape]) => ({
    inputs: [
      { dtype: 'float32' as DType, shape },
      { dtype: 'float32' as DType, shape },
    ],
    attrs: {},
  })),
  Cumprod: fc
    .tuple(anyDtype, positiveShape(1, 3, 5))
    .chain(([d, s]) =>
      fc
        .tuple(fc.integer({ min: 0, max: s.length - 1 }), fc.boolean(), fc.boolean())
        .map(([axis, exclusive, reverse]) => one(d, s, { axis, exclusive, reverse })),
    ),
  // ids from -1 to numSegments: some out of range
  UnsortedSegmentSum: fc
    .tuple(anyDtype, shapeOf(1, 3), fc.integer({ min: 1, max: 4 }), seed, fc.boolean())
    .map(([dtype, shape, numSegments, k, broadcast]) => {
      const n = broadcast && shape[0] === 1 ? 3 : shape[0]!;
      return {
        inputs: [
          { dtype, shape },
          {
            dtype: 'int32' as DType,
            shape: [n],
            values: Array.from({ length: n }, (_, i) => ((i * 3 + k) % (numSegments + 2)) - 1),
          },
        ],
        attrs: { numSegments },
      };
    }),
  BatchMatMul: fc
    .record({
      // tfjs's kernel returns one value for an empty batch (shape [0, m, n])
      batch: positiveShape(0, 2, 2),
      m: fc.integer({ min: 0, max: 3 }),
      k: fc.integer({ min: 0, max: 3 }),
      n: fc.integer({ min: 0, max: 3 }),
      transposeA: fc.boolean(),
      transposeB: fc.boolean(),
    })
    .chain(({ batch, m, k, n, transposeA, transposeB }) =>
      fc.tuple(broadcastFrom(batch), numeric).map(([other, dtype]) => ({
        inputs: [
          { dtype, shape: [...batch, ...(transposeA ? [k, m] : [m, k])] },
          { dtype, shape: [...other, ...(transposeB ? [n, k] : [k, n])] },
        ],
        attrs: { transposeA, transposeB },
      })),
    ),
  Softmax: fc.tuple(shapeOf(1, 3)).map(([s]) => one('float32', s, { dim: -1 })),
  LogSoftmax: fc.tuple(shapeOf(1, 3)).map(([s]) => one('float32', s, { axis: s.length - 1 })),
  LeakyRelu: unary(numeric, fc.record({ alpha: fc.constantFrom(0.2, 0, 1.5, -0.5) })),
  Prelu: binary(fc.constant('float32')),
  TopK: fc
    .tuple(numeric, shapeOf(1, 3, 4))
    .chain(([d, s]) => fc.integer({ min: 0, max: s.at(-1)! }).map((k) => one(d, s, { k, sorted: true }))),
  Conv2D: fc
    .tuple(
      convShape,
      fc.integer({ min: 1, max: 3 }),
      fc.integer({ min: 1, max: 2 }),
      fc.integer({ min: 1, max: 2 }),
    )
    .map(([{ n, h, w, c, fh, fw, sh, sw, pad }, outC, dh, dw]) => ({
      inputs: [
        { dtype: 'float32' as DType, shape: [n, h, w, c] },
        { dtype: 'float32' as DType, shape: [fh, fw, c, outC] },
      ],
      // tfjs allows strides or dilations other than 1, not both
      attrs: {
        strides: [sh, sw],
        dilations: sh === 1 && sw === 1 ? [dh, dw] : [1, 1],
        pad,
        dataFormat: 'NHWC',
        dimRoundingMode: null,
      },
    })),
  ...Object.fromEntries(
    ['MaxPool', 'AvgPool'].map((op) => [
      op,
      convShape.map(({ n, h, w, c, fh, fw, sh, sw, pad }) =>
        one('float32', [n, h, w, c], { filterSize: [fh, fw], strides: [sh, sw], pad, dimRoundingMode: null }),
      ),
    ]),
  ),
  Conv2DBackpropInput: convGradient('Conv2D', 'input', false),
  Conv2DBackpropFilter: convGradient('Conv2D', 'filter', false),
  DepthwiseConv2dNative: convCase
    .filter(({ attrs }) => attrs.pad === 'valid' || attrs.pad === 'same')
    .map(({ n, h, w, c, fh, fw, outC, attrs }) => ({
      inputs: [
        { dtype: 'float32' as DType, shape: [n, h, w, c] },
        { dtype: 'float32' as DType, shape: [fh, fw, c, Math.min(outC, 2)] },
      ],
      attrs,
    })),
  DepthwiseConv2dNativeBackpropInput: convGradient('DepthwiseConv2dNative', 'input', true),
  DepthwiseConv2dNativeBackpropFilter: convGradient('DepthwiseConv2dNative', 'filter', true),
  // (ties among a window's values: the first largest one takes the gradient)
  MaxPoolGrad: poolGradient('MaxPool', ['valid', 'same']),
  AvgPoolGrad: poolGradient('AvgPool', ['valid', 'same', 0, 1]),
  // the fused ops: their base ops' generators with a bias and an activation
  _FusedMatMul: fused(
    'BatchMatMul',
    fc
      .record({
        batch: positiveShape(0, 2, 2),
        m: fc.integer({ min: 1, max: 3 }),
        k: fc.integer({ min: 0, max: 3 }),
        n: fc.integer({ min: 1, max: 3 }),
        transposeA: fc.boolean(),
        transposeB: fc.boolean(),
      })
      .map(({ batch, m, k, n, transposeA, transposeB }) => ({
        inputs: [
          { dtype: 'float32' as DType, shape: [...batch, ...(transposeA ? [k, m] : [m, k])] },
          { dtype: 'float32' as DType, shape: [...batch, ...(transposeB ? [n, k] : [k, n])] },
        ],
        attrs: { transposeA, transposeB },
      })),
  ),
  ResizeBilinear: resize,
  ResizeNearestNeighbor: resize,
  ResizeBilinearGrad: resizeGradient(false),
  ResizeNearestNeighborGrad: resizeGradient(true),
  LinSpace: fc
    .record({
      start: fc.integer({ min: -8, max: 8 }),
      stop: fc.integer({ min: -8, max: 8 }),
      num: fc.integer({ min: 1, max: 9 }),
    })
    .map(({ start, stop, num }) => ({ inputs: [], attrs: { start: start / 4, stop: stop / 3, num } })),
  MirrorPad: fc
    .tuple(anyDtype, positiveShape(1, 3, 4), fc.constantFrom('reflect', 'symmetric'))
    .chain(([d, s, mode]) =>
      fc
        .tuple(
          ...s.map((n) =>
            fc.tuple(fc.nat(n - (mode === 'reflect' ? 1 : 0)), fc.nat(n - (mode === 'reflect' ? 1 : 0))),
          ),
        )
        .map((paddings) => one(d, s, { paddings, mode })),
    ),
  FlipLeftRight: fc.tuple(numeric, shapeOf(4, 4)).map(([d, s]) => one(d, s)),
  DepthToSpace: fc
    .tuple(anyDtype, positiveShape(3, 3), fc.integer({ min: 2, max: 3 }), fc.integer({ min: 1, max: 2 }))
    .map(([d, s, blockSize, depth]) =>
      one(d, [...s, depth * blockSize * blockSize], { blockSize, dataFormat: 'NHWC' }),
    ),
  GatherNd: fc.tuple(anyDtype, positiveShape(1, 3), shapeOf(0, 2), seed).chain(([d, s, lead, k]) =>
    fc.integer({ min: 1, max: s.length }).map((depth) => ({
      inputs: [
        { dtype: d, shape: s },
        {
          dtype: 'int32' as DType,
          shape: [...lead, depth],
          values: Array.from({ length: size(lead) * depth }, (_, i) => ((i * 5 + k) % 7) % s[i % depth]!),
        },
      ],
      attrs: {},
    })),
  ),
  ScatterNd: fc.tuple(numeric, positiveShape(1, 3), positiveShape(1, 2), seed).chain(([d, s, lead, k]) =>
    fc.integer({ min: 1, max: s.length }).map((depth) => ({
      inputs: [
        {
          dtype: 'int32' as DType,
          shape: [...lead, depth],
          values: Array.from({ length: size(lead) * depth }, (_, i) => ((i * 5 + k) % 7) % s[i % depth]!),
        },
        { dtype: d, shape: [...lead, ...s.slice(depth)] },
      ],
      attrs: { shape: s },
    })),
  ),
  Einsum: fc
    .tuple(
      numeric,
      fc.constantFrom<[string, number[][]]>(
        [
          'ij,jk->ik',
          [
            [2, 3],
            [3, 4],
          ],
        ],
        ['ij->ji', [[2, 3]]],
        ['ij->', [[2, 3]]],
        [
          'bij,bjk->bik',
          [
            [2, 1, 3],
            [2, 3, 2],
          ],
        ],
        ['i,i->', [[4], [4]]],
        ['i,j->ij', [[3], [2]]],
        [
          'ij,ij->i',
          [
            [2, 3],
            [2, 3],
          ],
        ],
      ),
    )
    .map(([dtype, [equation, shapes]]) => ({
      inputs: shapes.map((shape) => ({ dtype, shape })),
      attrs: { equation },
    })),
  LRNGrad: fc
    .tuple(
      positiveShape(4, 4, 4),
      fc.integer({ min: 0, max: 3 }),
      fc.constantFrom(1, 2),
      fc.constantFrom(1, 0.5),
      fc.constantFrom(0.5, 0.75),
    )
    .map(([s, depthRadius, bias, alpha, beta]) => ({
      inputs: [0, 1, 2].map(() => ({ dtype: 'float32' as DType, shape: s })),
      attrs: { depthRadius, bias, alpha, beta },
    })),
  LRN: fc
    .tuple(
      positiveShape(4, 4, 4),
      fc.integer({ min: 0, max: 3 }),
      fc.constantFrom(1, 2),
      fc.constantFrom(1, 0.5),
      fc.constantFrom(0.5, 0.75),
    )
    .map(([s, depthRadius, bias, alpha, beta]) => one('float32', s, { depthRadius, bias, alpha, beta })),
  Reshape: fc
    .tuple(anyDtype, shapeOf(0, 3))
    .chain(([d, s]) =>
      fc
        .constantFrom([size(s)], [1, size(s)], [...s].reverse(), [...s, 1], ...(size(s) > 0 ? [[-1]] : []))
        .map((shape) => one(d, s, { shape })),
    ),
  Transpose: fc.tuple(anyDtype, shapeOf(0, 4)).chain(([d, s]) =>
    fc
      .shuffledSubarray(
        s.map((_, i) => i),
        { minLength: s.length, maxLength: s.length },
      )
      .map((perm) => one(d, s, { perm })),
  ),
  ExpandDims: fc
    .tuple(anyDtype, shapeOf(0, 3))
    .chain(([d, s]) => fc.integer({ min: -(s.length + 1), max: s.length }).map((dim) => one(d, s, { dim }))),
  Concat: fc.tuple(anyDtype, shapeOf(1, 3), fc.integer({ min: 1, max: 3 })).chain(([dtype, s, count]) =>
    fc
      .tuple(
        axisOf(s.length),
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: count, maxLength: count }),
      )
      .map(([axis, sizes]) => ({
        inputs: sizes.map((k) => {
          const shape = [...s];
          shape[axis < 0 ? axis + s.length : axis] = k;
          return { dtype, shape };
        }),
        attrs: { axis },
      })),
  ),
  Pack: fc.tuple(anyDtype, shapeOf(0, 3), fc.integer({ min: 1, max: 3 })).chain(([dtype, shape, count]) =>
    fc.integer({ min: -(shape.length + 1), max: shape.length }).map((axis) => ({
      inputs: Array.from({ length: count }, () => ({ dtype, shape })),
      attrs: { axis },
    })),
  ),
  Unpack: fc
    .tuple(anyDtype, shapeOf(1, 3))
    .chain(([d, s]) => axisOf(s.length).map((axis) => one(d, s, { axis }))),
  SplitV: fc.tuple(anyDtype, shapeOf(1, 3)).chain(([d, s]) =>
    axisOf(s.length).chain((axis) => {
      const dim = s[axis < 0 ? axis + s.length : axis]!;
      const divisors = Array.from({ length: dim }, (_, k) => k + 1).filter((k) => dim % k === 0);
      // a count that divides the dimension, or sizes adding up to it, one of them maybe -1
      const sizes = fc
        .array(fc.nat(dim), { minLength: 1, maxLength: 3 })
        .map((parts) => [...parts.slice(0, -1), dim - parts.slice(0, -1).reduce((a, b) => a + b, 0)])
        .filter((parts) => parts.every((p) => p >= 0))
        .chain((parts) =>
          fc.boolean().map((rest) => (rest ? parts.map((p, i) => (i === parts.length - 1 ? -1 : p)) : parts)),
        );
      const split = divisors.length ? fc.oneof(fc.constantFrom(...divisors), sizes) : sizes;
      return split.map((numOrSizeSplits) => one(d, s, { numOrSizeSplits, axis }));
    }),
  ),
  Slice: fc
    .tuple(anyDtype, shapeOf(0, 3))
    .chain(([d, s]) =>
      fc
        .tuple(
          ...s.map((dim) =>
            fc
              .integer({ min: 0, max: dim })
              .chain((b) => fc.tuple(fc.constant(b), fc.integer({ min: -1, max: dim - b }))),
          ),
        )
        .map((pairs) => one(d, s, { begin: pairs.map((p) => p[0]), size: pairs.map((p) => p[1]) })),
    ),
  StridedSlice: fc.tuple(anyDtype, shapeOf(0, 3, 4)).chain(([d, s]) =>
    fc.integer({ min: 0, max: s.length }).chain((n) =>
      fc
        .record({
          begin: fc.array(fc.integer({ min: -5, max: 5 }), { minLength: n, maxLength: n }),
          end: fc.array(fc.integer({ min: -6, max: 6 }), { minLength: n, maxLength: n }),
          strides: fc.array(fc.constantFrom(1, 1, 2, 3, -1, -2), { minLength: n, maxLength: n }),
          beginMask: fc.integer({ min: 0, max: 2 ** n - 1 }),
          endMask: fc.integer({ min: 0, max: 2 ** n - 1 }),
          shrinkAxisMask: fc.constantFrom(0, 0, 1, 2, 2 ** n - 1),
        })
        // with a shrunk axis, every stride is 1 (tfjs's kernel reads other strides wrongly; not lowered)
        .filter((a) => a.shrinkAxisMask === 0 || a.strides.every((st) => st === 1))
        .map((attrs) => one(d, s, { ...attrs, ellipsisMask: 0, newAxisMask: 0 })),
    ),
  ),
  GatherV2: fc.tuple(anyDtype, positiveShape(1, 3), shapeOf(0, 2), seed).chain(([d, s, indexShape, k]) =>
    axisOf(s.length).map((axis) => {
      const dim = s[axis < 0 ? axis + s.length : axis]!;
      const indices = Array.from({ length: size(indexShape) }, (_, i) => (i * 7 + k) % dim);
      return {
        inputs: [
          { dtype: d, shape: s },
          { dtype: 'int32' as DType, shape: indexShape, values: indices },
        ],
        attrs: { axis, batchDims: 0 },
      };
    }),
  ),
  Tile: fc
    .tuple(anyDtype, shapeOf(0, 3))
    .chain(([d, s]) =>
      fc
        .array(fc.integer({ min: 0, max: 3 }), { minLength: s.length, maxLength: s.length })
        .map((reps) => one(d, s, { reps })),
    ),
  PadV2: fc.tuple(numeric, shapeOf(0, 3), fc.constantFrom(0, 1.5, -3)).chain(([d, s, constantValue]) =>
    fc
      .array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 })), {
        minLength: s.length,
        maxLength: s.length,
      })
      .map((paddings) => one(d, s, { paddings, constantValue })),
  ),
  Reverse: fc
    .tuple(anyDtype, shapeOf(0, 3))
    .chain(([d, s]) => axesOfOnnx(s.length).map((dims) => one(d, s, { dims: dims ?? [] }))),
  OneHot: fc
    .record({
      shape: shapeOf(0, 2),
      depth: fc.integer({ min: 0, max: 4 }),
      onValue: fc.constantFrom(1, 5, -2.5),
      offValue: fc.constantFrom(0, 0.5, 3),
      dtype: anyDtype,
      k: seed,
    })
    // a bool tensor of tfjs keeps other numbers as they are (3 reads 3), which ONNX cannot hold
    .filter(({ onValue, offValue, dtype }) => dtype !== 'bool' || (onValue === 1 && offValue === 0))
    .map(({ shape, depth, onValue, offValue, dtype, k }) => ({
      inputs: [
        {
          dtype: 'int32' as DType,
          shape,
          values: Array.from({ length: size(shape) }, (_, i) => ((i * 5 + k) % (depth + 4)) - 2),
        },
      ],
      attrs: { depth, onValue, offValue, dtype },
    })),
  // tfjs's `where` gives its kernel a condition of t's shape (other shapes are not lowered)
  Select: fc.tuple(anyDtype, shapeOf(0, 3)).map(([dtype, shape]) => ({
    inputs: [
      { dtype: 'bool' as DType, shape },
      { dtype, shape },
      { dtype, shape },
    ],
    attrs: {},
  })),
  Fill: fc
    .record({
      shape: shapeOf(0, 3),
      value: fc.constantFrom(0, 1, -2.5, 7, true, false),
      dtype: fc.constantFrom<DType | null>('float32', 'int32', 'bool', null),
    })
    // a bool Fill of another number keeps its byte in tfjs (-2.5 reads 254), which ONNX cannot hold
    .filter(({ value, dtype }) => dtype !== 'bool' || [0, 1, true, false].includes(value))
    .map(({ shape, value, dtype }) => ({ inputs: [], attrs: { shape, value, dtype } })),
  Shape: unary(anyDtype),
  // the static knowledge of the target shape may leave any dim dynamic (null)
  DynamicFill: fc
    .record({
      shape: shapeOf(0, 3),
      unknown: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
      value: fc.constantFrom(0, 1, -2.5),
      dtype: anyDtype,
    })
    .map(({ shape, unknown, value, dtype }) => ({
      inputs: [
        { dtype: 'int32' as DType, shape: [shape.length], values: shape },
        { dtype, shape: [], values: [dtype === 'bool' ? Number(value !== 0) : value] },
      ],
      attrs: { dims: shape.map((d, i) => (unknown[i] ? null : d)) },
    })),
  DynamicReshape: fc
    .tuple(anyDtype, shapeOf(0, 3), fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }))
    .chain(([d, s, unknown]) =>
      fc.constantFrom([size(s)], [1, size(s)], [...s].reverse(), [...s, 1]).map((target) => ({
        inputs: [
          { dtype: d, shape: s },
          { dtype: 'int32' as DType, shape: [target.length], values: target },
        ],
        attrs: { dims: target.map((t, i) => (unknown[i] ? null : t)) },
      })),
    ),
  // tf.range with run-time bounds (tfjs counts down for a default step when stop < start)
  DynamicRange: fc
    .tuple(
      fc.integer({ min: -6, max: 6 }),
      fc.integer({ min: -6, max: 6 }),
      fc.constantFrom(1, 2, 3, -1, -2),
      numeric,
    )
    .map(([start, stop, step, dtype]) => ({
      inputs: [start, stop, step].map((v) => ({ dtype: 'int32' as DType, shape: [], values: [v] })),
      attrs: { dtype },
    })),
  // staged recursion's depth check, within its limit (beyond it, both fail the run: recursion tests)
  RecursionGuard: fc.integer({ min: 0, max: 5 }).chain((rows) =>
    fc.integer({ min: rows, max: rows + 3 }).map((limit) => ({
      inputs: [{ dtype: 'int32' as DType, shape: [rows] }],
      attrs: { limit },
    })),
  ),
  // a staged list's pop: the first `count` rows
  SliceRows: fc.tuple(anyDtype, shapeOf(1, 3)).chain(([d, s]) =>
    fc.integer({ min: 0, max: s[0]! }).map((count) => ({
      inputs: [
        { dtype: d, shape: s },
        { dtype: 'int32' as DType, shape: [], values: [count] },
      ],
      attrs: {},
    })),
  ),
  Range: fc
    .record({
      start: fc.integer({ min: -20, max: 20 }).map((v) => v / 4),
      stop: fc.integer({ min: -20, max: 20 }).map((v) => v / 4),
      step: fc.constantFrom(1, 2, 0.5, -1, -0.25, 3),
      dtype: numeric,
    })
    .map((attrs) => ({ inputs: [], attrs })),
};

GENERATORS.FusedConv2D = fused('Conv2D', GENERATORS.Conv2D!);
GENERATORS.FusedDepthwiseConv2D = fused('DepthwiseConv2dNative', GENERATORS.DepthwiseConv2dNative!);

/** Lowered before this test was written: they must stay lowered. */
const LOWERED_BEFORE = [
  ...UNARY_FLOAT.filter((op) => op !== 'IsFinite'),
  'Abs',
  'Neg',
  'Sign',
  'Square',
  'LogicalNot',
  'Identity',
  'ZerosLike',
  'OnesLike',
  'Cast',
  'ClipByValue',
  'Add',
  'Sub',
  'Multiply',
  'RealDiv',
  'Mod',
  'Pow',
  'Maximum',
  'Minimum',
  'SquaredDifference',
  'Less',
  'LessEqual',
  'Greater',
  'GreaterEqual',
  'Equal',
  'NotEqual',
  'LogicalAnd',
  'LogicalOr',
  'Sum',
  'Prod',
  'Mean',
  'Max',
  'Min',
  'All',
  'Any',
  'ArgMax',
  'ArgMin',
  'Cumsum',
  'BatchMatMul',
  'Softmax',
  'Reshape',
  'Transpose',
  'ExpandDims',
  'Concat',
  'Pack',
  'Slice',
  'GatherV2',
  'Tile',
  'PadV2',
  'Reverse',
  'Select',
];

// Print has no outputs to compare: test/onnx-backend.test.ts compares what it prints; random ops
// draw other values than tfjs: test/random.test.ts compares their distributions.
const NOT_COMPARED = new Set([
  'Print',
  'RandomUniform',
  'RandomNormal',
  'TruncatedNormal',
  'RandomGamma',
  'Multinomial',
]);
const lowered = registeredOps().filter((op) => opDef(op)!.onnx && !NOT_COMPARED.has(op));

describe('ONNX lowerings agree with tfjs', () => {
  it('lower at least the ops lowered before', () => {
    expect(lowered).toEqual(expect.arrayContaining(LOWERED_BEFORE));
  });

  it('refuse what they do not lower, with a clear error', async () => {
    const cases: [string, Case, RegExp][] = [
      [
        'StridedSlice',
        {
          inputs: [{ dtype: 'float32', shape: [2, 3] }],
          attrs: { begin: [0], end: [1], ellipsisMask: 1 },
          seed: 0,
        },
        /StridedSlice: ellipsisMask 1 has no ONNX lowering/,
      ],
      [
        'StridedSlice',
        {
          inputs: [{ dtype: 'float32', shape: [2, 4] }],
          attrs: { begin: [0, 0], end: [2, 1], strides: [1, 2], shrinkAxisMask: 2 },
          seed: 0,
        },
        /shrunk axis \(1\) with stride 2/,
      ],
      [
        'StridedSlice',
        {
          inputs: [{ dtype: 'int32', shape: [3, 4] }],
          attrs: { begin: [0, 0], end: [0, 0], strides: [1, 2], endMask: 2, shrinkAxisMask: 1 },
          seed: 0,
        },
        /a shrunk axis beside axis 1's stride 2 has no ONNX lowering/,
      ],
      [
        'Conv2D',
        {
          inputs: [
            { dtype: 'float32', shape: [1, 3, 3, 1] },
            { dtype: 'float32', shape: [2, 2, 1, 1] },
          ],
          attrs: { strides: [1, 1], pad: 1, dilations: [1, 1] },
          seed: 0,
        },
        /Conv2D: only pad 'valid' and 'same'/,
      ],
      [
        'TopK',
        { inputs: [{ dtype: 'float32', shape: [3] }], attrs: { k: 2, sorted: false }, seed: 0 },
        /sorted: false/,
      ],
      [
        'Select',
        {
          inputs: [
            { dtype: 'bool', shape: [] },
            { dtype: 'float32', shape: [2] },
            { dtype: 'float32', shape: [2] },
          ],
          attrs: {},
          seed: 0,
        },
        /Select: a condition of shape \[\]/,
      ],
      [
        'GatherV2',
        {
          inputs: [
            { dtype: 'float32', shape: [2, 3] },
            { dtype: 'int32', shape: [2, 1], values: [0, 2] },
          ],
          attrs: { axis: 1, batchDims: 1 },
          seed: 0,
        },
        /GatherV2: batchDims 1 has no ONNX lowering/,
      ],
    ];
    for (const [op, c, message] of cases) {
      const fn = oneNode(op, c)!;
      expect(fn, `${op} ${JSON.stringify(c.attrs)} is valid`).not.toBeNull();
      const inputs = c.inputs.map((i, k) => tf.tensor(inputValues(i, 0, k), i.shape, i.dtype));
      await expect(executeOnnx(fn, inputs, tf)).rejects.toThrow(message);
      tf.dispose(inputs);
    }
  });

  for (const op of lowered) {
    it(op, async () => {
      const gen = GENERATORS[op];
      expect(gen, `no input generator for the lowered op ${op}`).toBeDefined();
      await fc.assert(
        fc.asyncProperty(gen!, seed, (c, s) => agree(op, { ...c, seed: s })),
        // a fixed seed keeps CI reproducible; ONNX_OPS_SEED explores others
        {
          numRuns: Number(process.env.ONNX_OPS_RUNS ?? 20),
          seed: Number(process.env.ONNX_OPS_SEED ?? 4_000_004),
        },
      );
      expect(checked.get(op) ?? 0, `${op}: every drawn case was rejected by infer`).toBeGreaterThan(0);
    });
  }
});

/**
 * Dynamic mode: the one-node function with some input dims dynamic (null) is lowered once and run on
 * ONNX Runtime at several sizes of those dims: the drawn ones, then each dynamic dim's size d (all
 * dims of that size together, so that dims that must agree still do) as d + 1 and d + 3. Each run
 * must agree with tfjs on the static function of those sizes; sizes that the op rejects are skipped.
 * A lowering may refuse a dynamic dim only with its documented error.
 */
const DYNAMIC_REFUSAL = /with a dynamic dimension has no ONNX lowering yet|along a dynamic dimension/;
const dynamicRan = new Map<string, number>();
const dynamicRefused = new Map<string, number>();

async function agreeDynamic(op: string, c: Case, unknown: readonly boolean[]): Promise<void> {
  // a case tfjs refuses at its own sizes says nothing about dynamic dims
  if (!oneNode(op, c)) return;
  let k = 0;
  const nulled = c.inputs.map((input) => input.shape.map(() => unknown[k++ % unknown.length]!));
  if (!nulled.some((dims) => dims.includes(true))) return;
  const values = new ValueFactory();
  const params = c.inputs.map((input, i) =>
    values.value(
      tensorType(
        input.dtype,
        input.shape.map((d, j) => (nulled[i]![j] ? null : d)),
      ),
    ),
  );
  let outputs: TensorType[];
  try {
    outputs = opDef(op)!.infer(
      params.map((p) => p.type),
      c.attrs,
    );
  } catch (e) {
    expect(String(e), `${op}: infer refused a dynamic dim`).toMatch(DYNAMIC_REFUSAL);
    return;
  }
  if (outputs.length === 0) return;
  const node = values.node(op, params, c.attrs, outputs);
  const fn = new IRFunction(`${op}_dynamic`, new Region(params, [node], node.outputs), values);
  try {
    lowerFunction(fn);
  } catch (e) {
    if (process.env.DEBUG_REFUSALS) console.log(op, String(e));
    expect(String(e), `${op}: the lowering refused a dynamic dim`).toMatch(DYNAMIC_REFUSAL);
    dynamicRefused.set(op, (dynamicRefused.get(op) ?? 0) + 1);
    return;
  }
  const sizes = new Set(c.inputs.flatMap((input, i) => input.shape.filter((_, j) => nulled[i]![j])));
  for (const grow of [0, 1, 3]) {
    const resized: Case = {
      ...c,
      inputs: c.inputs.map((input, i) => {
        const shape = input.shape.map((d, j) => (nulled[i]![j] && sizes.has(d) ? d + grow : d));
        // given values (indices) repeat to fill a larger tensor
        const given = input.values;
        return {
          ...input,
          shape,
          values: given && Array.from({ length: size(shape) }, (_, n) => given[n % given.length]!),
        };
      }),
    };
    const staticFn = oneNode(op, resized);
    if (!staticFn || UNREACHABLE[op]?.(resized.inputs)) continue;
    const where = `${op} dynamic ${params.map((p) => formatType(p.type)).join(', ')} at ${resized.inputs.map((i) => `[${i.shape}]`).join(', ')} ${JSON.stringify(c.attrs)}`;
    staticFn.body.results.forEach((r, i) =>
      expect(
        compatibleType(r.type, outputs[i]!),
        `${where}: output ${i} ${formatType(r.type)} vs ${formatType(outputs[i]!)}`,
      ).toBe(true),
    );
    const inputs = resized.inputs.map((i, n) => tf.tensor(inputValues(i, c.seed, n), i.shape, i.dtype));
    let want: tf.Tensor[];
    try {
      want = execute(staticFn, inputs, tf);
    } catch {
      tf.dispose(inputs);
      continue;
    }
    const got = await executeOnnx(fn, inputs, tf);
    try {
      compare(got, want, where, inputs);
      dynamicRan.set(op, (dynamicRan.get(op) ?? 0) + 1);
    } finally {
      tf.dispose([...inputs, ...want, ...got]);
    }
  }
}

/**
 * Sizes no recorded program gives an op, where tfjs's kernel has a quirk that a dynamic lowering
 * reproduces only where it can (else it fails at run time): Select of an empty condition beside a
 * larger t gives a tensor of t's shape in tfjs; tfjs's `where` only records Select on equal shapes.
 */
const UNREACHABLE: Record<string, (inputs: readonly Input[]) => boolean> = {
  Select: (inputs) => inputs.some((i) => i.shape.join() !== inputs[1]!.shape.join()),
  // tfjs's kernel reads dy at the images' batch stride (see resizeGradient)
  ResizeNearestNeighborGrad: ([images, dy]) =>
    images!.shape[0]! > 1 && images!.shape[1]! * images!.shape[2]! !== dy!.shape[1]! * dy!.shape[2]!,
};

const WINDOWED = new Set([
  'Conv2D',
  'MaxPool',
  'AvgPool',
  'DepthwiseConv2dNative',
  'Conv2DBackpropInput',
  'Conv2DBackpropFilter',
  'DepthwiseConv2dNativeBackpropInput',
  'DepthwiseConv2dNativeBackpropFilter',
  'MaxPoolGrad',
  'AvgPoolGrad',
  'FusedConv2D',
  'FusedDepthwiseConv2D',
  'ResizeBilinear',
  'ResizeNearestNeighbor',
  'ResizeBilinearGrad',
  'ResizeNearestNeighborGrad',
]);

/** Ops without input dims (no inputs, or scalars only): no dim to make dynamic (a Fill of a dynamic shape is a DynamicFill). */
const NO_INPUT_DIMS = new Set(['Fill', 'Range', 'DynamicRange', 'LinSpace']);

describe('ONNX lowerings with dynamic dims agree with tfjs at several sizes', () => {
  for (const op of lowered) {
    it(op, async () => {
      await fc.assert(
        fc.asyncProperty(
          GENERATORS[op]!,
          seed,
          fc.array(fc.boolean(), { minLength: 1, maxLength: 7 }),
          async (c, s, unknown) => {
            await agreeDynamic(op, { ...c, seed: s }, unknown);
            // windowed ops refuse most dynamic heights and widths: a dynamic batch alone always lowers
            if (WINDOWED.has(op)) await agreeDynamic(op, { ...c, seed: s }, [true, ...Array(15).fill(false)]);
          },
        ),
        {
          numRuns: Number(process.env.ONNX_OPS_RUNS ?? 20),
          seed: Number(process.env.ONNX_OPS_SEED ?? 4_000_004),
        },
      );
      if (!NO_INPUT_DIMS.has(op))
        expect(
          dynamicRan.get(op) ?? 0,
          `${op}: no dynamic case ran (${dynamicRefused.get(op) ?? 0} refused by the lowering)`,
        ).toBeGreaterThan(0);
    });
  }
});
