/** Elementwise unary, binary, comparison and logical ops, and Cast. */
import { broadcastShapes, type DType, type TensorType, tensorType } from '../types.ts';
import { chain, ONNX_ELEM_TYPE, same } from './onnx.ts';
import { type OpDef as OnnxDef, registerOp } from './registry.ts';

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
  Expm1: chain(
    (c, x, y) => c.emit('Exp', [x], [y]),
    (c, x, y) => c.emit('Sub', [x, c.scalar(1, c.outputTypes[0]!.dtype)], [y]),
  ),
  Floor: same('Floor'),
  Log: same('Log'),
  Log1p: chain(
    (c, x, y) => c.emit('Add', [x, c.scalar(1, c.outputTypes[0]!.dtype)], [y]),
    (c, x, y) => c.emit('Log', [x], [y]),
  ),
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
  Step: undefined,
  Tan: same('Tan'),
  Tanh: same('Tanh'),
};
const UNARY_PREDICATES: Record<string, Lowering> = {
  IsNan: same('IsNaN'),
  IsInf: same('IsInf'),
  IsFinite: undefined,
};
const BINARY_MATH: Record<string, Lowering> = {
  Add: same('Add'),
  Sub: same('Sub'),
  Multiply: same('Mul'),
  RealDiv: same('Div'),
  FloorDiv: undefined,
  // tfjs's mod is a floor modulo (sign of the divisor): ONNX Mod for integers; a - b·floor(a/b) for floats
  Mod: (c) => {
    if (c.inputTypes[0]!.dtype === 'int32') return void c.emit('Mod', c.inputs, c.outputs, { fmod: 0 });
    const [a, b] = c.inputs as [string, string];
    const [q, f, m] = [c.temp(), c.temp(), c.temp()];
    c.emit('Div', [a, b], [q]);
    c.emit('Floor', [q], [f]);
    c.emit('Mul', [b, f], [m]);
    c.emit('Sub', [a, m], c.outputs);
  },
  Pow: same('Pow'),
  Maximum: same('Max'),
  Minimum: same('Min'),
  SquaredDifference: (c) => {
    const d = c.temp();
    c.emit('Sub', c.inputs, [d]);
    c.emit('Mul', [d, d], c.outputs);
  },
  Atan2: undefined,
};
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
  registerOp({ name, inputNames: ['x'], infer: sameAsInput, onnx });
for (const [name, onnx] of Object.entries(UNARY_PREDICATES)) {
  registerOp({ name, inputNames: ['x'], infer: withDtype('bool'), onnx });
}
registerOp({ name: 'LogicalNot', inputNames: ['x'], infer: withDtype('bool'), onnx: same('Not') });
for (const [name, onnx] of Object.entries(BINARY_MATH))
  registerOp({ name, inputNames: ['a', 'b'], infer: binary(), onnx });
for (const [name, onnx] of Object.entries(COMPARISONS)) {
  registerOp({ name, inputNames: ['a', 'b'], infer: binary('bool'), onnx });
}
for (const [name, onnx] of Object.entries(LOGICAL_BINARY)) {
  registerOp({ name, inputNames: ['a', 'b'], infer: binary('bool'), onnx });
}
registerOp({
  name: 'Cast',
  inputNames: ['x'],
  infer: ([x], attrs) => [tensorType(attrs.dtype as DType, x!.shape)],
  onnx: same('Cast', (c) => ({ to: ONNX_ELEM_TYPE[c.outputTypes[0]!.dtype] })),
});
registerOp({
  name: 'ClipByValue',
  inputNames: ['x'],
  infer: sameAsInput,
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
