/**
 * Random ops: `RandomUniform` and `RandomNormal` (tfjs's `randomUniform`/`randomNormal` without a
 * seed, recorded by staging/random.ts), float32 of a static `shape`. They have effects: never folded,
 * merged or speculated, so every run draws fresh values. ONNX Runtime's generators are per session
 * and, unseeded, start every session on the same sequence: each lowering draws its own seed.
 */
import { tensorType } from '../types.ts';
import { fail } from './attrs.ts';
import type { Attrs } from '../graph.ts';
import { noGradient, registerOp, type Tensor, type Tf } from './registry.ts';

const staticShape = (op: string, shape: unknown): number[] => {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0))
    fail(op, `the shape must be static, got ${JSON.stringify(shape)}`);
  return shape as number[];
};

/** A fresh seed per lowering (per ONNX Runtime session). */
const sessionSeed = () => ({ float: Math.floor(Math.random() * 2 ** 24) });

/**
 * A random op: float32 of its static `shape`, drawn eagerly by `draw`, lowered to the ONNX op of the
 * same name with `params` (its distribution's attributes) and a seed per session.
 */
function registerRandom(
  name: 'RandomUniform' | 'RandomNormal',
  draw: (tf: Tf, shape: number[], attrs: Attrs) => Tensor,
  params: (attrs: Attrs) => Record<string, { float: number }>,
): void {
  registerOp({
    name,
    inputNames: [],
    pure: false,
    infer: (_inputs, attrs) => [tensorType('float32', staticShape(name, attrs.shape))],
    eager: (tf, _inputs, attrs) => [draw(tf, attrs.shape as number[], attrs)],
    gradient: noGradient,
    onnx: (c) =>
      c.emit(name, [], c.outputs, {
        shape: c.attrs.shape as number[],
        dtype: 1, // float32
        seed: sessionSeed(),
        ...params(c.attrs),
      }),
  });
}

registerRandom(
  'RandomUniform',
  (tf, shape, { minval, maxval }) => tf.randomUniform(shape, minval as number, maxval as number, 'float32'),
  ({ minval, maxval }) => ({ low: { float: minval as number }, high: { float: maxval as number } }),
);
registerRandom(
  'RandomNormal',
  (tf, shape, { mean, stdDev }) => tf.randomNormal(shape, mean as number, stdDev as number, 'float32'),
  ({ mean, stdDev }) => ({ mean: { float: mean as number }, scale: { float: stdDev as number } }),
);
