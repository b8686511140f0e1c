/** Elementwise unary, binary, comparison and logical ops, and Cast. */
import { broadcastShapes, type DType, formatShape, type TensorType, tensorType } from '../types.ts';
import { arity, compatibleShape, fail, mergeDim } from './attrs.ts';
import { chain, inputAs, ONNX_ELEM_TYPE, same } from './onnx.ts';
import { type OnnxLowering, type OpDef as OnnxDef, registerOp, tfjsGradient } from './registry.ts';
import {
  castScalar,
  comparison,
  floatUnary,
  logical,
  numberLiteral,
  numericBinary,
  numericUnary,
  type ScalarFn,
  stored,
} from './scalar.ts';

type Lowering = OnnxDef['onnx'];

/** Unary math ops and their ONNX lowerings (undefined: not lowered yet). */
const UNARY_MATH: Record<string, Lowering> = {
  Abs: same('Abs'),
  Acos: same('Acos'),
  Acosh: same('Acosh'),
  Asin: same('Asin'),
  Asinh: same('Asinh'),
  Atan: same('Atan'),
  Atanh: same('Atanh'),
  Ceil: same('Ceil'),
  Cos: same('Cos'),
  Cosh: same('Cosh'),
  Elu: same('Elu'),
  Erf: same('Erf'),
  Exp: same('Exp'),
  Expm1: (c) => expm1(c),
  Floor: same('Floor'),
  Log: same('Log'),
  Log1p: (c) => log1p(c),
  Neg: same('Neg'),
  Reciprocal: same('Reciprocal'),
  Relu: same('Relu'),
  Relu6: (c) => c.emit('Clip', [c.inputs[0]!, c.scalar(0, 'float32'), c.scalar(6, 'float32')], c.outputs),
  Round: same('Round'),
  Rsqrt: chain(
    (c, x, y) => c.emit('Sqrt', [x], [y]),
    (c, x, y) => c.emit('Reciprocal', [x], [y]),
  ),
  Selu: same('Selu'),
  Sigmoid: same('Sigmoid'),
  Sign: same('Sign'),
  Sin: same('Sin'),
  Sinh: same('Sinh'),
  Softplus: same('Softplus'),
  Sqrt: same('Sqrt'),
  Square: (c) => c.emit('Mul', [c.inputs[0]!, c.inputs[0]!], c.outputs),
  // tfjs: NaN stays NaN, x > 0 gives 1, anything else alpha (stored in x's dtype)
  Step: (c) => {
    const dtype = c.inputTypes[0]!.dtype;
    const x = c.inputs[0]!;
    const [positive, stepped] = [c.temp(), c.temp()];
    c.emit('Greater', [x, c.scalar(0, dtype)], [positive]);
    const alpha = c.scalar((c.attrs.alpha as number | undefined) ?? 0, dtype);
    if (dtype !== 'float32') return void c.emit('Where', [positive, c.scalar(1, dtype), alpha], c.outputs);
    const nan = c.temp();
    c.emit('Where', [positive, c.scalar(1, dtype), alpha], [stepped]);
    c.emit('IsNaN', [x], [nan]);
    c.emit('Where', [nan, x, stepped], c.outputs);
  },
  Tan: same('Tan'),
  Tanh: same('Tanh'),
};
/**
 * Scalar lowerings (backends/js) of the ops above and below, each what tfjs's cpu kernel computes per
 * element (see scalar.ts). Abs and Square store in a Float32Array whatever the dtype, as that kernel does.
 */
const SCALAR: Record<string, ScalarFn> = {
  Abs: ({ args: [x], inputTypes: [t] }) => (t!.dtype === 'bool' ? undefined : `Math.fround(Math.abs(${x}))`),
  Square: ({ args: [x], inputTypes: [t] }) => (t!.dtype === 'bool' ? undefined : `Math.fround(${x} * ${x})`),
  Neg: numericUnary((x) => `-${x}`),
  Sign: numericUnary((x) => `H.sign(${x})`),
  Floor: numericUnary((x) => `Math.floor(${x})`),
  Ceil: numericUnary((x) => `Math.ceil(${x})`),
  Round: numericUnary((x) => `H.round(${x})`),
  Relu: numericUnary((x) => `Math.max(0, ${x})`),
  Exp: floatUnary((x) => `Math.exp(${x})`),
  Log: floatUnary((x) => `Math.log(${x})`),
  Sqrt: floatUnary((x) => `Math.sqrt(${x})`),
  Rsqrt: floatUnary((x) => `1 / Math.sqrt(${x})`),
  Reciprocal: floatUnary((x) => `1 / ${x}`),
  Sin: floatUnary((x) => `Math.sin(${x})`),
  Cos: floatUnary((x) => `Math.cos(${x})`),
  Tanh: floatUnary((x) => `Math.tanh(${x})`),
  Sigmoid: floatUnary((x) => `1 / (1 + Math.exp(-${x}))`),
  IsNan: ({ args: [x], inputTypes: [t] }) => (t!.dtype === 'float32' ? `(${x} !== ${x} ? 1 : 0)` : undefined),
  IsFinite: ({ args: [x] }) => `(Number.isFinite(${x}) ? 1 : 0)`,
  Add: numericBinary((a, b) => `${a} + ${b}`),
  Sub: numericBinary((a, b) => `${a} - ${b}`),
  Multiply: numericBinary((a, b) => `${a} * ${b}`),
  RealDiv: numericBinary((a, b) => `${a} / ${b}`),
  Pow: numericBinary((a, b) => `Math.pow(${a}, ${b})`),
  Maximum: numericBinary((a, b) => `Math.max(${a}, ${b})`),
  Minimum: numericBinary((a, b) => `Math.min(${a}, ${b})`),
  SquaredDifference: numericBinary((a, b) => `(${a} - ${b}) * (${a} - ${b})`),
  Mod: numericBinary((a, b) => `H.mod(${a}, ${b})`),
  // tfjs's FloorDiv kernel stores Math.floor(a / b) in an Int32Array whatever the inputs
  FloorDiv: ({ args: [a, b], inputTypes: [ta, tb], outputType }) =>
    outputType.dtype === 'int32' && ta!.dtype === tb!.dtype && ta!.dtype !== 'bool'
      ? stored('int32', `Math.floor(${a} / ${b})`)
      : undefined,
  Less: comparison('<'),
  LessEqual: comparison('<='),
  Greater: comparison('>'),
  GreaterEqual: comparison('>='),
  Equal: comparison('==='),
  NotEqual: comparison('!=='),
  LogicalAnd: logical((a, b) => `(${a} & ${b})`),
  LogicalOr: logical((a, b) => `(${a} | ${b})`),
  LogicalNot: logical((x) => `(${x} ^ 1)`),
  Cast: castScalar,
  ClipByValue: ({ args: [x], inputTypes: [t], attrs }) => {
    if (t!.dtype === 'bool') return undefined;
    const [min, max] = [
      numberLiteral(attrs.clipValueMin as number),
      numberLiteral(attrs.clipValueMax as number),
    ];
    return stored(t!.dtype, `${x} > ${max} ? ${max} : ${x} < ${min} ? ${min} : ${x}`);
  },
  JsMod: ({ args: [a, b] }) => `H.jsMod(${a}, ${b})`,
};

const UNARY_PREDICATES: Record<string, Lowering> = {
  IsNan: same('IsNaN'),
  IsInf: same('IsInf'),
  // not NaN and not ±Inf; integers are always finite (ONNX IsNaN/IsInf take floats only)
  IsFinite: (c) => c.emit('Not', [nonFinite(c, inputAs(c, 0, 'float32'))], c.outputs),
};
const BINARY_MATH: Record<string, Lowering> = {
  Add: same('Add'),
  Sub: same('Sub'),
  Multiply: same('Mul'),
  RealDiv: same('Div'),
  FloorDiv: (c) => lowerFloorDiv(c),
  Mod: (c) => lowerMod(c),
  Pow: same('Pow'),
  Maximum: same('Max'),
  Minimum: same('Min'),
  SquaredDifference: (c) => {
    const d = c.temp();
    c.emit('Sub', c.inputs, [d]);
    c.emit('Mul', [d, d], c.outputs);
  },
  Atan2: (c) => lowerAtan2(c),
};
/** Both inputs as float32 (cast when they are not). */
const asFloat = (c: OnnxLowering) => c.inputs.map((_, i) => inputAs(c, i, 'float32')) as [string, string];

/** Whether each element of float32 `x` is NaN or ±Inf, as a bool value's name. */
function nonFinite(c: OnnxLowering, x: string): string {
  const [nan, inf, either] = [c.temp(), c.temp(), c.temp()];
  c.emit('IsNaN', [x], [nan]);
  c.emit('IsInf', [x], [inf]);
  c.emit('Or', [nan, inf], [either]);
  return either;
}

/** float32 `x` as tfjs stores it in an Int32Array: NaN and ±Inf become 0 (ONNX's Cast leaves them undefined). */
function toInt32(c: OnnxLowering, x: string, out: string): void {
  const finite = c.temp();
  c.emit('Where', [nonFinite(c, x), c.scalar(0, 'float32'), x], [finite]);
  c.emit('Cast', [finite], [out], { to: ONNX_ELEM_TYPE.int32 });
}

/**
 * tfjs's FloorDiv kernel computes `Math.floor(a / b)` in doubles and stores it in an Int32Array
 * (whatever the input dtype): ±Inf and NaN (division by zero) become 0. On int32 that is exact
 * integer floor division: see lowerIntFloorDiv.
 */
function lowerFloorDiv(c: OnnxLowering): void {
  if (c.inputTypes.every((t) => t.dtype === 'int32') && c.outputTypes[0]!.dtype === 'int32')
    return void lowerIntFloorDiv(c);
  const [a, b] = asFloat(c);
  const [q, f, asInt] = [c.temp(), c.temp(), c.temp()];
  c.emit('Div', [a, b], [q]);
  c.emit('Floor', [q], [f]);
  const dtype = c.outputTypes[0]!.dtype;
  if (dtype === 'int32') return void toInt32(c, f, c.outputs[0]!);
  toInt32(c, f, asInt);
  c.emit('Cast', [asInt], c.outputs, { to: ONNX_ELEM_TYPE[dtype] });
}

/**
 * In integers, with no float round trip: ONNX's integer Mod takes the divisor's sign, so a - mod(a, b)
 * is a multiple of b and the truncating Div of it is the floor.
 */
function lowerIntFloorDiv(c: OnnxLowering): void {
  const a = c.inputs[0]!;
  withNonzeroDivisor(c, (by, out) => {
    const [mod, multiple] = [c.temp(), c.temp()];
    c.emit('Mod', [a, by], [mod], { fmod: 0 });
    c.emit('Sub', [a, mod], [multiple]);
    c.emit('Div', [multiple, by], [out]);
  });
}

/**
 * tfjs's mod is JS `%` (exact, the dividend's sign) moved to the divisor's sign: `(r + b) % b` where
 * the signs differ. Integers: ONNX's integer Mod is exactly that, once a zero divisor (tfjs: 0) is
 * kept out of it. Floats: Mod(fmod=1) is C's fmod, which is JS `%`, and the sign fix as tfjs does it.
 */
function lowerMod(c: OnnxLowering): void {
  const [a, b] = c.inputs as [string, string];
  if (c.inputTypes[0]!.dtype === 'int32') {
    return void withNonzeroDivisor(c, (by, out) => c.emit('Mod', [a, by], [out], { fmod: 0 }));
  }
  const [rem, aNeg, bNeg, sameSign, shifted, wrapped] = Array.from({ length: 6 }, () => c.temp());
  const zero = c.scalar(0, 'float32');
  c.emit('Mod', [a, b], [rem!], { fmod: 1 });
  c.emit('Less', [a, zero], [aNeg!]);
  c.emit('Less', [b, zero], [bNeg!]);
  c.emit('Equal', [aNeg!, bNeg!], [sameSign!]);
  c.emit('Add', [rem!, b], [shifted!]);
  c.emit('Mod', [shifted!, b], [wrapped!], { fmod: 1 });
  c.emit('Where', [sameSign!, rem!, wrapped!], c.outputs);
}

/**
 * An int32 division-like op whose divisor (input 1) may be 0, where ONNX's integer kernels are
 * undefined and tfjs gives 0: `emit(divisor, output)` runs on 1 in its place, and the result there is
 * 0. A constant divisor without zeros needs neither.
 */
function withNonzeroDivisor(c: OnnxLowering, emit: (divisor: string, output: string) => void): void {
  const b = c.inputs[1]!;
  const divisor = c.constantInput(1);
  if (divisor && !Array.from(divisor).includes(0)) return void emit(b, c.outputs[0]!);
  const [isZero, safe, result] = [c.temp(), c.temp(), c.temp()];
  const zero = c.scalar(0, 'int32');
  c.emit('Equal', [b, zero], [isZero]);
  c.emit('Where', [isZero, c.scalar(1, 'int32'), b], [safe]);
  emit(safe, result);
  c.emit('Where', [isZero, zero, result], c.outputs);
}

/**
 * atan2(a, b) from Atan(a / b): ±π where b < 0 (by the sign of a), and 0 at a = b = 0 (where a / b
 * is NaN). b = 0 elsewhere gives a / b = ±Inf, whose Atan is already ±π/2. Integer results truncate.
 */
function lowerAtan2(c: OnnxLowering): void {
  const [a, b] = asFloat(c);
  const t = () => c.temp();
  const [q, base, bNeg, aNonNeg, plus, minus, shifted, aZero, bZero, both, r] = Array.from(
    { length: 11 },
    t,
  ) as string[];
  const zero = c.scalar(0, 'float32');
  c.emit('Div', [a, b], [q!]);
  c.emit('Atan', [q!], [base!]);
  c.emit('Less', [b, zero], [bNeg!]);
  c.emit('GreaterOrEqual', [a, zero], [aNonNeg!]);
  c.emit('Add', [base!, c.scalar(Math.PI, 'float32')], [plus!]);
  c.emit('Sub', [base!, c.scalar(Math.PI, 'float32')], [minus!]);
  c.emit('Where', [aNonNeg!, plus!, minus!], [shifted!]);
  c.emit('Where', [bNeg!, shifted!, base!], [r!]);
  c.emit('Equal', [a, zero], [aZero!]);
  c.emit('Equal', [b, zero], [bZero!]);
  c.emit('And', [aZero!, bZero!], [both!]);
  const dtype = c.outputTypes[0]!.dtype;
  if (dtype === 'float32') return void c.emit('Where', [both!, zero, r!], c.outputs);
  const result = t();
  c.emit('Where', [both!, zero, r!], [result]);
  c.emit('Cast', [result], c.outputs, { to: ONNX_ELEM_TYPE[dtype] });
}

const COMPARISONS: Record<string, Lowering> = {
  Less: same('Less'),
  LessEqual: same('LessOrEqual'),
  Greater: same('Greater'),
  GreaterEqual: same('GreaterOrEqual'),
  Equal: same('Equal'),
  NotEqual: chain(
    (c, _x, y) => c.emit('Equal', c.inputs, [y]),
    (c, x, y) => c.emit('Not', [x], [y]),
  ),
};
const LOGICAL_BINARY: Record<string, Lowering> = { LogicalAnd: same('And'), LogicalOr: same('Or') };

const sameAsInput = ([x]: readonly TensorType[]) => [x!];
const withDtype =
  (dtype: DType) =>
  ([x]: readonly TensorType[]) => [tensorType(dtype, x!.shape)];

function binary(dtype?: DType) {
  return ([a, b]: readonly TensorType[]) => {
    if (!dtype && a!.dtype !== b!.dtype) throw new Error(`dtypes ${a!.dtype} and ${b!.dtype} differ`);
    return [tensorType(dtype ?? a!.dtype, broadcastShapes(a!.shape, b!.shape))];
  };
}

for (const [name, onnx] of Object.entries(UNARY_MATH))
  registerOp({ name, inputNames: ['x'], infer: sameAsInput, onnx, scalar: SCALAR[name] });
for (const [name, onnx] of Object.entries(UNARY_PREDICATES)) {
  registerOp({ name, inputNames: ['x'], infer: withDtype('bool'), onnx, scalar: SCALAR[name] });
}
registerOp({
  name: 'LogicalNot',
  inputNames: ['x'],
  infer: withDtype('bool'),
  onnx: same('Not'),
  scalar: SCALAR.LogicalNot,
});
/**
 * tfjs's gradient of a broadcasting op, shown the dims the broadcast fixed: a dynamic dim of an input
 * facing a static dim of the output has that size (or 1: the adjoint's reshape back to the input's
 * run-time shape then fails at run time). tfjs's own shape check would otherwise compare the dynamic
 * dim's stand-in size with the static one.
 */
function broadcastGradient(name: string): OnnxDef['gradient'] {
  const tfjs = tfjsGradient(name, ['a', 'b']);
  return (ctx) => {
    const out = ctx.outputTypes[0]!.shape;
    const inputs = ctx.inputs.map((t, i) => {
      const dims = ctx.inputTypes[i]!.shape;
      const fixed = dims.length === out.length && dims.some((d, k) => d === null && out[k] !== null);
      return fixed
        ? ctx.withShape(
            t,
            dims.map((d, k) => d ?? out[k] ?? t.shape[k]!),
          )
        : t;
    });
    return tfjs({ ...ctx, inputs });
  };
}

for (const [name, onnx] of Object.entries(BINARY_MATH))
  registerOp({
    name,
    inputNames: ['a', 'b'],
    infer: binary(),
    onnx,
    gradient: broadcastGradient(name),
    scalar: SCALAR[name],
  });
for (const [name, onnx] of Object.entries(COMPARISONS)) {
  registerOp({ name, inputNames: ['a', 'b'], infer: binary('bool'), onnx, scalar: SCALAR[name] });
}
for (const [name, onnx] of Object.entries(LOGICAL_BINARY)) {
  registerOp({ name, inputNames: ['a', 'b'], infer: binary('bool'), onnx, scalar: SCALAR[name] });
}
registerOp({
  name: 'Cast',
  inputNames: ['x'],
  infer: ([x], attrs) => [tensorType(attrs.dtype as DType, x!.shape)],
  scalar: SCALAR.Cast,
  // (finite values beyond int32 wrap in tfjs; they are not handled)
  onnx: (c) => {
    if (c.inputTypes[0]!.dtype === 'float32' && c.outputTypes[0]!.dtype === 'int32')
      return toInt32(c, c.inputs[0]!, c.outputs[0]!);
    c.emit('Cast', c.inputs, c.outputs, { to: ONNX_ELEM_TYPE[c.outputTypes[0]!.dtype] });
  },
});
registerOp({
  name: 'ClipByValue',
  inputNames: ['x'],
  infer: sameAsInput,
  scalar: SCALAR.ClipByValue,
  onnx: (c) => {
    const dtype = c.inputTypes[0]!.dtype;
    c.emit(
      'Clip',
      [
        c.inputs[0]!,
        c.scalar(c.attrs.clipValueMin as number, dtype),
        c.scalar(c.attrs.clipValueMax as number, dtype),
      ],
      c.outputs,
    );
  },
});

/**
 * `JsMod`: JS `%` (the dividend's sign). Not a tfjs kernel: the runtime computes `a % b` on tensors
 * as `sign(a) * mod(|a|, |b|)`, and passes/simplify.ts folds that recorded chain (float32) into this
 * op, which is one ONNX `Mod(fmod=1)` (C's fmod is JS `%`).
 */
registerOp({
  name: 'JsMod',
  inputNames: ['a', 'b'],
  eager: (tf, [a, b]) => [tf.mul(tf.sign(a!), tf.mod(tf.abs(a!), tf.abs(b!)))],
  scalar: SCALAR.JsMod,
  onnx: (c) => c.emit('Mod', c.inputs, c.outputs, { fmod: 1 }),
  infer: (inputs) => {
    const [a, b] = inputs;
    if (inputs.length !== 2 || a!.dtype !== 'float32' || b!.dtype !== 'float32')
      throw new Error('JsMod: takes two float32 tensors');
    return [tensorType('float32', broadcastShapes(a!.shape, b!.shape))];
  },
});

/**
 * `AddN`: the sum of same-shaped tensors of one dtype (variadic; tfjs's `addN`, and what gradients use
 * to add up the gradients of a value used several times). Added in input order, as tfjs's kernel
 * does, so float sums round the same way. (Bool inputs, which tfjs adds up as bytes, are refused.)
 */
registerOp({
  name: 'AddN',
  variadic: true,
  inputNames: [],
  onnx: (c) => {
    if (c.inputs.length === 1) return void c.emit('Identity', c.inputs, c.outputs);
    let sum = c.inputs[0]!;
    c.inputs.slice(1).forEach((x, i) => {
      const next = i === c.inputs.length - 2 ? c.outputs[0]! : c.temp();
      c.emit('Add', [sum, x], [next]);
      sum = next;
    });
  },
  infer: (inputs) => {
    if (inputs.length === 0) fail('AddN', 'takes at least one input');
    const [first] = inputs as [TensorType];
    if (first.dtype === 'bool') fail('AddN', 'takes float32 or int32 tensors, got bool');
    let shape = first.shape;
    for (const t of inputs) {
      if (t.dtype !== first.dtype) fail('AddN', `dtypes ${first.dtype} and ${t.dtype} differ`);
      if (!compatibleShape(t.shape, shape))
        fail('AddN', `shapes [${formatShape(first.shape)}] and [${formatShape(t.shape)}] differ`);
      shape = shape.map((d, i) => mergeDim(d, t.shape[i]!));
    }
    return [tensorType(first.dtype, shape)];
  },
});

/** `EluGrad` (the gradient of Elu): `y >= 0 ? dy : dy * (y + 1)` elementwise, float32, no broadcasting. */
registerOp({
  name: 'EluGrad',
  inputNames: ['dy', 'y'],
  onnx: (c) => {
    const [dy, y] = [inputAs(c, 0, 'float32'), inputAs(c, 1, 'float32')];
    const [nonNegative, shifted, scaled] = [c.temp(), c.temp(), c.temp()];
    c.emit('GreaterOrEqual', [y, c.scalar(0, 'float32')], [nonNegative]);
    c.emit('Add', [y, c.scalar(1, 'float32')], [shifted]);
    c.emit('Mul', [dy, shifted], [scaled]);
    c.emit('Where', [nonNegative, dy, scaled], c.outputs);
  },
  infer: (inputs) => {
    arity('EluGrad', inputs, 2);
    const [dy, y] = inputs as [TensorType, TensorType];
    if (!compatibleShape(dy.shape, y.shape))
      fail('EluGrad', `dy [${formatShape(dy.shape)}] and y [${formatShape(y.shape)}] differ`);
    return [
      tensorType(
        'float32',
        y.shape.map((d, i) => mergeDim(d, dy.shape[i]!)),
      ),
    ];
  },
});

/**
 * log1p and expm1 as tfjs computes them (Math.log1p/expm1, exact for tiny x), not as `Log(1 + x)` /
 * `Exp(x) − 1`, which in float32 give 0 for |x| below ~6e-8 (and lose most digits well above it): the
 * staged fuzzer found a loop where that 0 changed the result. Kahan's corrections: with u = 1 + x,
 * log1p(x) = log(u) · x / (u − 1) (x itself where u − 1 is 0); with u = eˣ, expm1(x) = (u − 1) · x /
 * log(u) (x where u is 1, −1 where u − 1 is −1); +∞ is passed through.
 */
function log1p(c: OnnxLowering): void {
  const [x] = c.inputs as [string];
  const [u, d, q, lg, r, tiny, corrected, inf] = Array.from({ length: 8 }, () => c.temp());
  const f = (v: number) => c.scalar(v, 'float32');
  c.emit('Add', [x, f(1)], [u!]);
  c.emit('Sub', [u!, f(1)], [d!]);
  c.emit('Div', [x, d!], [q!]);
  c.emit('Log', [u!], [lg!]);
  c.emit('Mul', [lg!, q!], [r!]);
  c.emit('Equal', [d!, f(0)], [tiny!]);
  c.emit('Where', [tiny!, x, r!], [corrected!]);
  c.emit('IsInf', [x], [inf!], { detect_negative: 0 });
  c.emit('Where', [inf!, x, corrected!], c.outputs);
}

function expm1(c: OnnxLowering): void {
  const [x] = c.inputs as [string];
  const [u, d, p, lg, r, one, first, minusOne, second, inf] = Array.from({ length: 10 }, () => c.temp());
  const f = (v: number) => c.scalar(v, 'float32');
  c.emit('Exp', [x], [u!]);
  c.emit('Sub', [u!, f(1)], [d!]);
  c.emit('Mul', [d!, x], [p!]);
  c.emit('Log', [u!], [lg!]);
  c.emit('Div', [p!, lg!], [r!]);
  c.emit('Equal', [u!, f(1)], [one!]);
  c.emit('Where', [one!, x, r!], [first!]);
  c.emit('Equal', [d!, f(-1)], [minusOne!]);
  c.emit('Where', [minusOne!, f(-1), first!], [second!]);
  c.emit('IsInf', [x], [inf!], { detect_negative: 0 });
  c.emit('Where', [inf!, x, second!], c.outputs);
}
