/**
 * Operators that converted code calls in place of JS operators. Each checks for plain numbers first
 * (the hot path of numeric JS code), then for tensors, and otherwise applies the JS operator itself,
 * so JS values keep their exact meaning (coercions, valueOf order, thrown errors).
 * The functions are written out one by one rather than built by a factory so that V8 keeps
 * separate type feedback per operator.
 */
import { StagingError } from '../errors.ts';
import { stagedIfExp } from '../staging/control-flow.ts';
import { isSymbolic } from '../staging/recording-backend.ts';
import { writeKey } from './indexing.ts';
import { isInt32, isWeakInt, isWeakInteger, markWeakInt } from '../staging/weak.ts';
import { isTensor, type TensorLike, tensorTruthy, tf } from './tensors.ts';

type Op = 'add' | 'sub' | 'mul' | 'div' | 'mod' | 'pow' | 'lt' | 'le' | 'gt' | 'ge' | 'eq' | 'ne';

const asFloat = (x: unknown) => (isTensor(x) && x.dtype === 'int32' ? tf().cast(x as any, 'float32') : x);

/**
 * Weak typing of JS numbers (JAX's weak types, TensorFlow's Python ints): beside an int32 tensor, an
 * integer that int32 holds is an int32 scalar, so `i + 1` keeps a counter int32. Any other number is
 * left to tfjs, which makes it float32 and promotes the tensor (`i * 0.5` is float32). A symbolic
 * tensor standing for JS integers (a counter a staged loop carries, see staging/weak.ts) is cast to
 * int32 there the same way.
 */
export function weakNumber(n: unknown, beside: TensorLike): unknown {
  if (beside.dtype !== 'int32' || isWeakInt(beside)) return n;
  if (isWeakInt(n)) return tf().cast(n as any, 'int32');
  return isInt32(n) ? tf().scalar(n, 'int32') : n;
}

const weakOperand = (x: unknown) => typeof x === 'number' || isWeakInt(x);

/**
 * Which operand of `op` is weakly typed. `/` is true division (floats either way); in `**` only a
 * non-negative integer exponent of an int32 base stays integer (2 ** -1 is 0.5, and an int32 exponent
 * tensor may hold negative values), as JAX refuses integer negative powers.
 */
function weakOperands(op: Op, a: any, b: any): [any, any] {
  if (op === 'div') return [a, b];
  if (weakOperand(b) && isTensor(a))
    return [a, op === 'pow' && !(isInt32(b) && b >= 0) ? b : weakNumber(b, a)];
  if (weakOperand(a) && isTensor(b) && op !== 'pow') return [weakNumber(a, b), b];
  return [a, b];
}

/** Integer arithmetic on weak integers stays weak: `i + 1` on a carried counter is still a JS integer. */
const STAYS_INTEGER = new Set<Op>(['add', 'sub', 'mul', 'mod']);
const keepWeak = (op: Op, a: unknown, b: unknown, result: unknown) =>
  STAYS_INTEGER.has(op) && isWeakInteger(a) && isWeakInteger(b) ? markWeakInt(result) : result;

/** Tensor meaning of a binary operator; JS number operands are broadcast as weakly typed scalars. */
function tensorBinary(op: Op, x: any, y: any): any {
  return keepWeak(op, x, y, strongBinary(op, ...weakOperands(op, x, y)));
}

function strongBinary(op: Op, a: any, b: any): any {
  const t = tf();
  switch (op) {
    case 'add':
      return t.add(a, b);
    case 'sub':
      return t.sub(a, b);
    case 'mul':
      return t.mul(a, b);
    case 'div': // JS `/` is true division, also for integers
      return t.div(asFloat(a) as any, asFloat(b) as any);
    case 'mod': // JS `%` takes the sign of the dividend: sign(a) * (|a| mod |b|)
      return t.mul(t.sign(a), t.mod(t.abs(a), t.abs(b)));
    case 'pow':
      return t.pow(a, b);
    case 'lt':
      return t.less(a, b);
    case 'le':
      return t.lessEqual(a, b);
    case 'gt':
      return t.greater(a, b);
    case 'ge':
      return t.greaterEqual(a, b);
    case 'eq':
      return t.equal(a, b);
    case 'ne':
      return t.notEqual(a, b);
  }
}

const numeric = (x: unknown) => typeof x === 'number' || typeof x === 'boolean' || isTensor(x);
/** `==`-style ops only mean elementwise comparison when both sides are numeric or tensors. */
const comparableTensors = (a: unknown, b: unknown) =>
  (isTensor(a) || isTensor(b)) && numeric(a) && numeric(b);
/** Tensors are objects: anything else takes the JS path without further checks. */
const notObject = (x: unknown) => typeof x !== 'object' || x === null;

// Each operator is a one-line fast path for what hot JS loops use (numbers, non-objects), small
// enough for V8 to inline at every call site; tensors and other values go out of line.
const jsBinary: Record<Op, (a: any, b: any) => any> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  mod: (a, b) => a % b,
  pow: (a, b) => a ** b,
  lt: (a, b) => a < b,
  le: (a, b) => a <= b,
  gt: (a, b) => a > b,
  ge: (a, b) => a >= b,
  eq: (a, b) => a == b,
  ne: (a, b) => a != b,
};

/** A binary operator on anything but two numbers. */
function binarySlow(op: Op, a: any, b: any): any {
  const tensor =
    (isTensor(a) || isTensor(b)) && !(op === 'add' && (typeof a === 'string' || typeof b === 'string'));
  return tensor ? tensorBinary(op, a, b) : jsBinary[op](a, b);
}

export const add = (a: any, b: any): any =>
  typeof a === 'number' && typeof b === 'number' ? a + b : binarySlow('add', a, b);
export const sub = (a: any, b: any): any =>
  typeof a === 'number' && typeof b === 'number' ? a - b : binarySlow('sub', a, b);
export const mul = (a: any, b: any): any =>
  typeof a === 'number' && typeof b === 'number' ? a * b : binarySlow('mul', a, b);
export const div = (a: any, b: any): any =>
  typeof a === 'number' && typeof b === 'number' ? a / b : binarySlow('div', a, b);
export const mod = (a: any, b: any): any =>
  typeof a === 'number' && typeof b === 'number' ? a % b : binarySlow('mod', a, b);
export const pow = (a: any, b: any): any =>
  typeof a === 'number' && typeof b === 'number' ? a ** b : binarySlow('pow', a, b);
export const lt = (a: any, b: any): any =>
  typeof a === 'number' && typeof b === 'number' ? a < b : binarySlow('lt', a, b);
export const le = (a: any, b: any): any =>
  typeof a === 'number' && typeof b === 'number' ? a <= b : binarySlow('le', a, b);
export const gt = (a: any, b: any): any =>
  typeof a === 'number' && typeof b === 'number' ? a > b : binarySlow('gt', a, b);
export const ge = (a: any, b: any): any =>
  typeof a === 'number' && typeof b === 'number' ? a >= b : binarySlow('ge', a, b);

function equalitySlow(a: any, b: any, strict: boolean, negate: boolean): any {
  if (comparableTensors(a, b)) return tensorBinary(negate ? 'ne' : 'eq', a, b);
  const equal = strict ? a === b : a == b;
  return negate ? !equal : equal;
}
export const eq = (a: any, b: any): any =>
  notObject(a) && notObject(b) ? a == b : equalitySlow(a, b, false, false);
export const ne = (a: any, b: any): any =>
  notObject(a) && notObject(b) ? a != b : equalitySlow(a, b, false, true);
export const seq = (a: any, b: any): any =>
  notObject(a) && notObject(b) ? a === b : equalitySlow(a, b, true, false);
export const sne = (a: any, b: any): any =>
  notObject(a) && notObject(b) ? a !== b : equalitySlow(a, b, true, true);

export const neg = (a: any): any =>
  typeof a === 'number' ? -a : isTensor(a) ? keepWeak('mul', a, -1, tf().neg(a as any)) : -a;

/** JS truthiness elementwise: non-zero and not NaN. */
const asBool = (t: TensorLike): any => {
  if (t.dtype === 'bool') return t;
  const nonZero = tf().notEqual(t as any, 0);
  return t.dtype === 'float32' ? tf().logicalAnd(nonZero, tf().equal(t as any, t as any)) : nonZero;
};

/** `!a`. On a tensor, elementwise logical not (numbers are true when non-zero and not NaN). */
export const not_ = (a: any): any => (notObject(a) || !isTensor(a) ? !a : tf().logicalNot(asBool(a)));

/** Truthiness of a condition; an eager tensor must hold a single value, which is read. */
export const truthy = (c: unknown, where?: string): boolean =>
  typeof c === 'boolean' ? c : notObject(c) || !isTensor(c) ? !!c : tensorCondition(c, where);

function tensorCondition(c: TensorLike, where: string | undefined): boolean {
  if (isSymbolic(c)) {
    throw new StagingError(
      `${where ? `${where}: ` : ''}a symbolic tensor was used as a JS condition: this code runs natively while ag.stage traces ` +
        '(it was not converted to graph form, or a loop condition became a tensor after starting as a JS value)',
    );
  }
  return tensorTruthy(c, where);
}

/** `a && b()`: lazy and operand-returning; a single-valued tensor is read, a larger one combines elementwise. */
export const and_ = (a: any, b: () => any): any =>
  notObject(a) || !isTensor(a) ? (a ? b() : a) : tensorAnd(a, b);
function tensorAnd(a: TensorLike, b: () => any): any {
  if (a.size === 1 && isSymbolic(a)) return stagedIfExp(a, b, () => a, undefined);
  if (a.size === 1) return tensorTruthy(a, undefined) ? b() : a;
  return tf().logicalAnd(asBool(a), asBool(b()));
}

/** `a || b()`, see `and_`. */
export const or_ = (a: any, b: () => any): any =>
  notObject(a) || !isTensor(a) ? (a ? a : b()) : tensorOr(a, b);
function tensorOr(a: TensorLike, b: () => any): any {
  if (a.size === 1 && isSymbolic(a)) return stagedIfExp(a, () => a, b, undefined);
  if (a.size === 1) return tensorTruthy(a, undefined) ? a : b();
  return tf().logicalOr(asBool(a), asBool(b()));
}

/** `a ?? b()`: a tensor is never nullish. */
export const nullish = (a: any, b: () => any): any => a ?? b();

/** `c ? a() : b()`; a symbolic condition stages both branches. */
export const ifExp = (c: unknown, a: () => any, b: () => any, where?: string): any =>
  isSymbolic(c) ? stagedIfExp(c, a, b, where) : truthy(c, where) ? a() : b();

/** ToNumeric, as `x++` applies it before incrementing. */
export const toNumeric = (v: any): any => {
  if (typeof v === 'number' || isTensor(v)) return v;
  let n = v;
  return n++;
};
export const inc = (v: any): any =>
  typeof v === 'number' ? v + 1 : isTensor(v) ? tensorBinary('add', v, 1) : ++v;
export const dec = (v: any): any =>
  typeof v === 'number' ? v - 1 : isTensor(v) ? tensorBinary('sub', v, 1) : --v;

// The member helpers take their key through `writeKey` (indexing.ts): a tensor cannot be written
// into, and a JS array written at an eager tensor index is written at the tensor's value.
const memberKey = (o: any, k: any, where: string | undefined): any =>
  typeof k === 'string' || (typeof k === 'number' && Array.isArray(o)) ? k : writeKey(o, k, where);

/** `o[k] op= rhs()` for arithmetic `op`, with JS evaluation order: o[k] is read before rhs runs. */
export const assignMember = (
  o: any,
  k: PropertyKey,
  op: (a: any, b: any) => any,
  rhs: () => any,
  where?: string,
): any => {
  const key = memberKey(o, k, where);
  return (o[key] = op(o[key], rhs()));
};

/** `o[k] &&= rhs()`, `||=`, `??=`: assigns only when JS would. */
export const logicalAssignMember = (
  o: any,
  k: PropertyKey,
  kind: '&&' | '||' | '??',
  rhs: () => any,
  where?: string,
): any => {
  const key = memberKey(o, k, where);
  const current = o[key];
  const keep = kind === '&&' ? !truthy(current) : kind === '||' ? truthy(current) : current != null;
  return keep ? current : (o[key] = rhs());
};

/** `++o[k]`, `o[k]--`, ...: returns the new value (prefix) or the numeric old value (postfix). */
export const updateMember = (o: any, k: PropertyKey, delta: 1 | -1, prefix: boolean, where?: string): any => {
  const key = memberKey(o, k, where);
  const old = toNumeric(o[key]);
  const next = delta === 1 ? inc(old) : dec(old);
  o[key] = next;
  return prefix ? next : old;
};

/** Held by a `let`/`const` that conversion declared early, until its own declaration runs. */
export const UNINITIALIZED: unique symbol = Symbol('autograph-ts.uninitialized');

/** Reads a variable that may still be in its temporal dead zone. */
export const ld = <T>(value: T, name: string): T => {
  if ((value as unknown) === UNINITIALIZED)
    throw new ReferenceError(`Cannot access '${name}' before initialization`);
  return value;
};
