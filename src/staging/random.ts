/**
 * tfjs's random functions while a trace runs. Unseeded, `tf.randomUniform`, `tf.randomUniformInt`,
 * `tf.randomNormal`, `tf.randomStandardNormal`, `tf.truncatedNormal`, `tf.randomGamma` (float32 or
 * int32, a static shape or one with run-time sizes), `tf.multinomial` and `tf.dropout` record random
 * nodes (ir/ops/random.ts): fresh values every time the graph runs, as every eager call gives. A
 * seeded call gives the same values on every eager call: it runs as tfjs runs it (a constant of the
 * graph, or for tf.multinomial on traced logits, the seeded kernel). What tfjs treats as unseeded is
 * unseeded here too: a seed of 0 draws a random seed in every tfjs generator but the uniform's.
 * Anything else random is refused where it draws (trace-function.ts).
 */
import { StagingError } from '../errors.ts';
import type { DType } from '../ir/types.ts';
import { isTensor, tf } from '../runtime/tensors.ts';
import { dynamicShape, shapeOf } from './dynamic-dims.ts';
import { activeRecorder, recordOp } from './recording-backend.ts';
import { userLocation } from './trace.ts';

type Handler = (self: unknown, args: unknown[]) => unknown;
type Sampler = 'RandomUniform' | 'RandomNormal' | 'TruncatedNormal' | 'RandomGamma';

const refuse = (what: string) => new StagingError(`${userLocation(activeRecorder()?.trace)}${what}`);

/**
 * A sampling node of `shape` (sizes, some of them run-time int32 scalars in converted code) and
 * `dtype` (null or undefined: float32), with its distribution's numeric `params`.
 */
function sample(op: Sampler, fn: string, shape: unknown, dtype: unknown, params: Record<string, unknown>) {
  const type = (dtype ?? 'float32') as DType;
  if (type !== 'float32' && type !== 'int32')
    throw refuse(`${fn} of dtype ${String(dtype)} is not staged: staged random ops draw float32 or int32`);
  for (const [name, value] of Object.entries(params))
    if (typeof value !== 'number')
      throw refuse(
        `${fn} with a ${isTensor(value) ? 'tensor' : typeof value} ${name} is not staged: it takes a number`,
      );
  const dynamic = dynamicShape(shape);
  if (dynamic) return recordOp(op, [dynamic.vector], { ...params, shape: dynamic.dims, dtype: type });
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0))
    throw refuse(`${fn} takes a shape of sizes, got ${String(shape)}`);
  return recordOp(op, [], { ...params, shape: [...shape], dtype: type });
}

/** The staged forms of tfjs's random functions, by the function converted code calls. */
export function randomFunctions(): [unknown, Handler][] {
  const t = tf() as any;
  // tfjs's uniform generator takes any seed but null/undefined; the others treat a falsy seed as none
  const given = (seed: unknown) => seed != null;
  const truthy = (seed: unknown) => !!seed;
  return [
    [
      t.randomUniform,
      (_, [shape, minval = 0, maxval = 1, dtype = 'float32', seed]) =>
        given(seed)
          ? t.randomUniform(shape, minval, maxval, dtype, seed)
          : sample('RandomUniform', 'tf.randomUniform', shape, dtype, { minval, maxval }),
    ],
    [
      t.randomUniformInt,
      (_, [shape, minval, maxval, seed]) =>
        given(seed)
          ? t.randomUniformInt(shape, minval, maxval, seed)
          : sample('RandomUniform', 'tf.randomUniformInt', shape, 'int32', { minval, maxval }),
    ],
    [
      t.randomNormal,
      (_, [shape, mean = 0, stdDev = 1, dtype, seed]) =>
        truthy(seed)
          ? t.randomNormal(shape, mean, stdDev, dtype, seed)
          : sample('RandomNormal', 'tf.randomNormal', shape, dtype, { mean, stdDev }),
    ],
    [
      t.randomStandardNormal,
      (_, [shape, dtype, seed]) =>
        truthy(seed)
          ? t.randomStandardNormal(shape, dtype, seed)
          : sample('RandomNormal', 'tf.randomStandardNormal', shape, dtype, { mean: 0, stdDev: 1 }),
    ],
    [
      t.truncatedNormal,
      (_, [shape, mean = 0, stdDev = 1, dtype, seed]) =>
        truthy(seed)
          ? t.truncatedNormal(shape, mean, stdDev, dtype, seed)
          : sample('TruncatedNormal', 'tf.truncatedNormal', shape, dtype, { mean, stdDev }),
    ],
    [
      t.randomGamma,
      (_, [shape, alpha, beta, dtype, seed]) =>
        truthy(seed)
          ? t.randomGamma(shape, alpha, beta, dtype, seed)
          : sample('RandomGamma', 'tf.randomGamma', shape, dtype, { alpha, beta: beta ?? 1 }),
    ],
    [
      t.multinomial,
      (_, [logits, numSamples, seed, normalized = false]) =>
        truthy(seed)
          ? t.multinomial(logits, numSamples, seed, normalized)
          : multinomial(logits, numSamples, !!normalized),
    ],
    [t.dropout, (_, [x, rate, noiseShape, seed]) => dropout(x, rate, noiseShape, seed)],
  ];
}

/** An unseeded `tf.multinomial`: a `Multinomial` node on the logits as a matrix, as tfjs's kernel takes them. */
function multinomial(logits: unknown, numSamples: unknown, normalized: boolean): unknown {
  const t = tf() as any;
  const x = isTensor(logits) ? logits : t.tensor(logits);
  if (x.dtype !== 'float32')
    throw refuse(
      `tf.multinomial of ${x.dtype} logits is not staged: the logits (or probabilities) are float32`,
    );
  if (x.rank !== 1 && x.rank !== 2)
    throw refuse(`tf.multinomial takes logits of rank 1 or 2, got rank ${x.rank}`);
  if (!Number.isInteger(numSamples) || (numSamples as number) < 0)
    throw refuse(
      `tf.multinomial takes a number of samples, got ${isTensor(numSamples) ? 'a tensor (a run-time number is not staged)' : String(numSamples)}`,
    );
  const out = recordOp('Multinomial', [x.rank === 1 ? t.reshape(x, [1, -1]) : x], { numSamples, normalized });
  return x.rank === 1 ? t.reshape(out, [numSamples]) : out;
}

/**
 * `tf.dropout` as tfjs computes it (x · ⌊u + keep⌋ / keep, u uniform in [0, 1) of the noise shape:
 * x's shape where the noise shape gives none), with the uniform noise staged; x's run-time dims stay
 * run-time sizes of the noise.
 */
function dropout(x: unknown, rate: unknown, noiseShape: unknown, seed: unknown): unknown {
  const t = tf() as any;
  if (seed != null || typeof rate !== 'number' || rate === 0 || !isTensor(x) || x.dtype !== 'float32')
    return t.dropout(x, rate, noiseShape, seed);
  const dims = shapeOf(x);
  const shape =
    Array.isArray(noiseShape) && noiseShape.length === dims.length
      ? noiseShape.map((d, i) => d ?? dims[i])
      : (noiseShape ?? dims);
  const keep = 1 - rate;
  const u = sample('RandomUniform', 'tf.dropout', shape, 'float32', { minval: 0, maxval: 1 });
  return t.mul(x, t.div(t.floor(t.add(u, keep)), keep));
}
