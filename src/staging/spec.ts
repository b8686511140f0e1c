/**
 * Input signatures: `ag.spec(shape, dtype)` describes the tensors a staged function accepts, with
 * dynamic dimensions (`null`, or a name shared between inputs), like tf.function's `TensorSpec` and
 * torch.onnx's `dynamic_axes`. A trace for a spec serves every matching input.
 */
import { StagingError } from '../errors.ts';
import type { DType } from '../ir/types.ts';
import type { TensorLike } from '../runtime/tensors.ts';

/** A dimension of a spec: a size, `null` (dynamic) or a name (dynamic, equal wherever the name is). */
export type SpecDim = number | null | string;

const DTYPES: readonly DType[] = ['float32', 'int32', 'bool'];

export class TensorSpec {
  readonly shape: readonly SpecDim[];
  constructor(
    shape: readonly SpecDim[],
    readonly dtype: DType = 'float32',
  ) {
    if (!Array.isArray(shape))
      throw new TypeError(`ag.spec: the shape must be an array of dimensions, got ${String(shape)}`);
    for (const d of shape) {
      const ok =
        d === null || (typeof d === 'string' && d !== '') || (Number.isInteger(d) && (d as number) >= 0);
      if (!ok)
        throw new TypeError(
          `ag.spec: a dimension must be a non-negative integer, null (dynamic) or a name, got ${JSON.stringify(d)}`,
        );
    }
    if (!DTYPES.includes(dtype))
      throw new TypeError(`ag.spec: dtype must be one of ${DTYPES.join(', ')}, got ${dtype}`);
    this.shape = [...shape];
  }

  /** `float32[?,8]`, `int32[batch,4]`. */
  toString(): string {
    return `${this.dtype}[${this.shape.map((d) => d ?? '?').join(',')}]`;
  }

  /** The IR shape: names and null are both unknown dimensions. */
  get irShape(): (number | null)[] {
    return this.shape.map((d) => (typeof d === 'number' ? d : null));
  }

  /** Per axis, the dimension's name (null for sizes and unnamed dynamic dimensions). */
  get names(): (string | null)[] {
    return this.shape.map((d) => (typeof d === 'string' ? d : null));
  }
}

/** A tensor signature: `ag.spec([null, 8])` is a float32 matrix with 8 columns and any number of rows. */
export function spec(shape: readonly SpecDim[], dtype: DType = 'float32'): TensorSpec {
  return new TensorSpec(shape, dtype);
}

export const isSpec = (x: unknown): x is TensorSpec => x instanceof TensorSpec;

/**
 * Why `tensor` does not match `s` (argument `where`), or null when it does. `named` collects the sizes
 * of named dimensions seen so far in the call, so every input with the same name must agree.
 */
export function mismatch(
  s: TensorSpec,
  tensor: TensorLike,
  where: string,
  named: Map<string, number>,
): string | null {
  const got = `${tensor.dtype}[${tensor.shape.join(',')}]`;
  if (tensor.dtype !== s.dtype || tensor.shape.length !== s.shape.length)
    return `${where} is ${got}, which does not match the input signature ${s}`;
  for (const [axis, d] of s.shape.entries()) {
    const size = tensor.shape[axis]!;
    if (typeof d === 'number' && d !== size)
      return `${where} is ${got}: dimension ${axis} must be ${d} (input signature ${s})`;
    if (typeof d === 'string') {
      const seen = named.get(d);
      if (seen !== undefined && seen !== size)
        return `${where} is ${got}: dimension ${axis} ('${d}') is ${size}, but '${d}' is ${seen} in an earlier input`;
      named.set(d, size);
    }
  }
  return null;
}

/** A call's argument that does not fit the signature. */
export class SignatureError extends StagingError {
  override name = 'SignatureError';
}
