/**
 * The ONNX Runtime executor beyond op lowerings: staged prints, failures inside ORT named by the
 * staged op and the user's line, sessions released by dispose, the export round trip through
 * onnxruntime-node and onnxruntime-web. Memory over many calls: onnx-memory.test.ts (its own process).
 */
import { readFileSync } from 'node:fs';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import * as ag from '../src/index.ts';
import { difference, type Plain, toArrays } from './staged/compare.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

const T: any = { ...tf };
const scope = { T };

const EXECUTORS = ['onnx', 'tfjs', 'js'] as const;

/** `fn` staged on `executor` and called once with `args()`: its IR, and its results as data. */
async function stagedRun(
  fn: (...args: any[]) => unknown,
  executor: (typeof EXECUTORS)[number],
  args: () => unknown[],
): Promise<{ ir: string; result: Plain }> {
  const f = ag.stage(fn, { scope, executor });
  const ir = f.graph(...(args() as []));
  const out = await f(...(args() as []));
  const result = toArrays(out);
  tf.dispose(out as tf.Tensor);
  await f.dispose();
  return { ir, result };
}

/** The values of each tensor of a staged result, in order. */
const tensorValues = (result: Plain): number[][] =>
  'array' in result ? result.array.map((p) => ('tensor' in p ? p.tensor.values : [])) : [];

/** What a call printed, each line as console.log's arguments. */
async function printed(f: (...args: any[]) => Promise<unknown>, args: unknown[]): Promise<unknown[][]> {
  const lines: unknown[][] = [];
  const original = console.log;
  console.log = (...parts: unknown[]) => lines.push(parts);
  try {
    const out = await f(...args);
    tf.dispose(out as tf.Tensor);
  } finally {
    console.log = original;
  }
  return lines;
}

describe('staged prints on ONNX Runtime print what the tfjs executor prints', () => {
  const programs: [string, (...args: any[]) => unknown, () => unknown[]][] = [
    [
      'prints in both branches of a cond inside a loop, of every dtype',
      (x: any) => {
        let i = T.scalar(0);
        while (i < 4) {
          if (T.sum(x) > 3) console.log('big', x, i, T.greater(x, 2));
          else console.log('small', i);
          x = x + 1;
          i = i + 1;
        }
        return x;
      },
      () => [tf.tensor1d([0.5, 1.25])],
    ],
    [
      'nested loops, a print per level, and a print after',
      (m: any) => {
        let total = T.scalar(0);
        for (const row of m) {
          console.log('row', row);
          let j = T.scalar(0);
          while (j < T.sum(row)) {
            console.log('  j', j);
            j = j + 1;
          }
          total = total + j;
        }
        console.log('total', total, 'done');
        return total;
      },
      () => [
        tf.tensor2d([
          [1, 0],
          [2, 1],
          [0, 0],
        ]),
      ],
    ],
    [
      'a loop that never runs prints nothing from its body',
      (x: any) => {
        while (T.sum(x) > 100) {
          console.log('never', x);
          x = x / 2;
        }
        return x;
      },
      () => [tf.tensor1d([1, 2])],
    ],
    [
      'a print in a cond of a loop whose results nothing uses',
      (x: any) => {
        let i = T.scalar(0);
        while (i < 3) {
          if (T.sum(x) > 0) console.log('tick', i);
          i = i + 1;
        }
        return x * 2;
      },
      () => [tf.tensor1d([1])],
    ],
  ];
  for (const [name, fn, inputs] of programs) {
    it(name, async () => {
      const onTfjs = ag.stage(fn, { scope, executor: 'tfjs' });
      const onOrt = ag.stage(fn, { scope, executor: 'onnx' });
      await printed(onTfjs, inputs()); // traced: the lines below come from running the graph
      await printed(onOrt, inputs());
      const expected = await printed(onTfjs, inputs());
      expect(expected.length).toBeGreaterThan(name.startsWith('a loop that never') ? -1 : 0);
      expect(await printed(onOrt, inputs())).toEqual(expected);
      await onOrt.dispose();
    });
  }
});

describe('failures inside ONNX Runtime', () => {
  // The user's file:line:col and its excerpt need the loader: test/staging-loader.test.ts checks them.
  it('name the staged op and what went wrong', async () => {
    const f = ag.stage(
      (x: any, i: any) => {
        const picked = T.gather(x, i);
        return picked * 2;
      },
      { scope },
    );
    const error = await f(tf.tensor1d([1, 2, 3]), tf.tensor1d([0, 7], 'int32')).catch((e: Error) => e);
    expect(error).toBeInstanceOf(ag.ExecutionError);
    const message = (error as Error).message;
    expect(message).toContain("ONNX Runtime failed in the staged op 'GatherV2' (ONNX Gather) of 'staged'");
    expect(message).toContain('idx=7 must be within the inclusive range [-3,2]');
  });
});

describe('if-conversion', () => {
  it('never runs a guarded gather speculatively: `i < 3 && x[i] > 0` with i out of range', async () => {
    const f = ag.stage(
      (x: any, i: any) => {
        let y = x;
        if (i < 3 && T.gather(x, i) > 0) y = x * 2;
        return y;
      },
      { scope },
    );
    for (const [i, expected] of [
      [1, [2, 4, 6]],
      [5, [1, 2, 3]],
    ] as const) {
      const out = (await f(tf.tensor1d([1, 2, 3]), tf.scalar(i, 'int32'))) as tf.Tensor;
      expect(Array.from(out.dataSync())).toEqual(expected);
      out.dispose();
    }
    await f.dispose();
  });
});

describe('exported models', () => {
  /** A model with a weight, a loop with a data-dependent break, a branch, and int32 and bool outputs. */
  const settle = (x: any, steps: number) => {
    let i = 0;
    let converged = T.scalar(false, 'bool');
    while (i < steps) {
      const next = T.tanh(T.matMul(x, W));
      if (T.max(T.abs(next - x)) < 1e-4) {
        converged = T.scalar(true, 'bool');
        break;
      }
      x = next;
      i++;
    }
    return [x, T.argMax(x, 1), converged];
  };
  const W = tf.tensor2d([
    [0.5, -0.25, 0.1],
    [0.125, 0.5, 0.2],
    [0.3, -0.1, 0.4],
  ]);

  /** A session's three outputs as plain data. */
  const ortOutputs = (
    out: Record<string, { type: string; dims: readonly number[]; data: unknown }>,
  ): Plain => ({
    array: ['output0', 'output1', 'output2'].map((k) => ({
      tensor: {
        dtype: out[k]!.type,
        shape: [...out[k]!.dims],
        values: Array.from(out[k]!.data as Float32Array, Number),
      },
    })),
  });

  it('give the same outputs in onnxruntime-node and onnxruntime-web (WASM) as the staged call', async () => {
    const node = await import('onnxruntime-node');
    const web = await import('onnxruntime-web');
    web.env.wasm.numThreads = 1;
    const f = ag.stage(settle, { scope: { T, W } });
    const data = Float32Array.from([0.9, -0.4, 0.3, 0.1, 0.2, -0.8]);
    const x = tf.tensor2d(data, [2, 3]);
    const bytes = f.exportOnnxBytes(x, 50);
    const staged = (await f(x, 50)) as tf.Tensor[];
    const expected = toArrays(staged);
    const runtimes = [node, web] as unknown as (typeof node)[];
    for (const ort of runtimes) {
      const session = await ort.InferenceSession.create(bytes);
      const got = ortOutputs(await session.run({ input0: new ort.Tensor('float32', data, [2, 3]) }));
      // The WASM build's kernels (SIMD tanh, matmul) round differently in the last bits.
      expect(difference(expected, got)).toBeNull();
      await session.release();
    }
    tf.dispose([x, ...staged]);
    await f.dispose();
  });

  it('exported with a dynamic batch (dim_param), run at several batch sizes in both runtimes', async () => {
    const node = await import('onnxruntime-node');
    const web = await import('onnxruntime-web');
    web.env.wasm.numThreads = 1;
    const f = ag.stage(settle, { scope: { T, W } });
    const bytes = f.exportOnnxBytes(ag.spec(['batch', 3]), 50);
    for (const ort of [node, web] as unknown as (typeof node)[]) {
      const session = await ort.InferenceSession.create(bytes);
      for (const rows of [1, 2, 5]) {
        const data = Float32Array.from({ length: rows * 3 }, (_, i) => Math.sin(i + rows));
        const x = tf.tensor2d(data, [rows, 3]);
        const staged = (await f(x, 50)) as tf.Tensor[];
        const got = ortOutputs(await session.run({ input0: new ort.Tensor('float32', data, [rows, 3]) }));
        expect(difference(toArrays(staged), got), `batch ${rows}`).toBeNull();
        tf.dispose([x, ...staged]);
      }
      await session.release();
    }
    await f.dispose();
  });
});

describe('integer floor division', () => {
  it('is exact beyond float32 integers, by a variable or a constant divisor, with tfjs 0 for x / 0', async () => {
    const fn = (a: any, b: any) => [
      T.floorDiv(a, b),
      T.floorDiv(a, T.scalar(-3, 'int32')),
      T.floorDiv(a, T.scalar(4, 'int32')),
    ];
    const a = [2 ** 30 + 1, -(2 ** 30) - 1, 16_777_217, 7, -7, 0, 5];
    const b = [3, 7, -2, 2, 2, 5, 0];
    const floor = (x: number, y: number) => (y === 0 ? 0 : Math.floor(x / y) + 0); // no -0 in int32
    const expected = [
      a.map((x, i) => floor(x, b[i]!)),
      a.map((x) => floor(x, -3)),
      a.map((x) => floor(x, 4)),
    ];
    for (const executor of EXECUTORS) {
      const { result } = await stagedRun(fn, executor, () => [
        tf.tensor1d(a, 'int32'),
        tf.tensor1d(b, 'int32'),
      ]);
      expect(tensorValues(result), executor).toEqual(expected);
    }
  });
});

describe('NaN in reductions, as tfjs has it', () => {
  it('max/min are NaN wherever a reduced element is; argMax/argMin skip NaN unless it comes first', async () => {
    const fn = (x: any) => [
      T.max(x),
      T.min(x, 1),
      T.max(x, 0),
      T.argMax(x, 1),
      T.argMin(x, 0),
      T.argMax(x, 0),
    ];
    const x = () =>
      tf.tensor2d([
        [1, Number.NaN, 2, -1],
        [Number.NaN, 1, 2, 5],
        [3, 2, Number.NaN, 0],
      ]);
    const [onOrt, onTfjs] = [
      await stagedRun(fn, 'onnx', () => [x()]),
      await stagedRun(fn, 'tfjs', () => [x()]),
    ];
    expect(difference(onTfjs!.result, onOrt!.result, { abs: 0, rel: 0 })).toBeNull();
  });
});

describe('regressions found by the benchmarks', () => {
  it('concat of float32 and int32 converts to the first dtype, as tfjs does', async () => {
    const fn = (a: any, b: any) => T.concat([a, b], 0);
    for (const executor of EXECUTORS) {
      const { result } = await stagedRun(fn, executor, () => [tf.tensor1d([1.5]), tf.tensor1d([2], 'int32')]);
      const { dtype, values } = 'tensor' in result ? result.tensor : { dtype: 'none', values: [] };
      expect([dtype, values], executor).toEqual(['float32', [1.5, 2]]);
    }
  });

  it('mean divides before it sums, as tfjs: the mean of values summing to 0 keeps its sign', async () => {
    // Dividing after the sum (or ONNX ReduceMean) gives exactly 0 here, where tfjs gives 2.2e-8 and a
    // branch on `mean > 0` goes the other way. Sums accumulate in float32 on ORT (float64 in tfjs),
    // so the last bits may still differ.
    const fn = (y: any) => {
      const b = T.mean(y);
      return [b, b > 0 ? 1 : -1];
    };
    for (const executor of EXECUTORS) {
      const { result } = await stagedRun(fn, executor, () => [tf.tensor1d([0.25, 0.8125, -1.0625])]);
      const [mean, sign] = tensorValues(result).map((v) => v[0]!);
      expect(mean, executor).toBeCloseTo(2.2351741790771484e-8, 7);
      expect([mean! > 0, sign], executor).toEqual([true, 1]);
    }
  });

  it('tf.split stages (SplitV), in equal parts or by sizes', async () => {
    const fn = (x: any) => [...T.split(x, 2, 1), ...T.split(x, [1, -1], 0)];
    const x = () => tf.tensor2d([1, 2, 3, 4, 5, 6, 7, 8], [2, 4]);
    const eager = toArrays(ag.convert(fn, { form: 'eager', scope })(x()));
    for (const executor of EXECUTORS) {
      const { result } = await stagedRun(fn, executor, () => [x()]);
      expect(difference(eager, result, { abs: 0, rel: 0 }), executor).toBeNull();
    }
  });

  it('a generated program whose float sum feeds an If nested in a Loop runs on ORT as on tfjs', async () => {
    const source = readFileSync(new URL('./fixtures/onnx/nested-if-sum.js', import.meta.url), 'utf8');
    const text = source.slice(source.indexOf('function'), source.lastIndexOf('}') + 1);
    const fn = new Function('T', `return (${text})`)(T);
    const args = () => [tf.tensor1d([-2.5, 1.25, -1.1875]), tf.tensor1d([-0.8125, -0.0625, 0.1875]), 3];
    const [onOrt, onTfjs] = [await stagedRun(fn, 'onnx', args), await stagedRun(fn, 'tfjs', args)];
    expect(difference(onTfjs.result, onOrt.result)).toBeNull();
  });

  it('a case a lowering refuses is a StagingError', async () => {
    const f = ag.stage((x: any, i: any) => T.gather(x, i, 1, 1), { scope });
    const x = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    await expect(f(x, tf.tensor2d([[0], [1]], [2, 1], 'int32'))).rejects.toThrow(
      expect.objectContaining({ name: 'StagingError', message: expect.stringContaining('batchDims 1') }),
    );
  });
});

describe('a where with a broadcast condition', () => {
  it('selects with the condition itself (no bool Tile), on both executors', async () => {
    const fn = (x: any, limits: any, y: any) => [
      T.where(T.less(limits, 2), x, y),
      T.where(T.greater(x, 0), x, y),
    ];
    const args = (): [tf.Tensor, tf.Tensor, tf.Tensor] => [
      tf.tensor2d([
        [1, -2, 3],
        [-4, 5, -6],
      ]),
      tf.tensor2d([[1], [3]]),
      tf.zeros([2, 3]),
    ];
    const results: Plain[] = [];
    for (const executor of EXECUTORS) {
      const { ir, result } = await stagedRun(fn, executor, args);
      expect(ir).not.toContain('Tile(');
      expect(ir).toContain('broadcast: true');
      results.push(result);
    }
    expect(results[0]).toEqual(results[1]);
    expect(results[0]).toEqual(
      toArrays([
        tf.tensor2d([
          [1, -2, 3],
          [0, 0, 0],
        ]),
        tf.tensor2d([
          [1, 0, 3],
          [0, 5, 0],
        ]),
      ]),
    );
  });
});

describe('sessions', () => {
  it('one per traced signature, created once, released by dispose', async () => {
    const { InferenceSession } = await import('onnxruntime-node');
    const created = vi.spyOn(InferenceSession, 'create');
    // the factory's type hides the class behind it, whose sessions share this prototype
    const prototype = (InferenceSession as unknown as { prototype: { release(): Promise<void> } }).prototype;
    const released = vi.spyOn(prototype, 'release');
    try {
      const f = ag.stage((x: any) => x * 2, { scope });
      for (const shape of [[2], [2], [3], [2]]) tf.dispose(await f(tf.ones(shape)));
      expect(created).toHaveBeenCalledTimes(2);
      expect(released).not.toHaveBeenCalled();
      await f.dispose();
      expect(released).toHaveBeenCalledTimes(2);
      expect(f.traceCount).toBe(0);
    } finally {
      created.mockRestore();
      released.mockRestore();
    }
  });
});

describe('tfjs logSoftmax', () => {
  it('becomes one LogSoftmax, agreeing with eager on both executors', async () => {
    const fn = (x: any) => [T.logSoftmax(x), T.logSoftmax(x, 1), T.logSoftmax(T.mul(x, 1000))];
    const x = () =>
      tf.tensor2d([
        [1, -2, 3.5, Number.NEGATIVE_INFINITY],
        [0.25, 0, -7, 2],
      ]);
    const eager = toArrays(ag.convert(fn, { form: 'eager', scope })(x()));
    for (const executor of EXECUTORS) {
      const { ir, result } = await stagedRun(fn, executor, () => [x()]);
      expect(ir.match(/LogSoftmax\(/g), executor).toHaveLength(2); // axis -1 and 1 merged by CSE
      expect(ir).not.toContain('Exp(');
      expect(difference(eager, result), executor).toBeNull();
    }
  });
});

describe('modulo', () => {
  const a = [7.5, -7.5, 7.5, -7.5, 0, 1e8 + 8, 3, Number.POSITIVE_INFINITY, 5, -2.25];
  const b = [2, 2, -2, -2, 3, 3, Number.POSITIVE_INFINITY, 2, 0, Number.NEGATIVE_INFINITY];
  const run = async (fn: (...args: any[]) => unknown, check: (ir: string) => void) => {
    const args = () => [tf.tensor1d(a), tf.tensor1d(b)];
    const eager = toArrays(ag.convert(fn, { form: 'eager', scope })(...args()));
    for (const executor of EXECUTORS) {
      const { ir, result } = await stagedRun(fn, executor, args);
      check(ir);
      expect(difference(eager, result, { abs: 0, rel: 0 }), executor).toBeNull();
    }
  };

  it("JS `%` on tensors is one JsMod with JS's results (infinities, zero, large quotients)", async () => {
    await run(
      (x: any, y: any) => [x % y, x % 2],
      (ir) => expect(ir.match(/JsMod\(/g)).toHaveLength(2),
    );
  });

  it("tfjs's mod (the divisor's sign) is exact on ONNX Runtime too, and int32 by 0 gives 0", async () => {
    await run(
      (x: any, y: any) => [T.mod(x, y), T.mod(T.cast(x, 'int32'), T.cast(y, 'int32'))],
      (ir) => expect(ir).toContain('Mod('),
    );
  });
});
