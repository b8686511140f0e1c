import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import * as ag from '../src/index.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const values = (t: unknown) => Array.from((t as tf.Tensor).dataSync());
/** Staged functions are converted from their source text here (no loader): vitest rewrites references
 * to imports, so they use this plain-object alias of tfjs, passed in `scope`. */
// typed any: TypeScript cannot type operators on tensors
const T: any = { ...tf };
const scope = { T };

describe('ag.stage', () => {
  it('stages a tensor-dependent while loop with a JS counter, like the DESIGN example', async () => {
    const f = ag.stage(
      function shrink(x: any, steps: number) {
        let i = 0;
        while (T.sum(x) > 1 && i < steps) {
          x = x * 0.5;
          i += 1;
        }
        return [x, i];
      },
      { scope },
    );
    const [x, i] = await f(tf.ones([4]), 10); // sum 4 → 2 → 1: two halvings
    expect(values(x)).toEqual([0.25, 0.25, 0.25, 0.25]);
    expect(values(i)).toEqual([2]);
    const [x2, i2] = await f(tf.ones([4]), 1);
    expect(values(x2)).toEqual([0.5, 0.5, 0.5, 0.5]);
    expect(values(i2)).toEqual([1]);
    const graph = f.graph(tf.ones([4]), 10);
    expect(graph).toContain('= while(');
    expect(graph).toContain('= Sum(');
  });

  it('stages if/else on a tensor condition with both branches traced, and ?: on tensors', async () => {
    const f = ag.stage(
      (x: any) => {
        let y: any;
        if (T.sum(x) > 0) {
          y = x * 2;
        } else {
          y = -x;
        }
        return T.max(x) > 3 ? y + 1 : y - 1;
      },
      { scope },
    );
    for (const input of [
      [1, 2, 3],
      [-1, -2, 5],
      [-4, 1, 1],
    ]) {
      const expected = eagerReference(input);
      expect(values(await f(tf.tensor1d(input)))).toEqual(expected);
    }
    expect(f.graph(tf.tensor1d([1, 2, 3])).match(/= cond\(/g)).toHaveLength(2);
  });

  it('retraces only for a new signature, and explains why', async () => {
    const reasons: string[] = [];
    const f = ag.stage((x: any, k: number) => x * k, { explainRetrace: (r) => reasons.push(r) });
    await f(tf.ones([2]), 3);
    await f(tf.zeros([2]), 3);
    expect(f.traceCount).toBe(1);
    await f(tf.ones([3]), 3);
    await f(tf.ones([3]), 4);
    expect(f.traceCount).toBe(3);
    expect(reasons[1]).toContain('argument 0 changed from float32[2] to float32[3]');
    expect(reasons[2]).toContain('argument 1 changed from number 3 to number 4');
  });

  it('dtype changes in a staged loop are StagingErrors naming the variable', async () => {
    const f = ag.stage(
      (x: any) => {
        let y = T.scalar(1, 'int32');
        while (T.sum(x) > 0) {
          y = T.scalar(0.5);
          x = x - 1;
        }
        return y;
      },
      { scope },
    );
    await expect(f(tf.ones([2]))).rejects.toThrow(
      /'y' is int32 \[\] before the loop but float32 \[\] after one iteration/,
    );
  });

  it('does not leak tensors across 1,000 calls', async () => {
    const f = ag.stage(
      (x: any) => {
        let n = 0;
        while (T.sum(x) > 0.5) {
          x = x * 0.5;
          n++;
        }
        return n;
      },
      { scope },
    );
    const input = tf.ones([3]);
    (await f(input)).dispose();
    const start = tf.memory().numTensors;
    for (let i = 0; i < 1000; i++) (await f(input)).dispose();
    expect(tf.memory().numTensors).toBe(start);
  });
});

function eagerReference(input: number[]): number[] {
  const sum = input.reduce((a, b) => a + b, 0);
  const y = sum > 0 ? input.map((v) => v * 2) : input.map((v) => -v);
  return Math.max(...input) > 3 ? y.map((v) => v + 1) : y.map((v) => v - 1);
}

describe('ag.stage: parameter default values', () => {
  it('a default reading an earlier tensor parameter is staged, and so is a tensor condition in a default', async () => {
    const f = ag.stage(
      function scaledOrNegated(x: any, y = x * 2, sign = T.sum(y) > 0 ? 1 : -1) {
        return y * sign;
      },
      { scope },
    );
    expect(values(await f(tf.tensor1d([1, 2])))).toEqual([2, 4]);
    expect(values(await f(tf.tensor1d([-1, -2])))).toEqual([2, 4]);
    expect(f.graph(tf.tensor1d([1, 2]))).toContain('= Select(');
  });
});

describe('ag.stage: jumps, values defined in loops, for…of and print', () => {
  it('break and early return inside a staged loop become flags carried by the loop', async () => {
    const firstAbove = (x: any, limit: number) => {
      let i = 0;
      let acc = T.zerosLike(x);
      while (i < 10 && T.sum(acc) < 100) {
        acc = acc + x;
        if (T.sum(acc) > limit) {
          return acc * -1;
        }
        i++;
        if (T.max(acc) > 50) break;
      }
      return acc;
    };
    const f = ag.stage(firstAbove, { scope });
    const eager = ag.convert(firstAbove, { form: 'eager', scope });
    for (const [input, limit] of [
      [[1, 2], 7],
      [[5, 5], 1000],
      [[0.5, 0.25], 2],
      [[20, 1], 1000],
    ] as const) {
      const x = tf.tensor1d(input as unknown as number[]);
      expect(values(await f(x, limit)), `${input} ${limit}`).toEqual(values(eager(x, limit)));
    }
    expect(f.graph(tf.tensor1d([1, 2]), 7)).toContain('= while(');
  });

  it('a variable first assigned inside a staged loop enters as zeros of its traced type', async () => {
    const f = ag.stage(
      (x: any) => {
        let last: any;
        while (T.sum(x) > 1) {
          last = x * 2;
          x = x * 0.5;
        }
        return [x, last ?? T.zerosLike(x)];
      },
      { scope },
    );
    const [x, last] = await f(tf.tensor1d([2, 2])); // sum 4 → 2 → 1
    expect(values(x)).toEqual([0.5, 0.5]);
    expect(values(last)).toEqual([2, 2]);
  });

  it('for…of over a symbolic tensor iterates its rows in a staged loop', async () => {
    const f = ag.stage(
      (m: any) => {
        let total = T.zeros([2]);
        for (const row of m) {
          if (T.sum(row) < 0) continue;
          total = total + row;
        }
        return total;
      },
      { scope },
    );
    const m = tf.tensor2d([
      [1, 2],
      [-5, 1],
      [3, 4],
    ]);
    expect(values(await f(m))).toEqual([4, 6]);
    expect(f.graph(m)).toContain('GatherV2(');
  });

  it('console.log of symbolic values prints when the graph runs, in order', async () => {
    const lines: unknown[][] = [];
    const original = console.log;
    const f = ag.stage(
      (x: any) => {
        let n = 0;
        while (T.sum(x) > 1) {
          console.log('step', n);
          x = x * 0.5;
          n++;
        }
        console.log('done', x);
        return x;
      },
      { scope },
    );
    console.log = (...args: unknown[]) => lines.push(args);
    try {
      await f(tf.tensor1d([2, 2]));
      lines.length = 0; // the first call also traced
      await f(tf.tensor1d([2, 2]));
    } finally {
      console.log = original;
    }
    expect(lines.map((l) => l[0])).toEqual(['step', 'step', 'done']); // sum 4 → 2 → 1
  });
});

describe('ag.stage: ONNX export', () => {
  it('exports a model that onnxruntime-node loads and runs with the staged results', async () => {
    const { InferenceSession, Tensor } = await import('onnxruntime-node');
    const { mkdtemp, readFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const f = ag.stage(
      (x: any) => {
        let n = 0;
        while (T.sum(x) > 1) {
          x = x * 0.5;
          n++;
        }
        return [x, n];
      },
      { scope },
    );
    const input = tf.tensor1d([4, 4]);
    const path = join(await mkdtemp(join(tmpdir(), 'ag-')), 'f.onnx');
    await f.exportOnnx([input], path);
    const session = await InferenceSession.create(await readFile(path));
    const out = await session.run({ input0: new Tensor('float32', Float32Array.from([4, 4]), [2]) });
    const [x, n] = (await f(input)) as tf.Tensor[];
    expect(Array.from(out.output0!.data as Float32Array)).toEqual(values(x));
    expect(Array.from(out.output1!.data as Float32Array)).toEqual(values(n));
    expect(values(x)).toEqual([0.5, 0.5]); // sum 8 → 4 → 2 → 1
  });
});
