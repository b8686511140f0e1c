/**
 * Indexing in converted code (see converters/indexing.ts): `o[k]` → `index`, `o.length` → `len`,
 * `o[k] = v` → `setIndex`, and the key check of the compound member helpers (`writeKey`).
 *
 * Meaning, by the kinds of the object and the key:
 * - a tensor `t` and a JS number or scalar tensor `i`: `t[i]` is row `i` (a tensor of shape
 *   `t.shape.slice(1)`, so the rows of a vector are scalar tensors), as `for…of` iterates it;
 *   `t.length` is `t.shape[0]`. An index must be an integer in [0, t.shape[0]); negative indices do
 *   not count from the end (they do not on JS arrays either). String and symbol keys (`t['shape']`)
 *   keep their JS meaning.
 * - a JS value indexed by a scalar tensor (`vocab[t]`): the tensor's value is read (eager); staged,
 *   an array of tensors (one shape and dtype), of numbers or booleans (also nested: an embedding
 *   table), or a typed array becomes one tensor read with Gather (a list read).
 * - anything else: exactly the JS operation, done here once, so getters and proxy traps run as often
 *   as in the original, and JS's own TypeErrors come out unchanged.
 *
 * Tensors are detected structurally (`isTensor`), which a Proxy's `has` trap would observe: proxies
 * are never taken for tensors and are only checked for on the slow paths (`platform.isProxy`: Node can
 * tell a proxy; a browser cannot, so there a proxy is tested like any object).
 */
import { platform } from '#platform';
import { AutoGraphError, StagingError } from '../errors.ts';
import { dimOf, shapeOf as stagedShape } from '../staging/dynamic-dims.ts';
import { isStagedList, listItem } from '../staging/lists.ts';
import { isSymbolic } from '../staging/recording-backend.ts';
import { isTensor, type TensorLike, tf } from './tensors.ts';

/** An index that is not a row of the tensor it indexes, or a tensor that has no rows (a scalar). */
export class TensorIndexError extends AutoGraphError {
  override name = 'TensorIndexError';
}

/** `t[i] = v`, `t[i] += v`, `t[i]++` on a tensor: tensors are immutable. */
export class TensorAssignmentError extends AutoGraphError {
  override name = 'TensorAssignmentError';
}

const at = (where: string | undefined) => (where ? `${where}: ` : '');
const shapeText = (t: TensorLike) => `[${t.shape.join(',')}]`;

/** A tensor (never a proxy, whose traps structural detection would run). */
const isTensorObject = (x: unknown): x is TensorLike =>
  typeof x === 'object' && x !== null && !platform.isProxy(x) && isTensor(x);

/** Errors found while tracing are staging errors; the same problem on eager tensors is a TensorIndexError. */
const indexError = (t: unknown, message: string) =>
  isSymbolic(t) ? new StagingError(message) : new TensorIndexError(message);

// The fast paths are one expression each, so that V8 inlines them where hot JS loops index arrays:
// a number key into an array or typed array is never a tensor operation.

/** An array or typed array (a plain boolean, so that TypeScript does not narrow `any` operands). */
const isArrayLike = (o: unknown): boolean => Array.isArray(o) || ArrayBuffer.isView(o);

/** `o[k]`. */
export const index = (o: any, k: any, where?: string): any =>
  typeof k === 'number' && isArrayLike(o) ? o[k] : indexSlow(o, k, where);

function indexSlow(o: any, k: any, where: string | undefined): any {
  if (isStagedList(o))
    return listItem(o, stagedIndex(isTensorObject(k) ? k : listKey(o, k, where), o.length, where));
  if (typeof k === 'number') return isTensorObject(o) ? row(o, k, where) : o[k];
  if (o != null && isTensorObject(k)) return isTensorObject(o) ? row(o, k, where) : listRead(o, k, where);
  return o[k];
}

/**
 * The rest of the eager form's inline `o[k]` (see converters/indexing.ts): `k` is an object (nothing
 * was read yet), or the native read `o[k]` gave `undefined`, which is the answer unless `o` is a
 * tensor read at a number key (tensors have no such properties).
 */
export function indexRest(o: any, k: any, where?: string): any {
  if (typeof k !== 'object') return typeof k === 'number' && isTensorObject(o) ? row(o, k, where) : undefined;
  return indexSlow(o, k, where);
}

/** The rest of the eager form's inline `o.length`: the native read gave `undefined`. */
export const lenRest = (o: any, where?: string): any =>
  isTensorObject(o) ? tensorLength(o, where) : undefined;

/** `o.length`. */
export const len = (o: any, where?: string): any =>
  typeof o === 'string' || Array.isArray(o)
    ? o.length
    : isTensorObject(o)
      ? tensorLength(o, where)
      : o.length;

/**
 * The length of a tensor: its first dimension; while tracing, a dynamic first dimension is a
 * symbolic int32 scalar (its run-time size).
 */
export function tensorLength(t: TensorLike, where?: string): number | TensorLike {
  if (t.rank === 0)
    throw indexError(
      t,
      `${at(where)}a scalar tensor has no length (only tensors of rank 1 or more have rows)`,
    );
  return dimOf(t, 0);
}

/** `o.shape` in graph-form code: a dynamic dim of a symbolic tensor is a symbolic int32 scalar. */
export const shapeOf = (o: any): any => (isSymbolic(o) ? stagedShape(o) : o.shape);

/** `o[k] = v`. */
export const setIndex = (o: any, k: any, v: any, where?: string): any =>
  typeof k === 'number' && isArrayLike(o) ? (o[k] = v) : (o[writeKey(o, k, where) as PropertyKey] = v);

/**
 * The key under which `o[k] = …` (or `o[k] += …`, `o[k]++`) writes: `k` itself, the value of an
 * eager scalar tensor `k` when `o` is a JS object, and an error when `o` is a tensor (a number or
 * tensor key) or `k` a symbolic tensor (a JS object cannot be written at a staged position).
 */
export function writeKey(o: unknown, k: unknown, where?: string): unknown {
  if (typeof k === 'string' || typeof k === 'symbol' || o == null) return k;
  const tensorKey = isTensorObject(k);
  if ((typeof k === 'number' || tensorKey) && isTensorObject(o)) {
    throw new TensorAssignmentError(
      `${at(where)}cannot assign to a row of a tensor of shape ${shapeText(o)}: tensors are immutable ` +
        '(build a new tensor instead, e.g. with tf.where, tf.concat, or tf.stack of a JS array of rows)',
    );
  }
  if (!tensorKey) return k;
  if (isSymbolic(k))
    throw new StagingError(
      `${at(where)}a JS value cannot be written at a symbolic index; collect the values in a tensor (tf.where, tf.stack) instead`,
    );
  return scalarValue(k, where);
}

/** Row `i` of tensor `t` (eager or symbolic). */
function row(t: TensorLike, i: number | TensorLike, where: string | undefined): any {
  if (t.rank === 0) throw indexError(t, `${at(where)}a scalar tensor cannot be indexed (it has no rows)`);
  const n = tensorLength(t, where);
  if (typeof i !== 'number') {
    if (isSymbolic(i)) return tf().gather(t as any, stagedIndex(i, n, where));
    i = scalarValue(i, where);
  }
  // a dynamic number of rows: the index is checked when the graph runs
  if (typeof n !== 'number') return tf().gather(t as any, stagedIndex(tf().scalar(i), n, where));
  if (!Number.isInteger(i) || i < 0 || i >= n) {
    const why = Number.isInteger(i)
      ? `out of range for a tensor of shape ${shapeText(t)} (rows 0 to ${n - 1}${i < 0 ? '; negative indices do not count from the end' : ''})`
      : `not an integer (indexing a tensor of shape ${shapeText(t)})`;
    throw indexError(t, `${at(where)}index ${i} is ${why}`);
  }
  return tf().gather(t as any, i);
}

/** A JS index into a staged list: checked here when the list's length is static. */
function listKey(list: { length: unknown }, k: unknown, where: string | undefined): TensorLike {
  const n = list.length;
  if (typeof k !== 'number')
    throw new StagingError(`${at(where)}a list is indexed by numbers or int32 scalars, got ${typeof k}`);
  if (!Number.isInteger(k) || k < 0 || (typeof n === 'number' && k >= n))
    throw new StagingError(
      `${at(where)}index ${k} is out of range for a list of ${typeof n === 'number' ? n : 'a run-time number of'} elements`,
    );
  return tf().scalar(k, 'int32') as unknown as TensorLike;
}

/** The value of an eager tensor used as an index: it must be a single number. */
function scalarValue(k: TensorLike, where: string | undefined): number {
  if (k.rank !== 0 || (k.dtype !== 'int32' && k.dtype !== 'float32')) {
    throw new TensorIndexError(
      `${at(where)}a tensor used as an index must be an int32 or float32 scalar, got ${k.dtype} of shape ${shapeText(k)}`,
    );
  }
  return k.dataSync()[0] as number;
}

/**
 * A symbolic index into `n` rows, as an int32 scalar for Gather. ONNX Runtime's Gather counts
 * negative indices from the end while tfjs rejects them, and a float32 index (a JS counter carried
 * by a staged loop) would be truncated: every index that is not an integer in [0, n) is mapped to
 * `n`, which both executors reject at run time, as the eager form rejects it.
 */
function stagedIndex(i: TensorLike, n: number | TensorLike, where: string | undefined): any {
  const t = tf();
  if (i.rank !== 0 || (i.dtype !== 'int32' && i.dtype !== 'float32')) {
    throw new StagingError(
      `${at(where)}a tensor used as an index must be an int32 or float32 scalar, got ${i.dtype} of shape ${shapeText(i)}`,
    );
  }
  const outside = typeof n === 'number' ? t.scalar(n, 'int32') : n;
  if (i.dtype === 'int32') return t.where(t.less(i as any, t.scalar(0, 'int32')), outside, i as any);
  const integral = t.logicalAnd(t.greaterEqual(i as any, 0), t.equal(t.floor(i as any), i as any));
  return t.where(integral, t.cast(i as any, 'int32'), outside);
}

/** `o[k]` for a JS value `o` and a scalar tensor `k`: a read of its value, or a staged list read. */
function listRead(o: any, k: TensorLike, where: string | undefined): any {
  if (!isSymbolic(k)) return o[scalarValue(k, where)];
  const table = listTensor(o, where);
  return tf().gather(table, stagedIndex(k, table.shape[0]!, where));
}

/** A JS array (or typed array) read at a symbolic index, as one tensor whose rows are its elements. */
function listTensor(o: unknown, where: string | undefined): any {
  const t = tf();
  const fail = (what: string) =>
    new StagingError(
      `${at(where)}${what} cannot be read at a symbolic index: a staged list read needs a JS array of tensors ` +
        '(one shape and dtype), of numbers or of booleans',
    );
  if (
    ArrayBuffer.isView(o) &&
    !(o instanceof DataView) &&
    !(o instanceof BigInt64Array) &&
    !(o instanceof BigUint64Array)
  )
    return t.tensor1d(o as any);
  if (!Array.isArray(o)) {
    const what = typeof o === 'object' ? `an object (${Object.prototype.toString.call(o)})` : `a ${typeof o}`;
    throw fail(what); // `o` is not null: listRead leaves null and undefined to JS
  }
  if (o.length === 0) throw fail('an empty array');
  // an indexed loop, not every/some, which skip holes
  const kinds = new Set<string>();
  for (let j = 0; j < o.length; j++) kinds.add(isTensor(o[j]) ? 'tensor' : typeof o[j]);
  const kind = kinds.size === 1 ? [...kinds][0] : undefined;
  if (kind === 'number') return t.tensor1d(o as number[], 'float32');
  if (kind === 'boolean') return t.tensor1d(o as boolean[], 'bool');
  if (kind === 'object' && o.every((x) => Array.isArray(x))) return nestedTable(o, fail);
  if (kind !== 'tensor') throw fail(`an array of ${[...kinds].join(' and ')} values`);
  const first = o[0] as TensorLike;
  const other = (o as TensorLike[]).find(
    (x) =>
      x.dtype !== first.dtype ||
      x.shape.length !== first.shape.length ||
      x.shape.some((d, j) => d !== first.shape[j]),
  );
  if (other)
    throw fail(
      `an array of tensors of different types (${first.dtype}${shapeText(first)} and ${other.dtype}${shapeText(other)})`,
    );
  return t.stack(o as any[]);
}

/**
 * A nested JS array of numbers (or of booleans) as one constant. Its shape is checked here: tfjs's
 * `tf.tensor` takes a ragged array's shape from its first elements without checking the others.
 */
function nestedTable(o: unknown[], fail: (what: string) => StagingError): any {
  const shape: number[] = [];
  for (let x: unknown = o; Array.isArray(x); x = x[0]) shape.push(x.length);
  const leaves: unknown[] = [];
  const rectangular = (x: unknown, depth: number): boolean => {
    if (depth === shape.length) {
      leaves.push(x);
      return !Array.isArray(x);
    }
    if (!Array.isArray(x) || x.length !== shape[depth]) return false;
    for (let j = 0; j < x.length; j++) if (!rectangular(x[j], depth + 1)) return false;
    return true;
  };
  if (!rectangular(o, 0)) throw fail('a ragged nested array');
  const kinds = new Set(leaves.map((x) => typeof x));
  const kind = kinds.size === 1 ? [...kinds][0] : undefined;
  if (kind !== 'number' && kind !== 'boolean')
    throw fail(`a nested array of ${[...kinds].join(' and ')} values`);
  return tf().tensor(leaves as number[] | boolean[], shape, kind === 'number' ? 'float32' : 'bool');
}
