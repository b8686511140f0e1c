import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { execute } from '../src/backends/tfjs/executor.ts';
import { StagingError } from '../src/errors.ts';
import { printFunction } from '../src/ir/print.ts';
import { tensorType } from '../src/ir/types.ts';
import { traceFunction } from '../src/staging/trace-function.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const f32 = (...shape: number[]) => tensorType('float32', shape);

describe('tracing straight-line tfjs code with the recording backend', () => {
  it('records every op, captures a closure weight as a constant, and runs like eager tfjs', () => {
    const w = tf.tensor1d([0.5, -1, 2]);
    const ir = traceFunction(
      'model',
      (x, y) => {
        const h = tf.tanh(tf.add(tf.mul(x, w), y));
        return [tf.sigmoid(tf.sub(h, tf.scalar(0.25))), tf.greater(h, tf.scalar(0))];
      },
      [f32(3), f32(3)],
    );
    expect(tf.getBackend()).toBe('cpu');
    const text = printFunction(ir);
    for (const op of ['Multiply', 'Add', 'Tanh', 'Sub', 'Sigmoid', 'Greater'])
      expect(text).toContain(`= ${op}(`);
    expect(text).toContain('Const() {value: [0.5, -1, 2]}');
    for (const [a, b] of [
      [
        [1, 2, 3],
        [0, 0, 0],
      ],
      [
        [-1, 0.5, 2],
        [3, -2, 1],
      ],
    ]) {
      const x = tf.tensor1d(a!);
      const y = tf.tensor1d(b!);
      const staged = execute(ir, [x, y], tf);
      const h = tf.tanh(tf.add(tf.mul(x, w), y));
      expect(Array.from(staged[0]!.dataSync())).toEqual(
        Array.from(tf.sigmoid(tf.sub(h, tf.scalar(0.25))).dataSync()),
      );
      expect(Array.from(staged[1]!.dataSync())).toEqual(Array.from(tf.greater(h, tf.scalar(0)).dataSync()));
    }
    // the captured weight still works eagerly after tracing
    expect(Array.from(tf.add(w, 1).dataSync())).toEqual([1.5, 0, 3]);
  });

  it('leaves no tensors behind', () => {
    const start = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) traceFunction('f', (x) => tf.exp(tf.neg(x)), [f32(2, 2)]);
    expect(tf.memory().numTensors).toBe(start);
  });

  it('reading a symbolic tensor is a StagingError', () => {
    for (const read of [
      (t: tf.Tensor) => t.dataSync(),
      (t: tf.Tensor) => t.arraySync(),
      (t: tf.Tensor) => `${t}`,
      (t: tf.Tensor) => (t as any) > 1,
    ]) {
      expect(() => traceFunction('f', (x) => (read(x), x), [f32(2)])).toThrow(StagingError);
    }
    expect(() => traceFunction('f', (x) => (x.dataSync(), x), [f32(2)])).toThrow(
      /symbolic tensor has no value/,
    );
    expect(tf.getBackend()).toBe('cpu');
  });

  it('an op without a registration is a StagingError naming it', () => {
    expect(() => traceFunction('f', (x) => tf.diag(x), [f32(3)])).toThrow(
      /the tfjs op 'Diag' is not supported in staged code yet/,
    );
  });
});
