/**
 * Random ops in staged code: an unseeded tf.randomUniform / randomUniformInt / randomNormal /
 * randomStandardNormal / truncatedNormal / randomGamma / multinomial / dropout is a random node that
 * draws fresh values on every run (never a constant), with the distribution eager tfjs gives, on both
 * executors, for static shapes and shapes with run-time sizes; a seeded one gives what it gives
 * eagerly; what is not staged is a located StagingError. Every statistical bound is 6 standard
 * errors or more of its statistic (the sample sizes below), so the tests do not flake.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import * as ag from '../src/index.ts';
import type { Tf } from './staged/common.ts';

const T: Tf = { ...tf };
const N = 4000;
const scope = { T, N };

const values = async (f: ag.StagedFunction<any>, ...args: unknown[]) =>
  Array.from(((await f(...args)) as tf.Tensor).dataSync());
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const variance = (xs: number[]) => mean(xs.map((x) => (x - mean(xs)) ** 2));
const std = (xs: number[]) => Math.sqrt(variance(xs));
const frequency = (xs: number[], v: number) => xs.filter((x) => x === v).length / xs.length;

interface Case {
  name: string;
  /** Two draws of the op, each of shape [n] with n = x.shape[0] (a run-time size when x's dim is dynamic). */
  fn: (x: any) => any[];
  dtype: 'float32' | 'int32';
  /** The distribution's checks on N draws. */
  check: (v: number[]) => void;
}

const integers = (v: number[]) => expect(v.every(Number.isInteger)).toBe(true);

const cases: Case[] = [
  {
    name: 'randomUniform: within [min, max), uniform',
    fn: (x: any) => {
      const n = x.shape[0];
      return [T.randomUniform([n], -1, 3), T.randomUniform([n], -1, 3)];
    },
    dtype: 'float32',
    check: (v) => {
      expect(Math.min(...v)).toBeGreaterThanOrEqual(-1);
      expect(Math.max(...v)).toBeLessThanOrEqual(3);
      expect(Math.abs(mean(v) - 1)).toBeLessThan(0.11); // SE 0.018
      expect(Math.abs(v.filter((a) => a < 1).length / N - 0.5)).toBeLessThan(0.05); // SE 0.008
    },
  },
  {
    name: "randomUniform of dtype int32: the draw truncated, as tfjs's Int32Array store does",
    fn: (x: any) => {
      const n = x.shape[0];
      return [T.randomUniform([n], 0, 10, 'int32'), T.randomUniform([n], 0, 10, 'int32')];
    },
    dtype: 'int32',
    check: (v) => {
      integers(v);
      for (let k = 0; k < 10; k++) expect(Math.abs(frequency(v, k) - 0.1)).toBeLessThan(0.03); // SE 0.0047
      expect(v.every((a) => a >= 0 && a <= 9)).toBe(true);
    },
  },
  {
    name: 'randomUniformInt: truncation toward zero of a uniform in [min, max) (tfjs: -2..3 gives 0 twice as often)',
    fn: (x: any) => {
      const n = x.shape[0];
      return [T.randomUniformInt([n], -2, 3), T.randomUniformInt([n], -2, 3)];
    },
    dtype: 'int32',
    check: (v) => {
      integers(v);
      const expected: [number, number][] = [
        [-1, 0.2],
        [0, 0.4],
        [1, 0.2],
        [2, 0.2],
      ];
      for (const [k, p] of expected) expect(Math.abs(frequency(v, k) - p)).toBeLessThan(0.05); // SE ≤ 0.0078
      expect(frequency(v, -2) + frequency(v, 3)).toBeLessThan(0.002);
    },
  },
  {
    name: 'randomNormal: the mean and deviation asked for',
    fn: (x: any) => {
      const n = x.shape[0];
      return [T.randomNormal([n], 2, 0.5), T.randomNormal([n], 2, 0.5)];
    },
    dtype: 'float32',
    check: (v) => {
      expect(Math.abs(mean(v) - 2)).toBeLessThan(0.05); // SE 0.0079
      expect(Math.abs(std(v) - 0.5)).toBeLessThan(0.05); // SE 0.0056
    },
  },
  {
    name: 'randomNormal of dtype int32: rounded, as tfjs rounds',
    fn: (x: any) => {
      const n = x.shape[0];
      return [T.randomNormal([n], 1, 3, 'int32'), T.randomNormal([n], 1, 3, 'int32')];
    },
    dtype: 'int32',
    check: (v) => {
      integers(v);
      expect(Math.abs(mean(v) - 1)).toBeLessThan(0.3); // SE 0.048
      expect(Math.abs(std(v) - Math.sqrt(9 + 1 / 12))).toBeLessThan(0.21); // SE 0.034
    },
  },
  {
    name: 'randomStandardNormal: mean 0, deviation 1',
    fn: (x: any) => {
      const n = x.shape[0];
      return [T.randomStandardNormal([n]), T.randomStandardNormal([n])];
    },
    dtype: 'float32',
    check: (v) => {
      expect(Math.abs(mean(v))).toBeLessThan(0.1); // SE 0.016
      expect(Math.abs(std(v) - 1)).toBeLessThan(0.07); // SE 0.011
    },
  },
  {
    name: 'truncatedNormal: within 2 deviations of the mean, with the truncated deviation',
    fn: (x: any) => {
      const n = x.shape[0];
      return [T.truncatedNormal([n], 1, 2), T.truncatedNormal([n], 1, 2)];
    },
    dtype: 'float32',
    check: (v) => {
      expect(Math.max(...v.map((a) => Math.abs(a - 1)))).toBeLessThanOrEqual(4 + 1e-5);
      expect(Math.abs(mean(v) - 1)).toBeLessThan(0.17); // SE 0.028
      // N(0, 1) truncated to [-2, 2] has deviation 0.8796 (an untruncated draw would show 2)
      expect(Math.abs(std(v) - 2 * 0.8796)).toBeLessThan(0.12); // SE 0.02
      expect(v.filter((a) => Math.abs(a - 1) > 3).length / N).toBeGreaterThan(0.02); // 0.088
    },
  },
  {
    name: 'randomGamma (alpha 2, beta 1.5): mean alpha·beta, variance alpha·beta², as tfjs draws',
    fn: (x: any) => {
      const n = x.shape[0];
      return [T.randomGamma([n], 2, 1.5), T.randomGamma([n], 2, 1.5)];
    },
    dtype: 'float32',
    check: (v) => {
      expect(Math.min(...v)).toBeGreaterThan(0);
      expect(Math.abs(mean(v) - 3)).toBeLessThan(0.21); // SE 0.034
      expect(Math.abs(variance(v) - 4.5)).toBeLessThan(1); // SE 0.16
    },
  },
  {
    name: 'randomGamma (alpha 0.5: the boosted draw)',
    fn: (x: any) => {
      const n = x.shape[0];
      return [T.randomGamma([n], 0.5), T.randomGamma([n], 0.5)];
    },
    dtype: 'float32',
    check: (v) => {
      expect(Math.min(...v)).toBeGreaterThanOrEqual(0);
      expect(Math.abs(mean(v) - 0.5)).toBeLessThan(0.07); // SE 0.011
      expect(Math.abs(variance(v) - 0.5)).toBeLessThan(0.18); // SE 0.03
      expect(Math.abs(v.filter((a) => a < 0.1).length / N - 0.3453)).toBeLessThan(0.05); // SE 0.0075
    },
  },
];

for (const executor of ['tfjs', 'onnx', 'js'] as const) {
  describe(`random ops staged (${executor})`, () => {
    for (const c of cases)
      for (const dynamic of [false, true])
        it(`${c.name}${dynamic ? ' (a run-time size)' : ''}; fresh each run, two draws differ`, async () => {
          const f = ag.stage(c.fn, {
            scope,
            executor,
            ...(dynamic ? { inputSignature: [ag.spec([null])] } : {}),
          });
          const [a, b] = (await f(tf.zeros([N]))) as tf.Tensor[];
          const [again] = (await f(tf.zeros([N]))) as tf.Tensor[];
          expect(a!.dtype).toBe(c.dtype);
          expect(a!.shape).toEqual([N]);
          const [va, vb, vc] = [a!, b!, again!].map((t) => Array.from(t.dataSync()));
          expect(va).not.toEqual(vb);
          expect(va).not.toEqual(vc);
          c.check(va!);
          c.check(vc!);
        });

    it('multinomial: class frequencies of logits computed in the graph, and of probabilities', async () => {
      const f = ag.stage(
        (logits: any) => [
          T.multinomial(logits, N),
          T.multinomial(
            T.tensor2d([
              [0.1, 0.6, 0.3],
              [0.7, 0.2, 0.1],
            ]),
            N,
            undefined,
            true,
          ),
        ],
        { scope, executor },
      );
      const logits = tf.add(tf.log(tf.tensor1d([0.2, 0.3, 0.5])), 3); // unnormalized
      const [a, b] = (await f(logits)) as tf.Tensor[];
      const [again] = (await f(logits)) as tf.Tensor[];
      expect([a!.dtype, b!.dtype]).toEqual(['int32', 'int32']);
      expect([a!.shape, b!.shape]).toEqual([[N], [2, N]]);
      const [va, vc] = [a!, again!].map((t) => Array.from(t.dataSync()));
      expect(va).not.toEqual(vc);
      // SE ≤ √(0.25 / N) = 0.0079
      for (const v of [va!, vc!])
        [0.2, 0.3, 0.5].forEach((p, k) => expect(Math.abs(frequency(v, k) - p)).toBeLessThan(0.05));
      const rows = b!.arraySync() as number[][];
      [0.1, 0.6, 0.3].forEach((p, k) => expect(Math.abs(frequency(rows[0]!, k) - p)).toBeLessThan(0.05));
      [0.7, 0.2, 0.1].forEach((p, k) => expect(Math.abs(frequency(rows[1]!, k) - p)).toBeLessThan(0.05));
    });

    it('dropout keeps 1 - rate of the elements, scaled by 1 / (1 - rate), fresh each run', async () => {
      const f = ag.stage((x: any) => T.dropout(x, 0.25), { scope, executor });
      const [a, b] = [await values(f, tf.ones([N])), await values(f, tf.ones([N]))];
      expect(a).not.toEqual(b);
      expect(Math.abs(a.filter((v) => v > 0).length / N - 0.75)).toBeLessThan(0.05);
      expect(new Set(a.map((v) => v.toFixed(4)))).toEqual(new Set(['0.0000', '1.3333']));
    });

    it('dropout of a tensor with a run-time dim, with and without a noise shape', async () => {
      const f = ag.stage((x: any) => [T.dropout(x, 0.5), T.dropout(x, 0.5, [x.shape[0], 1])], {
        scope,
        executor,
        inputSignature: [ag.spec([null, 4])],
      });
      const [a, b] = ((await f(tf.ones([N / 4, 4]))) as tf.Tensor[]).map((t) => t.arraySync() as number[][]);
      const flat = a!.flat();
      expect(Math.abs(flat.filter((v) => v > 0).length / N - 0.5)).toBeLessThan(0.05);
      expect(new Set(flat)).toEqual(new Set([0, 2]));
      // one draw per row: each row all kept or all dropped
      expect(b!.every((row) => row.every((v) => v === row[0]))).toBe(true);
      expect(Math.abs(b!.filter((row) => row[0] === 2).length / (N / 4) - 0.5)).toBeLessThan(0.1); // SE 0.016
    });

    it('a random shape of several run-time and static sizes', async () => {
      const f = ag.stage((x: any) => T.randomNormal([x.shape[0], 2, x.shape[1]]), {
        scope,
        executor,
        inputSignature: [ag.spec([null, null])],
      });
      const out = (await f(tf.zeros([500, 4]))) as tf.Tensor;
      expect(out.shape).toEqual([500, 2, 4]);
      const v = Array.from(out.dataSync());
      expect(Math.abs(mean(v))).toBeLessThan(0.1);
      expect(Math.abs(std(v) - 1)).toBeLessThan(0.07);
    });

    it('inside a staged loop, each iteration draws anew', async () => {
      const f = ag.stage(
        (x: any) => {
          const rows = [];
          for (const r of x)
            rows.push(
              T.concat([
                r + T.randomNormal([4]),
                T.truncatedNormal([4]),
                T.randomGamma([4], 2),
                T.cast(T.randomUniformInt([4], 0, 1000), 'float32'),
                T.cast(T.multinomial(T.zeros([1000]), 4), 'float32'),
              ]),
            );
          return T.stack(rows);
        },
        { scope, executor },
      );
      const out = (await f(tf.zeros([3, 4]))).arraySync() as number[][];
      for (let op = 0; op < 5; op++)
        expect(out[0]!.slice(4 * op, 4 * op + 4)).not.toEqual(out[1]!.slice(4 * op, 4 * op + 4));
    });
  });
}

describe('random ops staged: seeds, sessions and refusals', () => {
  it('a seeded op gives the values it gives eagerly, on every call', async () => {
    const f = ag.stage(
      (x: any) => [
        x + T.randomUniform([5], 0, 1, 'float32', 3),
        T.randomUniformInt([5], 0, 100, 3),
        T.randomNormal([5], 0, 1, 'int32', 3),
        T.randomStandardNormal([5], 'float32', 3),
        T.truncatedNormal([5], 0, 1, 'float32', 3),
        T.randomGamma([5], 2, 1, 'float32', 3),
      ],
      { scope },
    );
    const eager = [
      tf.randomUniform([5], 0, 1, 'float32', 3),
      tf.randomUniformInt([5], 0, 100, 3),
      tf.randomNormal([5], 0, 1, 'int32', 3),
      tf.randomStandardNormal([5], 'float32', 3),
      tf.truncatedNormal([5], 0, 1, 'float32', 3),
      tf.randomGamma([5], 2, 1, 'float32', 3),
    ].map((t) => Array.from(t.dataSync()));
    for (let call = 0; call < 2; call++) {
      const out = ((await f(tf.zeros([5]))) as tf.Tensor[]).map((t) => Array.from(t.dataSync()));
      expect(out).toEqual(eager);
    }
  });

  it("a seeded multinomial of logits computed in the graph: tfjs's values on the tfjs executor, refused on ONNX", async () => {
    const fn = (logits: any) => T.multinomial(logits, 20, 5);
    const logits = tf.tensor2d([
      [0, 1, 2],
      [2, 1, 0],
    ]);
    const eager = tf.multinomial(logits, 20, 5).arraySync();
    const f = ag.stage(fn, { scope, executor: 'tfjs' });
    expect((await f(logits)).arraySync()).toEqual(eager);
    expect((await f(logits)).arraySync()).toEqual(eager);
    await expect(ag.stage(fn, { scope })(logits)).rejects.toThrow(
      /seeded tf\.multinomial .*executor: 'tfjs'/,
    );
  });

  it('a seed of 0 is no seed for tfjs normal generators: fresh values each call', async () => {
    const f = ag.stage((x: any) => x + T.randomNormal([8], 0, 1, 'float32', 0), { scope });
    expect(await values(f, tf.zeros([8]))).not.toEqual(await values(f, tf.zeros([8])));
  });

  it('two ONNX Runtime sessions of one function draw different sequences', async () => {
    const fn = (x: any) => [
      x + T.randomNormal([8]),
      T.truncatedNormal([8]),
      T.multinomial(T.zeros([100]), 8),
    ];
    const [f, g] = [ag.stage(fn, { scope }), ag.stage(fn, { scope })];
    const [a, b] = [(await f(tf.zeros([8]))) as tf.Tensor[], (await g(tf.zeros([8]))) as tf.Tensor[]];
    for (let i = 0; i < 3; i++) expect(a[i]!.dataSync()).not.toEqual(b[i]!.dataSync());
  });

  it('an unsupported dtype or argument is a StagingError naming the function, the value and the line', async () => {
    // rebuilt from its source text (no loader), a function's frames are eval frames: the location is
    // the nearest user frame, here the call in this file (under the loader, the statement's line)
    const cases: [(x: any) => unknown, string][] = [
      [
        (x: any) => {
          const y = T.randomNormal([2], 0, 1, 'bool');
          return x + y;
        },
        'tf\\.randomNormal of dtype bool is not staged: staged random ops draw float32 or int32',
      ],
      [
        (x: any) => {
          const y = T.randomUniform([x.shape[0]], 0, 1, 'bool');
          return x + y;
        },
        'tf\\.randomUniform of dtype bool is not staged',
      ],
      [
        (x: any) => {
          const y = T.truncatedNormal([2], 0, 1, 'complex64');
          return x + y;
        },
        'tf\\.truncatedNormal of dtype complex64 is not staged',
      ],
      [
        (x: any) => {
          const y = T.randomGamma([2], T.scalar(2));
          return x + y;
        },
        'tf\\.randomGamma with a tensor alpha is not staged',
      ],
      [
        (x: any) => {
          const y = T.multinomial(T.cast(x, 'int32'), 3);
          return y;
        },
        'tf\\.multinomial of int32 logits is not staged',
      ],
      [
        (x: any) => {
          const y = T.multinomial(x, x.shape[0]);
          return y;
        },
        'tf\\.multinomial takes a number of samples, got a tensor',
      ],
      [
        (x: any) => {
          const y = T.util.shuffle([1, 2]);
          return x + y;
        },
        'a random number was drawn while ag\\.stage traces',
      ],
    ];
    for (const [fn, message] of cases) {
      const f = ag.stage(fn, { scope, inputSignature: [ag.spec([null])] });
      await expect(f(tf.zeros([2]))).rejects.toThrow(
        new RegExp(`^\\S*random\\.test\\.ts:\\d+:\\d+: ${message}`),
      );
    }
  });

  it('the trace-time error lists the random functions that are staged', async () => {
    const f = ag.stage((x: any) => x * Math.random(), { scope });
    await expect(f(tf.zeros([2]))).rejects.toThrow(
      /Staged random ops are tf\.randomUniform, tf\.randomUniformInt, tf\.randomNormal, tf\.randomStandardNormal, tf\.truncatedNormal, tf\.randomGamma, tf\.multinomial and tf\.dropout/,
    );
  });
});
