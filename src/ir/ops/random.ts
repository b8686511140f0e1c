/**
 * Random ops: `RandomUniform` and `RandomNormal` (tfjs's `randomUniform`/`randomNormal` without a
 * seed, recorded by staging/random.ts), float32 of a static `shape`. They have effects: never folded,
 * merged or speculated, so every run draws fresh values. ONNX Runtime's generators are per session
 * and, unseeded, start every session on the same sequence: each lowering draws its own seed.
 */
import { tensorType } from '../types.ts';
import { fail } from './attrs.ts';
import { noGradient, type OnnxLowering, registerOp } from './registry.ts';

const staticShape = (op: string, shape: unknown): number[] => {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0))
    fail(op, `the shape must be static, got ${JSON.stringify(shape)}`);
  return shape as number[];
};

/** A fresh seed per lowering (per ONNX Runtime session). */
const sessionSeed = () => ({ float: Math.floor(Math.random() * 2 ** 24) });

const lowerRandom =
  (opType: string, params: (c: OnnxLowering) => Record<string, unknown>) => (c: OnnxLowering) =>
    c.emit(opType, [], c.outputs, {
      shape: c.attrs.shape as number[],
      dtype: 1, // float32
      seed: sessionSeed(),
      ...params(c),
    });

registerOp({
  name: 'RandomUniform',
  inputNames: [],
  pure: false,
  infer: (_inputs, attrs) => [tensorType('float32', staticShape('RandomUniform', attrs.shape))],
  eager: (tf, _inputs, attrs) => [
    tf.randomUniform(attrs.shape as number[], attrs.minval as number, attrs.maxval as number, 'float32'),
  ],
  gradient: noGradient,
  onnx: lowerRandom('RandomUniform', (c) => ({
    low: { float: c.attrs.minval as number },
    high: { float: c.attrs.maxval as number },
  })),
});

registerOp({
  name: 'RandomNormal',
  inputNames: [],
  pure: false,
  infer: (_inputs, attrs) => [tensorType('float32', staticShape('RandomNormal', attrs.shape))],
  eager: (tf, _inputs, attrs) => [
    tf.randomNormal(attrs.shape as number[], attrs.mean as number, attrs.stdDev as number, 'float32'),
  ],
  gradient: noGradient,
  onnx: lowerRandom('RandomNormal', (c) => ({
    mean: { float: c.attrs.mean as number },
    scale: { float: c.attrs.stdDev as number },
  })),
});
