/**
 * tf.Variables in staged code (staging/variables.ts): read, they are inputs of the graph; assigned,
 * outputs written back after each run, on both executors; staged loops and branches carry them;
 * optimizers keep their state across calls. Every staged result is compared with the same code run
 * eagerly from the same starting values.
 */
import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import * as ag from '../src/index.ts';
import { StagingError } from '../src/index.ts';

const T: any = { ...tf, train: tf.train, losses: tf.losses };
// The staged functions below are converted from their source text: these names come from `scope`.
declare const opt: any, v: any, acc: any, steps: any, a: any, b: any, total: any, w: any, W: any, bias: any;
const values = (t: tf.Tensor | tf.Tensor[]) =>
  Array.isArray(t) ? t.map((x) => Array.from(x.dataSync())) : Array.from(t.dataSync());
const close = (a: number[], b: number[], tol = 1e-4) => {
  expect(a.length).toBe(b.length);
  a.forEach((x, i) => expect(Math.abs(x - b[i]!)).toBeLessThanOrEqual(tol * (1 + Math.abs(b[i]!))));
};

const created: tf.Variable[] = [];
const variable = (x: tf.Tensor): any => {
  const v = tf.variable(x);
  created.push(v);
  return v;
};
afterEach(() => {
  for (const v of created.splice(0)) v.dispose();
});

/**
 * Runs `body` (source text converted by ag) `calls` times eagerly and staged from the same starting
 * values of `vars`, and compares what each call returns and the variables after each call.
 */
async function sameAsEager(
  executor: 'onnx' | 'tfjs' | 'js',
  /** The variables' starting values (tensors); other entries are passed to `scope` as they are. */
  init: () => Record<string, unknown>,
  body: (vars: Record<string, tf.Variable>) => (...args: any[]) => unknown,
  args: unknown[],
  calls = 3,
): Promise<ag.StagedFunction<any>> {
  const run = async (staged: boolean) => {
    const scope: Record<string, unknown> = { T };
    const vars: Record<string, tf.Variable> = {};
    for (const [k, x] of Object.entries(init()))
      scope[k] = x instanceof tf.Tensor ? (vars[k] = variable(x)) : x;
    const fn = body(vars);
    const f = staged ? ag.stage(fn, { scope, executor }) : null;
    const trail: number[][] = [];
    for (let c = 0; c < calls; c++) {
      const out = f ? await f(...args) : ag.convert(fn, { scope })(...args);
      if (out !== undefined) {
        const got = values(out as any);
        trail.push(...((Array.isArray(out) ? got : [got]) as number[][]));
      }
      for (const v of Object.values(vars)) trail.push(values(v) as number[]);
    }
    return { trail, f };
  };
  const eager = await run(false);
  const staged = await run(true);
  expect(staged.trail.length).toBe(eager.trail.length);
  staged.trail.forEach((row, i) => close(row, eager.trail[i]!));
  return staged.f!;
}

for (const executor of ['onnx', 'tfjs', 'js'] as const) {
  describe(`variables staged (${executor})`, () => {
    it('an assigned variable is written back; reads after the assign see it', async () => {
      const f = await sameAsEager(
        executor,
        () => ({ v: tf.tensor([1, 2, 3]) }),
        () => (d: any) => {
          const before = T.sum(v);
          v.assign(v + d);
          return [before, T.sum(v)];
        },
        [tf.ones([3])],
      );
      const ir = f.graph(tf.ones([3]));
      expect(ir).toMatch(/^func \w+\(%0: f32\[3\], %\d+: f32\[3\]\) -> \(f32\[\], f32\[\], f32\[3\]\)/);
    });

    it('a variable only read is an input: an eager assign between calls is seen without retracing', async () => {
      const v = variable(tf.tensor([1, 2]));
      const f = ag.stage((x: any) => x * v, { scope: { v }, executor });
      expect(values(await f(tf.ones([2])))).toEqual([1, 2]);
      v.assign(tf.tensor([5, 7]));
      expect(values(await f(tf.ones([2])))).toEqual([5, 7]);
      expect(f.traceCount).toBe(1);
      expect(values(v.add(1))).toEqual([6, 8]); // usable eagerly
    });

    it('a staged while loop carries the variable it assigns', async () => {
      await sameAsEager(
        executor,
        () => ({ acc: tf.scalar(0), steps: tf.scalar(0, 'int32') }),
        () => (n: any) => {
          let i = T.scalar(0);
          while (i < n) {
            acc.assign(acc + i * i);
            steps.assign(steps + 1);
            i = i + 1;
          }
          return i;
        },
        [tf.scalar(4)],
      );
    });

    it('branches: assigned in one branch only, in both, and in a conditional expression', async () => {
      await sameAsEager(
        executor,
        () => ({ a: tf.tensor([1, -2]), b: tf.scalar(3) }),
        () => (x: any) => {
          if (T.sum(x) > 0) {
            a.assign(a * 2);
          } else {
            a.assign(a - 1);
            b.assign(b + 1);
          }
          if (T.sum(a) < 0) b.assign(b * 10);
          const y = T.sum(b) > 20 ? (b.assign(b - 20), b + 0) : b + 1;
          return y;
        },
        [tf.tensor([1, 1])],
        4,
      );
      await sameAsEager(
        executor,
        () => ({ a: tf.tensor([1, -2]), b: tf.scalar(3) }),
        () => (x: any) => {
          if (T.sum(x) > 0) {
            a.assign(a * 2);
          } else {
            a.assign(a - 1);
            b.assign(b + 1);
          }
          return a;
        },
        [tf.tensor([-1, -1])],
      );
    });

    it('nested loops and a for…of over a tensor', async () => {
      await sameAsEager(
        executor,
        () => ({ total: tf.zeros([2]) }),
        () => (rows: any) => {
          for (const r of rows) {
            let k = T.scalar(0);
            while (k < 2) {
              total.assign(total + r);
              k = k + 1;
            }
          }
          return total * 1;
        },
        [
          tf.tensor([
            [1, 2],
            [3, 4],
            [5, 6],
          ]),
        ],
      );
    });

    it('the variable keeps its value in a loop that does not assign it and is read after', async () => {
      await sameAsEager(
        executor,
        () => ({ w: tf.tensor([2, 3]) }),
        () => (n: any) => {
          let s = T.zeros([2]);
          let i = T.scalar(0);
          while (i < n) {
            s = s + w;
            i = i + 1;
          }
          w.assign(s);
          return s;
        },
        [tf.scalar(3)],
      );
    });

    for (const name of ['sgd', 'momentum', 'adam', 'rmsprop', 'adagrad', 'adadelta', 'adamax'] as const) {
      it(`tf.train.${name}: staged steps give the losses and weights of eager steps`, async () => {
        const make = {
          sgd: () => tf.train.sgd(0.05),
          momentum: () => tf.train.momentum(0.05, 0.9),
          adam: () => tf.train.adam(0.05),
          rmsprop: () => tf.train.rmsprop(0.05, 0.9, 0.5),
          adagrad: () => tf.train.adagrad(0.1),
          adadelta: () => tf.train.adadelta(1),
          adamax: () => tf.train.adamax(0.05),
        }[name];
        const x = tf.tensor2d([
          [1, 2],
          [3, 4],
          [5, 6],
        ]);
        const y = tf.tensor2d([[1], [2], [3]]);
        await sameAsEager(
          executor,
          // a fresh optimizer per run: its slots start empty
          () => ({ W: tf.tensor2d([[0.5], [-0.3]]), bias: tf.scalar(0.1), opt: make() }),
          () => (x: any, y: any) =>
            opt.minimize(() => T.losses.meanSquaredError(y, T.add(T.matMul(x, W), bias)), true),
          [x, y],
          5,
        );
      });
    }

    it('training to a tolerance inside one staged call: a while loop around minimize', async () => {
      const f = await sameAsEager(
        executor,
        () => ({ w: tf.tensor([3, -2]), opt: tf.train.sgd(0.02) }),
        () => (target: any) => {
          let loss = T.sum(T.square(w - target));
          let steps = T.scalar(0);
          while (loss > 0.01) {
            loss = opt.minimize(() => T.sum(T.square(w - target)), true);
            steps = steps + 1;
          }
          return [loss, steps];
        },
        [tf.tensor([1, 1])],
        2,
      );
      expect(f.graph(tf.tensor([1, 1]))).toContain('while');
    });

    it('a tfjs-layers model: called, and trained one step per call', async () => {
      const build = () => {
        const model = tf.sequential({
          layers: [
            tf.layers.dense({ units: 4, activation: 'relu', inputShape: [3], kernelInitializer: 'ones' }),
            tf.layers.dense({ units: 1, kernelInitializer: 'ones' }),
          ],
        });
        return model;
      };
      const x = tf.tensor2d([
        [0.1, 0.2, 0.3],
        [0.5, -0.1, 0.2],
      ]);
      const y = tf.tensor2d([[1], [0]]);
      const results: number[][][] = [];
      for (const staged of [false, true]) {
        const model = build();
        const opt = tf.train.adam(0.01);
        const step = (x: any, y: any) =>
          opt.minimize(() => T.losses.meanSquaredError(y, model.apply(x)), true);
        const predict = (x: any) => model.apply(x);
        const scope = { T, model, opt };
        const f = staged ? ag.stage(step, { scope, executor }) : ag.convert(step, { scope });
        const p = staged ? ag.stage(predict, { scope, executor }) : ag.convert(predict, { scope });
        const trail: number[][] = [];
        for (let s = 0; s < 4; s++) trail.push(values(await f(x, y)) as number[]);
        trail.push(values(await p(x)) as number[]);
        trail.push(...model.getWeights().map((w) => values(w) as number[]));
        results.push(trail);
        model.dispose();
      }
      results[1]!.forEach((row, i) => close(row, results[0]![i]!));
    });

    it('calls not awaited run in order, as eager calls would', async () => {
      const v = variable(tf.scalar(1));
      const f = ag.stage(() => (v.assign(v * 2), v * 1), { scope: { v }, executor });
      const outs = await Promise.all([f(), f(), f()]);
      expect(outs.map((o) => o.dataSync()[0])).toEqual([2, 4, 8]);
      expect(v.dataSync()[0]).toBe(8);
    });
  });
}

describe('variables: bad input', () => {
  it('a variable created inside a staged function is a located StagingError', async () => {
    const f = ag.stage(
      (x: any) => {
        const v = T.variable(x);
        return v * 2;
      },
      { scope: { T } },
    );
    await expect(f(tf.ones([2]))).rejects.toThrow(/tf\.variable is created inside a staged function/);
  });

  it('a variable assigned a value of another dtype or shape names it', async () => {
    const v = variable(tf.tensor([1, 2]));
    const f = ag.stage((x: any) => v.assign(x), { scope: { v } });
    await expect(f(tf.ones([3]))).rejects.toThrow(
      new RegExp(`variable '${v.name}' is float32 \\[2\\]; it cannot be assigned a value of float32 \\[3\\]`),
    );
    await expect(f(tf.ones([2], 'int32'))).rejects.toThrow(StagingError);
    expect(values(v)).toEqual([1, 2]); // untouched by the failed traces
  });

  it("reading a variable's value at trace time (code that runs unconverted) is an error, not a constant", async () => {
    const v = variable(tf.scalar(3));
    const read = new Function('v', 'return v.dataSync()[0] > 2 ? 1 : 0');
    const f = ag.stage((x: any) => x * read(v), { scope: { v, read } });
    await expect(f(tf.ones([2]))).rejects.toThrow(/tf\.Variable's value was read while ag\.stage traces/);
    expect(values(v)).toEqual([3]);
  });

  it('a disposed variable is named when the staged function runs again', async () => {
    const v: any = tf.variable(tf.scalar(1));
    const f = ag.stage((x: any) => x * v, { scope: { v } });
    await f(tf.scalar(2));
    v.dispose();
    await expect(f(tf.scalar(2))).rejects.toThrow(
      `uses the tf.Variable '${v.name}', which has been disposed`,
    );
  });

  it('a failed trace leaves the variable as it was', async () => {
    const v = variable(tf.tensor([1, 2]));
    const f = ag.stage(
      (x: any) => {
        v.assign(v + x);
        return x.dataSync();
      },
      { scope: { v } },
    );
    await expect(f(tf.ones([2]))).rejects.toThrow(StagingError);
    expect(values(v)).toEqual([1, 2]);
    v.assign(tf.tensor([3, 4]));
    expect(values(v.add(1))).toEqual([4, 5]);
  });
});

describe('variables in exported models', () => {
  it('read variables are inputs after the arguments, written ones outputs after the results', async () => {
    const v = variable(tf.tensor([1, 2]));
    const f = ag.stage((x: any) => (v.assign(v + x), T.sum(v)), { scope: { v, T } });
    const ort = await import('onnxruntime-node');
    const session = await ort.InferenceSession.create(f.exportOnnxBytes(tf.ones([2])));
    expect(session.inputNames).toEqual(['input0', 'input1']);
    const out = await session.run({
      input0: new ort.Tensor('float32', Float32Array.of(1, 1), [2]),
      input1: new ort.Tensor('float32', Float32Array.of(10, 20), [2]),
    });
    expect(Array.from(out.output0!.data as Float32Array)).toEqual([32]);
    expect(Array.from(out.output1!.data as Float32Array)).toEqual([11, 21]);
  });
});
