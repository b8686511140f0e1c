import { platform } from '#platform';
import { AutoGraphError } from '../errors.ts';

/**
 * tfjs is an optional peer: the runtime only touches it once a tensor shows up, and detects tensors
 * structurally so that `@tensorflow/tfjs` and `@tensorflow/tfjs-core` (even two copies) both work.
 */
export interface TensorLike {
  readonly dataId: object;
  readonly shape: number[];
  readonly dtype: string;
  readonly size: number;
  readonly rank: number;
  dataSync(): ArrayLike<number | string>;
  toString(verbose?: boolean): string;
}

export type Tf = typeof import('@tensorflow/tfjs-core');

let tfModule: Tf | undefined;

/**
 * tfjs-core when the program has loaded it already (in Node the package does not load it for code
 * without tensors; in a browser bundle it is imported with the package).
 */
export function tfIfLoaded(): Tf | undefined {
  return tfModule ?? platform.tfIfLoaded();
}

/** The tfjs-core module the user's tensors come from (loaded on first use). */
export function tf(): Tf {
  if (tfModule === undefined) {
    try {
      tfModule = platform.tf();
    } catch (e) {
      throw new AutoGraphError(
        `a tensor reached autograph-ts but '@tensorflow/tfjs-core' cannot be loaded: ${(e as Error).message}`,
      );
    }
  }
  return tfModule;
}

/**
 * Whether `x` is a tfjs tensor (its constructor sets these own fields). Looking must have no effect
 * the original code would not have (converted code checks every object operand): no Proxy is taken
 * for a tensor, and only own properties are read, since `in` would also run the `has` trap of a
 * Proxy anywhere on the prototype chain (`Object.create(proxy)`).
 */
export function isTensor(x: unknown): x is TensorLike {
  return (
    typeof x === 'object' &&
    x !== null &&
    !platform.isProxy(x) &&
    Object.hasOwn(x, 'dataId') &&
    Object.hasOwn(x, 'dtype') &&
    Object.hasOwn(x, 'shape')
  );
}

/** Raised when an eager tensor is used where JS needs one value (a condition) but holds several. */
export class TensorConditionError extends AutoGraphError {
  override name = 'TensorConditionError';
}

/** Reads an eager tensor used as a condition: it must hold exactly one element. */
export function tensorTruthy(t: TensorLike, where: string | undefined): boolean {
  if (t.size !== 1) {
    throw new TensorConditionError(
      `${where ? `${where}: ` : ''}a tensor of shape [${t.shape.join(',')}] was used as a condition; ` +
        'a condition must hold a single value (reduce it first, e.g. with tf.any, tf.all or tf.sum)',
    );
  }
  const v = t.dataSync()[0];
  return typeof v === 'string' ? v !== '' : v !== 0 && !Number.isNaN(v);
}
