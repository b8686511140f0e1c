/** Elementwise unary, binary, comparison and logical ops, and Cast. */
import { broadcastShapes, type DType, type TensorType, tensorType } from '../types.ts';
import { registerOp } from './registry.ts';

const UNARY_MATH = [
  'Abs',
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
  'Neg',
  'Reciprocal',
  'Relu',
  'Relu6',
  'Round',
  'Rsqrt',
  'Selu',
  'Sigmoid',
  'Sign',
  'Sin',
  'Sinh',
  'Softplus',
  'Sqrt',
  'Square',
  'Step',
  'Tan',
  'Tanh',
];
const UNARY_PREDICATES = ['IsNan', 'IsInf', 'IsFinite'];
const BINARY_MATH = [
  'Add',
  'Sub',
  'Multiply',
  'RealDiv',
  'FloorDiv',
  'Mod',
  'Pow',
  'Maximum',
  'Minimum',
  'SquaredDifference',
  'Atan2',
];
const COMPARISONS = ['Less', 'LessEqual', 'Greater', 'GreaterEqual', 'Equal', 'NotEqual'];
const LOGICAL_BINARY = ['LogicalAnd', 'LogicalOr'];

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

for (const name of UNARY_MATH) registerOp({ name, inputNames: ['x'], infer: sameAsInput });
for (const name of UNARY_PREDICATES) registerOp({ name, inputNames: ['x'], infer: withDtype('bool') });
registerOp({ name: 'LogicalNot', inputNames: ['x'], infer: withDtype('bool') });
for (const name of BINARY_MATH) registerOp({ name, inputNames: ['a', 'b'], infer: binary() });
for (const name of COMPARISONS) registerOp({ name, inputNames: ['a', 'b'], infer: binary('bool') });
for (const name of LOGICAL_BINARY) registerOp({ name, inputNames: ['a', 'b'], infer: binary('bool') });
registerOp({
  name: 'Cast',
  inputNames: ['x'],
  infer: ([x], attrs) => [tensorType(attrs.dtype as DType, x!.shape)],
});
registerOp({ name: 'ClipByValue', inputNames: ['x'], infer: sameAsInput });
