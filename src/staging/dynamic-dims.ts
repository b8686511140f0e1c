/**
 * Dynamic dimensions while tracing. tfjs computes with shapes in JS (its ops check and derive shapes
 * before calling a kernel), so a symbolic tensor must show tfjs a number for an unknown dim: every
 * unknown dim shows one WITNESS, so tfjs's equality checks between unknown dims pass (as TensorFlow
 * treats `None` as compatible), and the recording backend turns a WITNESS that comes back in a
 * kernel's attributes (a reshape target tfjs derived) into `null` again. A number tfjs or the user
 * derived from it by arithmetic cannot be traced back to a dim: it is refused, never taken as a size.
 *
 * Converted code reads dims through `shapeOf`/`dimOf`, which give a symbolic int32 scalar (a `Shape`
 * node) for an unknown dim, and calls tfjs's shape-taking functions through `stagedLibraryCall`, which
 * records `DynamicFill`/`DynamicReshape` when a shape holds such scalars.
 */
import { StagingError } from '../errors.ts';
import type { Dim } from '../ir/types.ts';
import { isTensor, type TensorLike, tf } from '../runtime/tensors.ts';
import { listTakingFunctions } from './lists.ts';
import { randomFunctions } from './random.ts';
import { userLocation } from './trace.ts';
import { isWeakInt } from './weak.ts';
import { activeRecorder, isSymbolic, type Recorder, recordOp } from './recording-backend.ts';

/** What tfjs sees for an unknown dim: odd, and far above any real dim. */
const WITNESS = 2 ** 30 + 7;
/** Dims at least this large were derived from a WITNESS (no real tensor has a dim of 2^28). */
const DERIVED = 2 ** 28;

/** The shape tfjs sees for an IR shape. */
export const tfjsShape = (shape: readonly Dim[]): number[] => shape.map((d) => d ?? WITNESS);

/** Whether a tfjs-side number stands for (or was computed from) an unknown dim. */
const fromWitness = (n: unknown): boolean => typeof n === 'number' && n >= DERIVED && Number.isInteger(n);

const derivedError = (n: number, where: string) =>
  new StagingError(
    `${where}${n === WITNESS ? 'a dynamic dimension was read as a JS number' : 'a size was computed in JS from a dynamic dimension'} ` +
      '(outside converted code, or by a library); in converted code x.shape[i] and x.length of a dynamic dimension are int32 tensors that tf.zeros/ones/fill/reshape and tfjs ops take',
  );

/**
 * A kernel's attributes with each WITNESS (an unknown dim tfjs passed along, e.g. a reshape target
 * `[1, rows, cols]` built by tf.matMul) as null. Integer lists hold dims; any other number derived
 * from a WITNESS is refused.
 */
export function attrsWithUnknownDims(
  attrs: Record<string, unknown>,
  where: () => string,
): Record<string, unknown> {
  let changed: Record<string, unknown> | undefined;
  // tfjs's slice turns a size of -1 into `dim - begin` before the kernel: on an unknown dim, the rest
  const { begin, size } = attrs ?? {};
  if (Array.isArray(begin) && Array.isArray(size) && size.some(fromWitness)) {
    const rest = size.map((d, i) => (d === WITNESS - (begin[i] ?? 0) ? null : d));
    attrs = changed = { ...attrs, size: rest };
  }
  for (const [k, v] of Object.entries(attrs ?? {})) {
    let next: unknown = v;
    if (Array.isArray(v) && v.some(fromWitness)) {
      next = v.map((d) => {
        if (!fromWitness(d)) return d;
        if (d === WITNESS) return null;
        throw derivedError(d as number, where());
      });
    } else if (v === WITNESS) next = null;
    else if (fromWitness(v) && k !== 'value') throw derivedError(v as number, where());
    if (next !== v) (changed ??= { ...attrs })[k] = next;
  }
  return changed ?? attrs;
}

/** Refuses a concrete tensor whose shape came from a dynamic dim (tf.zeros([x.shape[0]]) outside converted code). */
export function checkConcreteShape(shape: readonly number[]): void {
  const bad = shape.find(fromWitness);
  if (bad !== undefined)
    throw new StagingError(
      `${userLocation(activeRecorder()?.trace)}a tensor of values was created with a dynamic dimension; tf.zeros/ones/fill and reshape take a dynamic size in converted code (the shape read there from x.shape is a tensor)`,
    );
}

function recorder(): Recorder {
  const r = activeRecorder();
  if (!r) throw new StagingError('dynamic dimensions are only read while ag.stage traces');
  return r;
}

/** The IR type's dim `axis` of symbolic `t`: a number, or null when unknown. */
function irDim(t: TensorLike, axis: number): Dim {
  return recorder().valueFor(t as any).type.shape[axis]!;
}

/** Dim `axis` of `t`: a JS number when known, else a symbolic int32 scalar computed at run time. */
export function dimOf(t: TensorLike, axis: number): number | TensorLike {
  if (!isSymbolic(t)) return t.shape[axis]!;
  const d = irDim(t, axis);
  return d ?? tf().gather(runtimeShape(t) as any, axis);
}

/** `t.shape` as converted code reads it: unknown dims are symbolic int32 scalars. */
export function shapeOf(t: TensorLike): (number | TensorLike)[] {
  if (!isSymbolic(t)) return t.shape;
  const shape = recorder().valueFor(t as any).type.shape;
  if (!shape.includes(null)) return t.shape;
  return shape.map((_, axis) => dimOf(t, axis));
}

/** A `Shape` node of `t`: its run-time shape as an int32 vector. */
const runtimeShape = (t: TensorLike): TensorLike => recordOp('Shape', [t]);

const isDynamicEntry = (d: unknown) => isTensor(d) || fromWitness(d);

/**
 * A shape argument that holds run-time sizes (symbolic scalars): the int32 shape vector and the
 * `dims` attribute (static sizes, null where run-time). undefined when the shape is all numbers.
 */
export function dynamicShape(shape: unknown): { vector: TensorLike; dims: Dim[] } | undefined {
  if (!Array.isArray(shape) || !shape.some(isDynamicEntry)) return undefined;
  const t = tf();
  const dims = shape.map((d) => {
    if (fromWitness(d)) throw derivedError(d as number, userLocation(activeRecorder()?.trace));
    return isTensor(d) ? null : (d as number);
  });
  const entries = shape.map((d) => {
    if (!isTensor(d)) return t.scalar(d as number, 'int32');
    if (d.rank !== 0)
      throw new StagingError(`a shape entry must be a scalar, got a tensor of shape [${d.shape}]`);
    return d.dtype === 'int32' ? d : t.cast(d as any, 'int32');
  });
  return { vector: t.stack(entries as any[]), dims };
}

type AnyFunction = (...args: any[]) => any;

/** tfjs's shape-taking functions, as they take a shape with run-time sizes while tracing. */
function shapeTakingFunctions(): Map<unknown, (self: unknown, args: unknown[]) => unknown> {
  const t = tf() as any;
  const fill = (value: number, dtype: string) => (shape: { vector: TensorLike; dims: Dim[] }) =>
    recordOp('DynamicFill', [shape.vector, t.scalar(value, dtype)], { dims: shape.dims });
  const reshape = (x: unknown, shape: unknown, plain: () => unknown) => {
    const dynamic = dynamicShape(shape);
    return dynamic ? recordOp('DynamicReshape', [x, dynamic.vector], { dims: dynamic.dims }) : plain();
  };
  return new Map<unknown, (self: unknown, args: unknown[]) => unknown>([
    [
      t.zeros,
      (_, [shape, dtype = 'float32']) =>
        withShape(shape, fill(0, dtype as string), () => t.zeros(shape, dtype)),
    ],
    [
      t.ones,
      (_, [shape, dtype = 'float32']) =>
        withShape(shape, fill(1, dtype as string), () => t.ones(shape, dtype)),
    ],
    [
      t.fill,
      (_, [shape, value, dtype]) =>
        withShape(
          shape,
          (s) => {
            const v = isTensor(value)
              ? value
              : t.scalar(
                  value as number,
                  (dtype as string) ?? (typeof value === 'string' ? 'string' : 'float32'),
                );
            return recordOp('DynamicFill', [s.vector, v], { dims: s.dims });
          },
          () => t.fill(shape, value, dtype),
        ),
    ],
    [t.range, (_, [start, stop, step = 1, dtype = 'float32']) => range(start, stop, step, dtype as string)],
    [t.reshape, (_, [x, shape]) => reshape(x, shape, () => t.reshape(x, shape))],
    [t.Tensor.prototype.reshape, (self, [shape]) => reshape(self, shape, () => (self as any).reshape(shape))],
  ]);
}

/** `tf.range` where a bound or the step is a run-time value: `DynamicRange` on int32 scalars. */
function range(start: unknown, stop: unknown, step: unknown, dtype: string): unknown {
  const t = tf() as any;
  const bounds = [start, stop, step];
  if (!bounds.some(isTensor)) return t.range(start, stop, step, dtype);
  const ints = bounds.map((b) => {
    if (typeof b === 'number' && Number.isInteger(b)) return t.scalar(b, 'int32');
    if (isTensor(b) && b.rank === 0 && (b.dtype === 'int32' || isWeakInt(b)))
      return b.dtype === 'int32' ? b : t.cast(b, 'int32');
    throw new StagingError(
      `${userLocation(activeRecorder()?.trace)}tf.range with a run-time bound takes integers (JS integers or int32 scalars), got ${isTensor(b) ? `a ${b.dtype} tensor` : String(b)}`,
    );
  });
  return recordOp('DynamicRange', ints, { dtype });
}

function withShape(
  shape: unknown,
  dynamic: (s: { vector: TensorLike; dims: Dim[] }) => unknown,
  otherwise: () => unknown,
): unknown {
  const s = dynamicShape(shape);
  return s ? dynamic(s) : otherwise();
}

let stagedCalls: Map<unknown, (self: unknown, args: unknown[]) => unknown> | undefined;

/**
 * What converted code calls for library function `f` while a trace runs: tfjs's shape-taking
 * functions accept shapes with run-time sizes, its list-taking ones staged lists (lists.ts), and
 * its random ones record random nodes (random.ts); every other function is itself.
 */
export function stagedLibraryCall(f: AnyFunction): AnyFunction {
  stagedCalls ??= new Map([...shapeTakingFunctions(), ...listTakingFunctions(), ...randomFunctions()]);
  const staged = stagedCalls.get(f);
  if (!staged) return f;
  return function (this: unknown, ...args: unknown[]) {
    return staged(this, args);
  };
}
