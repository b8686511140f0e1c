/**
 * Dynamic dimensions end to end: input signatures (one trace for many sizes), relaxed retracing,
 * runtime shapes read in converted code, growing loop values, and exported models with dim_params
 * run at several sizes in onnxruntime-node.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import * as ag from '../src/index.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const T: any = { ...tf };
const scope = { T };
const values = (t: unknown) => Array.from((t as tf.Tensor).dataSync());

describe('input signatures', () => {
  it('one trace serves every batch size', async () => {
    const w = tf.tensor2d([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    for (const executor of ['onnx', 'tfjs', 'js'] as const) {
      const f = ag.stage((x: any) => T.relu(T.matMul(x, w)) * 2 + 1, {
        scope: { T, w },
        executor,
        inputSignature: [ag.spec([null, 3])],
      });
      for (const rows of [1, 3, 7]) {
        const x = tf.randomNormal([rows, 3]);
        const out = (await f(x)) as tf.Tensor;
        const expected = tf.add(tf.mul(tf.relu(tf.matMul(x, w)), 2), 1);
        expect(out.shape).toEqual([rows, 2]);
        expect(values(out)).toEqual(values(expected).map((v) => expect.closeTo(v, 5)));
      }
      expect(f.traceCount).toBe(1);
      expect(f.graph(ag.spec([null, 3]))).toContain('f32[?,3]');
      await f.dispose();
    }
  });

  it('a call that does not match the signature is a SignatureError', async () => {
    const f = ag.stage((x: any, y: any) => x + y, {
      inputSignature: [ag.spec(['batch', 3]), ag.spec(['batch', 3], 'float32')],
    });
    await expect(f(tf.zeros([2, 4]), tf.zeros([2, 3]))).rejects.toThrow(
      /argument 0 is float32\[2,4\]: dimension 1 must be 3/,
    );
    await expect(f(tf.zeros([2, 3]), tf.zeros([4, 3]))).rejects.toThrow(/\('batch'\) is 4, but 'batch' is 2/);
    await expect(f(tf.zeros([2, 3], 'int32'), tf.zeros([2, 3]))).rejects.toThrow(ag.SignatureError);
    await expect((f as any)(tf.zeros([2, 3]))).rejects.toThrow(/takes 2 arguments/);
    expect(values(await f(tf.ones([2, 3]), tf.ones([2, 3])))).toEqual([2, 2, 2, 2, 2, 2]);
  });
});

describe('relaxed retracing', () => {
  it('a retrace caused by a new batch size traces the batch dim dynamic, once', async () => {
    const reasons: string[] = [];
    const f = ag.stage((x: any) => T.sum(x, 1) * 2, { scope, explainRetrace: (r) => reasons.push(r) });
    for (const rows of [2, 3, 4, 5, 6]) {
      const out = (await f(tf.ones([rows, 4]))) as tf.Tensor;
      expect(out.shape).toEqual([rows]);
      expect(values(out)).toEqual(Array(rows).fill(8));
    }
    expect(f.traceCount).toBe(2);
    expect(reasons[1]).toMatch(
      /argument 0 changed from float32\[2,4\] to float32\[3,4\]; tracing the changed dimensions as dynamic \(f32\[\?,4\]\)/,
    );
  });

  it('reduceRetracing: false keeps one trace per shape', async () => {
    const f = ag.stage((x: any) => x * 2, { reduceRetracing: false });
    for (const rows of [2, 3, 4]) await f(tf.ones([rows]));
    expect(f.traceCount).toBe(3);
  });
});

describe('run-time shapes in converted code', () => {
  it('tf.zeros([x.shape[0], 4]) on a dynamic x stages', async () => {
    const f = ag.stage(
      (x: any) => {
        const h = T.zeros([x.shape[0], 4]);
        return h + T.sum(x);
      },
      { scope, inputSignature: [ag.spec([null, 2])] },
    );
    for (const rows of [1, 3]) {
      const out = (await f(tf.ones([rows, 2]))) as tf.Tensor;
      expect(out.shape).toEqual([rows, 4]);
      expect(values(out)).toEqual(Array(rows * 4).fill(rows * 2));
    }
  });

  it('tf.range(0, x.shape[0]) and tf.range with a run-time step stage', async () => {
    const fn = (x: any) => [
      T.range(0, x.shape[0]),
      T.range(x.shape[0], 0),
      T.range(1, 9, x.shape[0], 'int32'),
    ];
    const f = ag.stage(fn, { scope, inputSignature: [ag.spec([null])] });
    for (const n of [1, 3, 4]) {
      const eager = ag.convert(fn, { scope })(tf.zeros([n])) as tf.Tensor[];
      const staged = (await f(tf.zeros([n]))) as tf.Tensor[];
      staged.forEach((s, i) => {
        expect(s.dtype).toBe(eager[i]!.dtype);
        expect(values(s)).toEqual(values(eager[i]));
      });
    }
    const bad = ag.stage((x: any) => T.range(0, x.shape[0] / 2), {
      scope,
      inputSignature: [ag.spec([null])],
    });
    await expect(bad(tf.zeros([3]))).rejects.toThrow(
      /:\d+:\d+: tf.range with a run-time bound takes integers/,
    );
  });

  it('slices to the end of a dynamic dim (tf.slice(x, 1), a size of -1)', async () => {
    const fn = (x: any) => [T.slice(x, 1), T.slice(x, [1, 0], [-1, 1]), T.slice(x, [0, 1])];
    const f = ag.stage(fn, { scope, inputSignature: [ag.spec([null, 2])] });
    for (const n of [1, 2, 5]) {
      const x = tf.randomUniform([n, 2]);
      const eager = ag.convert(fn, { scope })(x) as tf.Tensor[];
      const staged = (await f(x)) as tf.Tensor[];
      staged.forEach((s, i) => {
        expect(s.shape).toEqual(eager[i]!.shape);
        expect(values(s)).toEqual(values(eager[i]));
      });
    }
    expect(f.traceCount).toBe(1);
  });

  it('for…of over a dynamic number of rows', async () => {
    const f = ag.stage(
      (x: any) => {
        let s = T.zeros([3]);
        for (const row of x) s = s + row;
        return s;
      },
      { scope, inputSignature: [ag.spec([null, 3])] },
    );
    for (const rows of [0, 2, 5]) {
      const x = tf.randomUniform([rows, 3]);
      expect(values(await f(x))).toEqual(values(tf.sum(x, 0)).map((v) => expect.closeTo(v, 5)));
    }
  });
});

describe('growing values', () => {
  it('a Collatz path grows in a staged loop (its length is dynamic)', async () => {
    const collatzPath = (n: any) => {
      let path = T.reshape(n, [1]);
      while (n != 1) {
        n = n % 2 == 0 ? T.floorDiv(n, T.scalar(2, 'int32')) : n * 3 + 1;
        path = T.concat([path, T.reshape(n, [1])]);
      }
      return path;
    };
    for (const executor of ['onnx', 'tfjs', 'js'] as const) {
      const f = ag.stage(collatzPath, { scope, executor });
      for (const start of [1, 6, 27]) {
        const eager = ag.convert(collatzPath, { scope })(tf.scalar(start, 'int32')) as tf.Tensor;
        const staged = (await f(tf.scalar(start, 'int32'))) as tf.Tensor;
        expect(staged.dtype).toBe('int32');
        expect(staged.shape).toEqual(eager.shape);
        expect(values(staged)).toEqual(values(eager));
      }
      expect(f.graph(tf.scalar(6, 'int32'))).toContain('i32[?]');
      expect(f.traceCount).toBe(1);
    }
  });

  it('branches of different sizes give a dynamic dim', async () => {
    const f = ag.stage((x: any) => (T.sum(x) > 0 ? T.concat([x, x]) : x), { scope });
    expect(values(await f(tf.tensor1d([1, 2])))).toEqual([1, 2, 1, 2]);
    expect(values(await f(tf.tensor1d([-1, -2])))).toEqual([-1, -2]);
  });

  it('a rank change in a loop is a located StagingError naming the variable', async () => {
    const f = ag.stage(
      (x: any) => {
        while (T.sum(x) < 10) x = T.stack([x, x]);
        return x;
      },
      { scope },
    );
    await expect(f(tf.ones([2]))).rejects.toThrow(
      /'x' is float32 \[2\] before the loop but float32 \[2,2\] after one iteration; a loop variable must keep its dtype and rank/,
    );
  });
});

describe('export with dynamic dims', () => {
  it('named dims become dim_params; the model runs at several sizes in onnxruntime-node', async () => {
    const f = ag.stage((x: any, y: any) => T.concat([x * 2, y], 1), { scope });
    const bytes = f.exportOnnxBytes(ag.spec(['batch', 3]), ag.spec(['batch', 2]));
    const session = await ort.InferenceSession.create(bytes);
    for (const batch of [1, 3, 7]) {
      const x = new ort.Tensor(
        'float32',
        Float32Array.from({ length: batch * 3 }, (_, i) => i),
        [batch, 3],
      );
      const y = new ort.Tensor(
        'float32',
        Float32Array.from({ length: batch * 2 }, () => -1),
        [batch, 2],
      );
      const out = (await session.run({ input0: x, input1: y })).output0!;
      expect(out.dims).toEqual([batch, 5]);
      const expected = tf.concat(
        [tf.mul(tf.tensor2d(x.data as Float32Array, [batch, 3]), 2), tf.fill([batch, 2], -1)],
        1,
      );
      expect(Array.from(out.data as Float32Array)).toEqual(values(expected));
    }
    await session.release();
  });
});
