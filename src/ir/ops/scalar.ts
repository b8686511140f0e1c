/**
 * Scalar lowerings (the `scalar` field of a registration, run by backends/js): an op on static scalars
 * as a JS expression on numbers, giving exactly what tfjs's cpu kernel stores. Conventions: a float32
 * value is a double holding a float32 (every result goes through `Math.fround`, as a Float32Array
 * store does), an int32 an integer in int32's range (`| 0` is the Int32Array store: ToInt32, so a
 * product beyond 2^53 wraps as tfjs's cpu kernel wraps its double product, not as `Math.imul`), a bool
 * 0 or 1. Operand expressions are plain identifiers, so a template may repeat them.
 *
 * Templates may call the helpers of `SCALAR_HELPERS` as `H.name(...)`: the generated code receives
 * that object as `H`.
 */
import type { DType, TensorType } from '../types.ts';
import type { ScalarLowering } from './registry.ts';

/** A JS expression storing the double `expr` as tfjs stores it in an array of `dtype`. */
export function stored(dtype: DType, expr: string): string {
  if (dtype === 'float32') return `Math.fround(${expr})`;
  if (dtype === 'int32') return `((${expr}) | 0)`;
  return `((${expr}) ? 1 : 0)`;
}

/** A number as JS source, exactly (NaN, ±Infinity and -0 included). */
export function numberLiteral(v: number): string {
  if (Object.is(v, -0)) return '-0';
  if (Number.isNaN(v)) return 'NaN';
  return v < 0 ? `(${String(v)})` : String(v);
}

/** The helpers scalar templates call as `H.name(...)`: tfjs cpu kernels' element functions. */
export const SCALAR_HELPERS = {
  /** tfjs's Round: half to even. */
  round(x: number): number {
    const base = Math.floor(x);
    if (x - base < 0.5) return Math.floor(x);
    if (x - base > 0.5) return Math.ceil(x);
    return base % 2 === 0 ? base : base + 1;
  },
  /** tfjs's Sign: NaN gives 0. */
  sign(x: number): number {
    return x < 0 ? -1 : x > 0 ? 1 : 0;
  },
  /** tfjs's Mod: JS `%` moved to the divisor's sign. */
  mod(a: number, b: number): number {
    const rem = a % b;
    return (a < 0 && b < 0) || (a >= 0 && b >= 0) ? rem : (rem + b) % b;
  },
  /** JsMod's eager chain, sign(a) · mod(|a|, |b|), each step stored as float32. */
  jsMod(a: number, b: number): number {
    const m = Math.fround(SCALAR_HELPERS.mod(Math.fround(Math.abs(a)), Math.fround(Math.abs(b))));
    return Math.fround(SCALAR_HELPERS.sign(a) * m);
  },
};

export type ScalarFn = (c: ScalarLowering) => string | undefined;

const numeric = (t: TensorType) => t.dtype === 'float32' || t.dtype === 'int32';

/** A unary op on float32 only (tfjs's cpu kernel would change an int32 input's dtype or store). */
export const floatUnary =
  (body: (x: string) => string): ScalarFn =>
  ({ args: [x], inputTypes: [t], outputType }) =>
    t!.dtype === 'float32' && outputType.dtype === 'float32' ? stored('float32', body(x!)) : undefined;

/** A unary op on float32 or int32 whose result is stored in the output's dtype. */
export const numericUnary =
  (body: (x: string) => string): ScalarFn =>
  ({ args: [x], inputTypes: [t], outputType }) =>
    numeric(t!) && outputType.dtype === t!.dtype ? stored(t!.dtype, body(x!)) : undefined;

/** A binary op on two operands of the output's dtype (float32 or int32), stored in it. */
export const numericBinary =
  (body: (a: string, b: string) => string): ScalarFn =>
  ({ args: [a, b], inputTypes: [ta, tb], outputType }) =>
    numeric(outputType) && ta!.dtype === outputType.dtype && tb!.dtype === outputType.dtype
      ? stored(outputType.dtype, body(a!, b!))
      : undefined;

/** A comparison of two operands of one dtype: 1 or 0. */
export const comparison =
  (operator: string): ScalarFn =>
  ({ args: [a, b], inputTypes: [ta, tb] }) =>
    ta!.dtype === tb!.dtype ? `(${a} ${operator} ${b} ? 1 : 0)` : undefined;

/** A logical op on bools (0/1), through a bitwise operator. */
export const logical =
  (template: (a: string, b: string) => string): ScalarFn =>
  ({ args: [a, b], inputTypes }) =>
    inputTypes.every((t) => t.dtype === 'bool') ? template(a!, b ?? '') : undefined;

/**
 * tfjs's Cast kernel on a scalar: `x !== 0` for bool, Int32Array.from (ToInt32) from float32 to int32;
 * a cast tfjs sees no loss in (bool to anything, int32 to float32) keeps the data as it is, so an int32
 * beyond 2^24 stays exact in a "float32" tensor. So it does here while it is a number; made a tensor
 * (an output, a tensor op's operand) it is stored as float32, rounded (as the wasm backend and ONNX
 * Runtime give it).
 */
export const castScalar: ScalarFn = ({ args: [x], inputTypes: [t], outputType }) => {
  const from = t!.dtype;
  const to = outputType.dtype;
  if (to === 'bool') return from === 'bool' ? x : `(${x} !== 0 ? 1 : 0)`;
  if (from === to || from === 'bool' || to === 'float32') return x;
  return stored('int32', x!);
};
