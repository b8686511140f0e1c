/**
 * Random ops, recorded by staging/random.ts for tfjs's unseeded random functions. They have effects:
 * never folded, merged or speculated, so every run draws fresh values. ONNX Runtime's generators are
 * per session and, unseeded, start every session on the same sequence: each lowering draws its own
 * seed.
 *
 * The sampling ops (`RandomUniform`, `RandomNormal`, `TruncatedNormal`, `RandomGamma`) have a
 * `shape` attribute (null where a dim is only known at run time; then an int32 shape vector is their
 * one input) and a `dtype`: float32, or int32 converted as tfjs converts its float draws (the uniform
 * truncates toward zero, as its Int32Array store does; the others round half up, as `Math.round`).
 * Eagerly (tfjs executor) they call tfjs's own function. ONNX has RandomUniform/RandomNormal only:
 * the truncated normal and the gamma are exact rejection samplers in the graph, K proposals per
 * element with the first accepted one kept (see `firstAccepted`).
 *
 * `Multinomial` is tfjs's kernel (logits [batch, classes] → int32 [batch, numSamples]); a node
 * without a `seed` is an unseeded draw (ONNX Multinomial), one with a `seed` a seeded tf.multinomial
 * of values computed in the graph.
 */
import type { Attrs } from '../graph.ts';
import {
  compatibleDim,
  type Dim,
  type DType,
  formatShape,
  formatType,
  isStatic,
  type TensorType,
  tensorType,
} from '../types.ts';
import { arity, checkDims, dimListAttr, fail, intAttr, numberAttr } from './attrs.ts';
import { ONNX_ELEM_TYPE } from './onnx.ts';
import { noGradient, type OnnxLowering, registerOp, type Tensor, type Tf } from './registry.ts';

/** A fresh seed per lowering (per ONNX Runtime session). */
const sessionSeed = () => ({ float: Math.floor(Math.random() * 2 ** 24) });

/**
 * Proposals per element of the rejection samplers. A truncated-normal proposal is rejected with
 * probability P(|Z| > 2) ≈ 0.0455, a Marsaglia–Tsang gamma proposal (d ≥ 2/3) with at most ≈ 0.05:
 * all 16 fail with probability below 1e-20 per element (then the first proposal is kept).
 */
export const PROPOSALS = 16;

/** Standard draws of the sample's shape, with `leading` extra leading axes (the proposals). */
type Draw = (kind: 'RandomNormal' | 'RandomUniform', leading?: number) => string;

interface RandomSampler {
  name: string;
  /** The names of its distribution's numeric attributes. */
  params: readonly string[];
  /** tfjs's own draw, unseeded, of a known shape (the reference semantics and the tfjs executor). */
  eager(tf: Tf, shape: number[], dtype: DType, attrs: Attrs): Tensor;
  /** Emits float32 values of the output's shape from standard draws; returns their name. */
  onnx(c: OnnxLowering, draw: Draw, p: Record<string, number>): string;
  /** How tfjs makes its float draw an int32: truncation (the uniform's store), or Math.round. */
  toInt: 'truncate' | 'round';
}

const RANDOM_DTYPES: readonly DType[] = ['float32', 'int32'];

/** The output dims of a sampling op, checked against its shape input when it has one. */
function sampleDims(op: string, inputs: readonly TensorType[], attrs: Attrs): Dim[] {
  const dims = dimListAttr(op, attrs, 'shape');
  checkDims(op, dims);
  if (inputs.length === 0) {
    if (!isStatic(dims)) fail(op, `a shape with dynamic dims [${formatShape(dims)}] takes a shape input`);
    return dims;
  }
  arity(op, inputs, 1);
  const shape = inputs[0]!;
  if (shape.dtype !== 'int32' || shape.shape.length !== 1 || !compatibleDim(shape.shape[0]!, dims.length))
    fail(op, `the shape input must be an int32 vector of ${dims.length} entries, got ${formatType(shape)}`);
  return dims;
}

/**
 * Registers a sampling op: its type rule (shape and dtype attributes, the optional shape input), its
 * eager draw and its ONNX lowering, with the int32 conversion and the per-session seeds shared.
 */
function registerSampler(s: RandomSampler): void {
  const params = (attrs: Attrs) => Object.fromEntries(s.params.map((p) => [p, numberAttr(s.name, attrs, p)]));
  registerOp({
    name: s.name,
    inputNames: ['shape'],
    optionalInputs: ['shape'],
    pure: false,
    infer: (inputs, attrs) => {
      const dtype = attrs.dtype ?? 'float32';
      if (!RANDOM_DTYPES.includes(dtype as DType))
        fail(s.name, `dtype must be float32 or int32, got ${String(dtype)}`);
      params(attrs);
      return [tensorType(dtype as DType, sampleDims(s.name, inputs, attrs))];
    },
    eager: (tf, [shape], attrs) => {
      const dims = attrs.shape as Dim[];
      const values = shape ? Array.from(shape.dataSync()) : (dims as number[]);
      if (values.length !== dims.length || dims.some((d, i) => d !== null && d !== values[i]))
        fail(s.name, `the run-time shape [${values}] does not match the traced shape [${formatShape(dims)}]`);
      return [s.eager(tf, values, (attrs.dtype ?? 'float32') as DType, attrs)];
    },
    gradient: noGradient,
    onnx: (c) => {
      const draw: Draw = (kind, leading = 0) => {
        const out = c.temp();
        const dtype = ONNX_ELEM_TYPE.float32;
        const seed = sessionSeed();
        const dims = c.attrs.shape as Dim[];
        const lead = Array<number>(leading).fill(PROPOSALS);
        if (c.inputs.length === 0)
          c.emit(kind, [], [out], { shape: [...lead, ...(dims as number[])], dtype, seed });
        else {
          const [wide, full, zeros] = [c.temp(), c.temp(), c.temp()];
          c.emit('Cast', [c.inputs[0]!], [wide], { to: 7 }); // int64
          c.emit('Concat', [c.int64(lead), wide], [full], { axis: 0 });
          c.emit('ConstantOfShape', [full], [zeros]);
          c.emit(`${kind}Like`, [zeros], [out], { dtype, seed });
        }
        return out;
      };
      const values = s.onnx(c, draw, params(c.attrs));
      if (c.outputTypes[0]!.dtype === 'float32') return void c.emit('Identity', [values], c.outputs);
      let whole = values;
      if (s.toInt === 'round') {
        const [half, floor] = [c.temp(), c.temp()];
        c.emit('Add', [values, c.float32([0.5], [])], [half]);
        c.emit('Floor', [half], [floor]);
        whole = floor;
      }
      c.emit('Cast', [whole], c.outputs, { to: ONNX_ELEM_TYPE.int32 });
    },
  });
}

/** Emits `op` on `inputs` into a fresh value; returns its name. */
const op = (c: OnnxLowering, name: string, inputs: string[], attrs?: Record<string, unknown>) => {
  const out = c.temp();
  c.emit(name, inputs, [out], attrs);
  return out;
};
const f = (c: OnnxLowering, x: number) => c.float32([x], []);

/**
 * Of proposals stacked on axis 0 (`values`, with the bool `accepted`), the first accepted one per
 * element (ArgMax gives the first maximum); the first proposal when none is accepted.
 */
function firstAccepted(c: OnnxLowering, values: string, accepted: string): string {
  const index = op(c, 'ArgMax', [op(c, 'Cast', [accepted], { to: ONNX_ELEM_TYPE.int32 })], {
    axis: 0,
    keepdims: 1,
    select_last_index: 0,
  });
  const picked = op(c, 'GatherElements', [values, index], { axis: 0 });
  return op(c, 'Squeeze', [picked, c.int64([0])]);
}

registerSampler({
  name: 'RandomUniform',
  params: ['minval', 'maxval'],
  eager: (tf, shape, dtype, { minval, maxval }) =>
    tf.randomUniform(shape, minval as number, maxval as number, dtype),
  // low + (high − low)·u, as tfjs computes it (ONNX RandomUniform itself for float32)
  onnx: (c, draw, { minval, maxval }) =>
    op(c, 'Add', [op(c, 'Mul', [draw('RandomUniform'), f(c, maxval! - minval!)]), f(c, minval!)]),
  toInt: 'truncate',
});

registerSampler({
  name: 'RandomNormal',
  params: ['mean', 'stdDev'],
  eager: (tf, shape, dtype, { mean, stdDev }) =>
    tf.randomNormal(shape, mean as number, stdDev as number, dtype as 'float32'),
  onnx: (c, draw, { mean, stdDev }) =>
    op(c, 'Add', [op(c, 'Mul', [draw('RandomNormal'), f(c, stdDev!)]), f(c, mean!)]),
  toInt: 'round',
});

/** The normal with draws beyond 2 standard deviations drawn again (tfjs's truncatedNormal). */
registerSampler({
  name: 'TruncatedNormal',
  params: ['mean', 'stdDev'],
  eager: (tf, shape, dtype, { mean, stdDev }) =>
    tf.truncatedNormal(shape, mean as number, stdDev as number, dtype as 'float32'),
  onnx: (c, draw, { mean, stdDev }) => {
    const z = draw('RandomNormal', 1);
    const inside = op(c, 'LessOrEqual', [op(c, 'Abs', [z]), f(c, 2)]);
    return op(c, 'Add', [op(c, 'Mul', [firstAccepted(c, z, inside), f(c, stdDev!)]), f(c, mean!)]);
  },
  toInt: 'round',
});

/**
 * tfjs's randomGamma: Marsaglia and Tsang's method, with d = α − 1/3 and c = 1/√(9d), a proposal
 * z ~ N(0, 1), u ~ U(0, 1) is accepted when v = (1 + cz)³ > 0 and ln u < z²/2 + d(1 − v + ln v),
 * giving d·v (tfjs's squeeze test only accepts sooner). For α < 1, d = α + 2/3 and the result is
 * multiplied by u'^(1/α). tfjs scales the result by β (its "inverse scale" multiplies).
 */
registerSampler({
  name: 'RandomGamma',
  params: ['alpha', 'beta'],
  eager: (tf, shape, dtype, { alpha, beta }) =>
    tf.randomGamma(shape, alpha as number, beta as number, dtype as 'float32'),
  onnx: (c, draw, { alpha, beta }) => {
    if (!(alpha! > 0)) fail('RandomGamma', `alpha must be positive, got ${alpha}`);
    const boost = alpha! < 1;
    const d = boost ? alpha! + 2 / 3 : alpha! - 1 / 3;
    const z = draw('RandomNormal', 1);
    const u = draw('RandomUniform', 1);
    const w = op(c, 'Add', [op(c, 'Mul', [z, f(c, 1 / Math.sqrt(9 * d))]), f(c, 1)]);
    const v = op(c, 'Mul', [op(c, 'Mul', [w, w]), w]);
    // z²/2 + d(1 − v + ln v); NaN where v ≤ 0, which the first test refuses
    const bound = op(c, 'Add', [
      op(c, 'Mul', [op(c, 'Mul', [z, z]), f(c, 0.5)]),
      op(c, 'Mul', [op(c, 'Add', [op(c, 'Sub', [f(c, 1), v]), op(c, 'Log', [v])]), f(c, d)]),
    ]);
    const accepted = op(c, 'And', [
      op(c, 'Greater', [w, f(c, 0)]),
      op(c, 'Less', [op(c, 'Log', [u]), bound]),
    ]);
    let g = op(c, 'Mul', [firstAccepted(c, v, accepted), f(c, d * beta!)]);
    if (boost) g = op(c, 'Mul', [g, op(c, 'Pow', [draw('RandomUniform'), f(c, 1 / alpha!)])]);
    return g;
  },
  toInt: 'round',
});

/**
 * tfjs's Multinomial kernel: int32 [batch, numSamples] class indices from logits [batch, classes]
 * (`normalized`: probabilities). Unseeded, ONNX Multinomial, which takes unnormalized
 * log-probabilities (the log of probabilities). A seeded one repeats tfjs's own generator (alea),
 * which ONNX Runtime cannot: the tfjs executor runs it.
 */
registerOp({
  name: 'Multinomial',
  inputNames: ['logits'],
  pure: false,
  infer: (inputs, attrs) => {
    arity('Multinomial', inputs, 1);
    const logits = inputs[0]!;
    if (logits.dtype !== 'float32' || logits.shape.length !== 2)
      fail('Multinomial', `the logits must be a float32 matrix, got ${formatType(logits)}`);
    const samples = intAttr('Multinomial', attrs, 'numSamples');
    if (samples < 0) fail('Multinomial', `numSamples must not be negative, got ${samples}`);
    return [tensorType('int32', [logits.shape[0]!, samples])];
  },
  eager: (tf, [logits], { numSamples, normalized, seed }) => [
    tf.engine().runKernel(
      'Multinomial',
      { logits: logits! },
      {
        numSamples: numSamples as number,
        normalized: !!normalized,
        seed: (seed ?? Math.random()) as number,
      },
    ) as Tensor,
  ],
  gradient: noGradient,
  onnx: (c) => {
    if (c.attrs.seed != null)
      fail(
        'Multinomial',
        "a seeded tf.multinomial of values computed in the graph repeats tfjs's own generator, which ONNX Runtime cannot: stage it with { executor: 'tfjs' }, or leave out the seed",
      );
    const logits = c.attrs.normalized ? op(c, 'Log', [c.inputs[0]!]) : c.inputs[0]!;
    c.emit('Multinomial', [logits], c.outputs, {
      dtype: ONNX_ELEM_TYPE.int32,
      sample_size: c.attrs.numSamples as number,
      seed: sessionSeed(),
    });
  },
});
