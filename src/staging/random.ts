/**
 * tfjs's random functions while a trace runs: an unseeded `tf.randomUniform`/`tf.randomNormal`
 * (float32, static shape) and `tf.dropout` record random nodes (ir/ops/random.ts), fresh values every
 * time the graph runs, as every eager call gives. A seeded call gives the same values on every eager
 * call: it stays a constant of the graph. Anything else random is refused where it draws
 * (trace-function.ts: a random number drawn while tracing is an error).
 */
import { StagingError } from '../errors.ts';
import { isTensor, tf } from '../runtime/tensors.ts';
import { activeRecorder, recordOp } from './recording-backend.ts';
import { userLocation } from './trace.ts';

type Handler = (self: unknown, args: unknown[]) => unknown;

const refuse = (what: string) =>
  new StagingError(`${userLocation(activeRecorder()?.trace)}${what} is not staged yet`);

/** The shape of a random op: static dims only. */
function staticShape(shape: unknown, fn: string): number[] {
  if (!Array.isArray(shape) || !shape.every((d) => typeof d === 'number'))
    throw refuse(`${fn} with a run-time shape`);
  return shape as number[];
}

function randomOp(
  op: 'RandomUniform' | 'RandomNormal',
  fn: string,
  shape: unknown,
  dtype: unknown,
  params: object,
) {
  if (dtype !== 'float32') throw refuse(`${fn} of dtype ${String(dtype)}`);
  return recordOp(op, [], { shape: staticShape(shape, fn), ...params });
}

/** The staged forms of tfjs's random functions, by the function converted code calls. */
export function randomFunctions(): [unknown, Handler][] {
  const t = tf() as any;
  return [
    [
      t.randomUniform,
      (_, [shape, minval = 0, maxval = 1, dtype = 'float32', seed]) =>
        seed !== undefined || isTensor(minval) || isTensor(maxval)
          ? t.randomUniform(shape, minval, maxval, dtype, seed)
          : randomOp('RandomUniform', 'tf.randomUniform', shape, dtype, { minval, maxval }),
    ],
    [
      t.randomNormal,
      (_, [shape, mean = 0, stdDev = 1, dtype = 'float32', seed]) =>
        seed !== undefined
          ? t.randomNormal(shape, mean, stdDev, dtype, seed)
          : randomOp('RandomNormal', 'tf.randomNormal', shape, dtype, { mean, stdDev }),
    ],
    [t.dropout, (_, [x, rate, noiseShape, seed]) => dropout(x, rate as number, noiseShape, seed)],
  ];
}

/**
 * `tf.dropout` as tfjs computes it (x · ⌊u + keep⌋ / keep, u uniform in [0, 1)), with the uniform
 * noise staged.
 */
function dropout(x: unknown, rate: number, noiseShape: unknown, seed: unknown): unknown {
  const t = tf() as any;
  if (seed !== undefined || typeof rate !== 'number' || rate === 0)
    return t.dropout(x, rate, noiseShape, seed);
  const shape = (noiseShape as number[] | undefined) ?? (x as { shape: number[] }).shape;
  const keep = 1 - rate;
  const u = randomOp('RandomUniform', 'tf.dropout', shape, 'float32', { minval: 0, maxval: 1 });
  return t.mul(x, t.div(t.floor(t.add(u, keep)), keep));
}
