/**
 * Scan outputs (passes/scan-outputs.ts): a list that a staged loop only appends to leaves the loop as a
 * `while` scan output (ONNX Loop's), not a loop value copied by a Concat every iteration. Each program
 * runs converted in eager form and staged on both executors; the results must agree, and the IR shows
 * whether the pass fired. The IR-level tests build `while` nodes with scans by hand.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import { lowerToOnnx } from '../src/backends/onnx/lower.ts';
import { execute } from '../src/backends/tfjs/executor.ts';
import { IRFunction, type Node, Region, type Value, ValueFactory } from '../src/ir/graph.ts';
import { optimize } from '../src/ir/passes/pipeline.ts';
import { printFunction } from '../src/ir/print.ts';
import { type TensorType, tensorType } from '../src/ir/types.ts';
import { IRVerificationError, verify } from '../src/ir/verify.ts';
import * as ag from '../src/index.ts';
import { difference, toArrays } from './staged/compare.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const T: any = { ...tf };
const scope = { T };
const i32 = (n: number) => tf.scalar(n, 'int32');

/** Eager vs staged (both executors) on each argument list; returns the ORT trace's IR for the first call. */
async function agree(fn: (...a: any[]) => unknown, ...calls: unknown[][]): Promise<string> {
  let graph = '';
  for (const executor of ['onnx', 'tfjs', 'js'] as const) {
    const staged = ag.stage(fn, { scope, executor });
    for (const args of calls) {
      const eager = ag.convert(fn, { scope })(...args);
      const out = await staged(...(args as []));
      const diff = difference(toArrays(eager), toArrays(out));
      expect(diff, `${executor} on ${JSON.stringify(toArrays(args))}`).toBeNull();
    }
    if (executor === 'onnx') graph = staged.graph(...(calls[0] as []));
    await staged.dispose();
  }
  return graph;
}

/** The `body(...)` regions of the printed IR (every while, outer ones first), each as its text. */
function bodies(graph: string): string[] {
  const lines = graph.split('\n');
  const out: string[] = [];
  lines.forEach((line, i) => {
    const m = /^( *)body\(/.exec(line);
    if (!m) return;
    const end = lines.findIndex((l, k) => k > i && l === `${m[1]}}`);
    out.push(lines.slice(i, end + 1).join('\n'));
  });
  return out;
}

const scansOf = (graph: string) =>
  [...graph.matchAll(/\{(?:[^}]*, )?scans: (\d+)/g)].map((m) => Number(m[1]));

describe('lists a staged loop only appends to become scan outputs', () => {
  it('greedy decoding: pushes of a data-dependent length', async () => {
    const table = tf.tensor1d([3, 0, 4, 2, 1], 'int32'); // next token of each token; 0 ends
    const decode = (start: any) => {
      const tokens = [];
      let tok = start;
      let steps = 0;
      while (tok != 0 && steps < 10) {
        tokens.push(tok);
        tok = T.gather(table, tok);
        steps = steps + 1;
      }
      return T.stack(tokens);
    };
    for (const executor of ['onnx', 'tfjs', 'js'] as const) {
      const f = ag.stage(decode, { scope: { T, table }, executor });
      for (const [start, expected] of [
        [1, [1]],
        [2, [2, 4, 1]],
        [3, [3, 2, 4, 1]],
        [0, []],
      ] as const) {
        const out = (await f(i32(start))) as tf.Tensor;
        expect(out.shape, `${executor} from ${start}`).toEqual([expected.length]);
        expect(Array.from(out.dataSync())).toEqual(expected);
      }
      const graph = f.graph(i32(1));
      expect(scansOf(graph)).toEqual([1]);
      expect(bodies(graph)[0]).not.toContain('Concat');
      expect(graph).toMatch(/yield (%\d+, )+%\d+ scan %\d+/);
      await f.dispose();
    }
  });

  it('prefix sums', async () => {
    const graph = await agree(
      (x: any, n: any) => {
        const sums = [];
        let s = T.scalar(0);
        for (let i = 0; i < n; i++) {
          s = s + x[i];
          sums.push(s);
        }
        return T.stack(sums);
      },
      [tf.tensor1d([1, 2, 3, 4, 5]), i32(5)],
      [tf.tensor1d([1, -2, 3, 0.5, 5]), i32(2)],
    );
    expect(scansOf(graph)).toEqual([1]);
    expect(bodies(graph)[0]).not.toContain('Concat');
  });

  it('a list with initial elements: the stacked rows follow them', async () => {
    const graph = await agree(
      (x: any, n: any) => {
        const rows = [T.zeros([3]), T.ones([3])];
        let i = 0;
        while (i < n) {
          x = x * 2;
          rows.push(x);
          i = i + 1;
        }
        return T.stack(rows);
      },
      [tf.tensor1d([1, 2, 3]), i32(3)],
      [tf.tensor1d([1, 2, 3]), i32(0)],
    );
    expect(scansOf(graph)).toEqual([1]);
    expect(bodies(graph)[0]).not.toContain('Concat');
    expect(graph).toContain('Concat'); // after the loop: the initial rows and the stacked ones
  });

  it('two lists in one loop, and two pushes per iteration', async () => {
    const graph = await agree(
      (x: any, n: any) => {
        const a = [];
        const b = [];
        let i = 0;
        while (i < n) {
          x = T.tanh(x + 1);
          a.push(x);
          b.push(T.sum(x));
          b.push(T.max(x));
          i = i + 1;
        }
        return [T.stack(a), T.stack(b)];
      },
      [tf.tensor2d([1, 2, 3, 4], [2, 2]), i32(4)],
      [tf.tensor2d([1, 2, 3, 4], [2, 2]), i32(1)],
    );
    expect(scansOf(graph)).toEqual([2]);
    // a's element, and b's two rows of each iteration (flattened after the loop)
    expect(bodies(graph)[0]).toMatch(/yield %\d+, %\d+, %\d+ scan %\d+, %\d+/);
    expect(graph).toMatch(/= Reshape\(%\d+\) \{shape: \[-1\]\}/);
  });

  it('a push of several items at once', async () => {
    const graph = await agree(
      (x: any, n: any) => {
        const a = [];
        for (let i = 0; i < n; i++) {
          x = x + 1;
          a.push(x, x * 10);
        }
        return T.stack(a);
      },
      [tf.tensor1d([1, 2]), i32(3)],
    );
    expect(scansOf(graph)).toEqual([1]);
    expect(graph).toContain('Reshape'); // [iterations, 2, 2] → [iterations * 2, 2]
  });

  it('zero iterations give an empty [0, ...element]', async () => {
    const collect = (x: any, n: any) => {
      const rows = [];
      let i = 0;
      while (i < n) {
        x = T.tanh(x);
        rows.push(x);
        i = i + 1;
      }
      return T.stack(rows);
    };
    for (const executor of ['onnx', 'tfjs', 'js'] as const) {
      const f = ag.stage(collect, { scope, executor });
      const x = tf.randomNormal([2, 3]);
      const empty = (await f(x, i32(0))) as tf.Tensor;
      expect(empty.shape, executor).toEqual([0, 2, 3]);
      expect(empty.dtype).toBe('float32');
      const full = (await f(x, i32(3))) as tf.Tensor;
      const eager = ag.convert(collect, { scope })(x, i32(3));
      expect(difference(toArrays(eager), toArrays(full))).toBeNull();
      expect(scansOf(f.graph(x, i32(0)))).toEqual([1]);
      await f.dispose();
    }
  });

  it('nested loops: the inner list is built fresh each outer iteration, both become scans', async () => {
    const graph = await agree(
      (x: any, n: any, m: any) => {
        const outer = [];
        for (let i = 0; i < n; i++) {
          const inner = [];
          for (let j = 0; j < m; j++) {
            x = x * 0.5 + 1;
            inner.push(x);
          }
          outer.push(T.sum(T.stack(inner), 0));
        }
        return T.stack(outer);
      },
      [tf.tensor1d([1, 2]), i32(3), i32(2)],
      [tf.tensor1d([1, 2]), i32(2), i32(4)],
    );
    expect(scansOf(graph)).toEqual([1, 1]);
    for (const body of bodies(graph)) expect(body).not.toMatch(/= Concat/);
  });

  it('an outer list pushed from an inner loop: the inner loop scans, the outer keeps the list', async () => {
    const graph = await agree(
      (x: any, n: any, m: any) => {
        const rows = [];
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < m; j++) {
            x = x + 1;
            rows.push(x);
          }
          rows.push(x * -1);
        }
        return T.stack(rows);
      },
      [tf.tensor1d([1, 2]), i32(3), i32(2)],
      [tf.tensor1d([1, 2]), i32(2), i32(0)],
    );
    // the inner loop appends to the list it enters with: a scan, joined to those rows after it
    expect(scansOf(graph)).toEqual([1]);
  });

  it('pushes of a loop-invariant value, of int32 and of bool elements', async () => {
    const graph = await agree(
      (x: any, n: any) => {
        const c = T.tensor1d([7, 8]);
        const same = [];
        const counts = [];
        const flags = [];
        for (let i = 0; i < n; i++) {
          x = x * -2;
          same.push(c);
          counts.push(T.cast(T.sum(x), 'int32'));
          flags.push(T.sum(x) > 0);
        }
        return [T.stack(same), T.stack(counts), T.stack(flags)];
      },
      [tf.tensor1d([1, 2]), i32(4)],
    );
    expect(scansOf(graph)).toEqual([3]);
  });

  it('a counted loop: trip count and scan output together', async () => {
    const graph = await agree(
      (x: any) => {
        const rows = [];
        for (let i = 0; i < 5 && T.sum(x) < 1000; i++) {
          x = x + i;
          rows.push(x);
        }
        return T.stack(rows);
      },
      [tf.tensor1d([1, 2])],
      [tf.tensor1d([400, 2])],
    );
    expect(graph).toMatch(/tripCount: 5, scans: 1/);
  });

  it('a loop that prints: the print log stays a loop value, before the scan outputs', async () => {
    const lines: unknown[][] = [];
    const original = console.log;
    console.log = (...parts: unknown[]) => lines.push(parts);
    try {
      const graph = await agree(
        (x: any, n: any) => {
          const rows = [];
          for (let i = 0; i < n; i++) {
            x = x + 1;
            console.log('step', i);
            rows.push(x);
          }
          return T.stack(rows);
        },
        [tf.tensor1d([1, 2]), i32(3)],
      );
      expect(scansOf(graph)).toEqual([1]);
    } finally {
      console.log = original;
    }
    // ORT, tfjs and compiled JS each printed three steps, and so did the eager run beside each
    expect(lines.filter((l) => l[0] === 'step')).toHaveLength(18);
  });
});

describe('lists the pass leaves as loop values', () => {
  it('a list read in the body (length, an element) is not rewritten, and stays right', async () => {
    const graph = await agree(
      (x: any, n: any) => {
        const rows = [T.zeros([2])];
        let i = 0;
        while (i < n) {
          x = x + rows[rows.length - 1];
          rows.push(x + 1);
          i = i + 1;
        }
        return [T.stack(rows), rows.length];
      },
      [tf.tensor1d([1, 2]), i32(4)],
      [tf.tensor1d([1, 2]), i32(0)],
    );
    expect(scansOf(graph)).toEqual([]);
    expect(bodies(graph)[0]).toContain('Concat');
  });

  it('a list read after a push in the same iteration is not rewritten', async () => {
    const graph = await agree(
      (x: any, n: any) => {
        const rows = [];
        let total = T.scalar(0);
        for (let i = 0; i < n; i++) {
          rows.push(x * i);
          total = total + T.sum(T.stack(rows));
        }
        return [T.stack(rows), total];
      },
      [tf.tensor1d([1, 2]), i32(3)],
    );
    expect(scansOf(graph)).toEqual([]);
  });

  it('a push under a staged if (a cond merging two lists) is not rewritten, and stays right', async () => {
    const graph = await agree(
      (x: any, n: any) => {
        const rows = [];
        for (let i = 0; i < n; i++) {
          x = x - 1;
          if (T.sum(x) > 0) rows.push(x);
        }
        return T.stack(rows);
      },
      [tf.tensor1d([3, 4]), i32(6)],
    );
    expect(scansOf(graph)).toEqual([]);
  });

  it('a pop in the body is not rewritten', async () => {
    const graph = await agree(
      (x: any, n: any) => {
        const rows = [x];
        for (let i = 0; i < n; i++) {
          rows.push(x + i);
          rows.push(x * i);
          rows.pop();
        }
        return T.stack(rows);
      },
      [tf.tensor1d([3, 4]), i32(3)],
    );
    expect(scansOf(graph)).toEqual([]);
  });
});

/** IR built by hand: a loop of n iterations scanning its counter times x. */
function scanLoop(element: TensorType = tensorType('float32', [2]), outputType?: TensorType) {
  const values = new ValueFactory();
  const boolT = tensorType('bool', []);
  const i32T = tensorType('int32', []);
  const [x, n] = [values.value(element), values.value(i32T)];
  const nodes: Node[] = [];
  const emit = (into: Node[], op: string, inputs: Value[], out: TensorType, attrs = {}) => {
    const node = values.node(op, inputs, attrs, [out]);
    into.push(node);
    return node.outputs[0]!;
  };
  const zero = emit(nodes, 'Const', [], i32T, { value: Int32Array.of(0), dtype: 'int32', shape: [] });
  const one = emit(nodes, 'Const', [], i32T, { value: Int32Array.of(1), dtype: 'int32', shape: [] });
  const go = emit(nodes, 'Less', [zero, n], boolT);
  const params = () => [values.value(boolT), values.value(i32T)];
  const testParams = params();
  const bodyParams = params();
  const bodyNodes: Node[] = [];
  const next = emit(bodyNodes, 'Add', [bodyParams[1]!, one], i32T);
  const more = emit(bodyNodes, 'Less', [next, n], boolT);
  const asFloat = emit(bodyNodes, 'Cast', [next], tensorType(element.dtype, []), { dtype: element.dtype });
  const row = emit(bodyNodes, 'Multiply', [x, asFloat], element);
  const loop = values.node(
    'while',
    [go, zero],
    { scans: 1 },
    [boolT, i32T, outputType ?? tensorType(element.dtype, [null, ...element.shape])],
    [new Region(testParams, [], [testParams[0]!]), new Region(bodyParams, bodyNodes, [more, next, row])],
  );
  nodes.push(loop);
  return new IRFunction('scan', new Region([x, n], nodes, [loop.outputs[2]!, loop.outputs[1]!]), values);
}

describe('while scan outputs in the IR', () => {
  it('verifies, prints the scan values apart, survives every pass, and runs on tfjs and ORT', async () => {
    const fn = scanLoop();
    verify(fn);
    expect(printFunction(fn)).toMatch(/= while\(%\d+, %\d+\) \{scans: 1\} \{/);
    expect(printFunction(fn)).toMatch(/yield %\d+, %\d+ scan %\d+/);
    optimize(fn, tf as any);
    const ort = createRequire(import.meta.url)('onnxruntime-node') as typeof import('onnxruntime-node');
    const session = await ort.InferenceSession.create(lowerToOnnx(fn));
    for (const n of [0, 1, 3]) {
      const x = tf.tensor1d([1, -2]);
      const [rows, count] = execute(fn, [x, tf.scalar(n, 'int32')], tf);
      const expected = Array.from({ length: n }, (_, k) => [k + 1, -2 * (k + 1)]);
      expect(rows!.shape).toEqual([n, 2]);
      expect(rows!.arraySync()).toEqual(expected);
      expect(count!.dataSync()[0]).toBe(n);
      const out = await session.run({
        input0: new ort.Tensor('float32', Float32Array.of(1, -2), [2]),
        input1: new ort.Tensor('int32', Int32Array.of(n), []),
      });
      expect(out.output0!.dims).toEqual([n, 2]);
      expect(Array.from(out.output0!.data as Float32Array)).toEqual(expected.flat());
    }
    await session.release();
  });

  it('a zero-iteration scan of an element with a dynamic dim is [0, 0] on both executors', async () => {
    const element = tensorType('float32', [null]);
    const fn = scanLoop(element);
    verify(fn);
    const ort = createRequire(import.meta.url)('onnxruntime-node') as typeof import('onnxruntime-node');
    const session = await ort.InferenceSession.create(lowerToOnnx(fn));
    const out = await session.run({
      input0: new ort.Tensor('float32', Float32Array.of(1, 2, 3), [3]),
      input1: new ort.Tensor('int32', Int32Array.of(0), []),
    });
    expect(out.output0!.dims).toEqual([0, 0]);
    await session.release();
    const [rows] = execute(fn, [tf.tensor1d([1, 2, 3]), tf.scalar(0, 'int32')], tf);
    expect(rows!.shape).toEqual([0, 0]);
  });

  it('the verifier checks the scan outputs: count and stacked types', () => {
    expect(() => verify(scanLoop(undefined, tensorType('float32', [3, 2])))).toThrow(IRVerificationError);
    expect(() => verify(scanLoop(undefined, tensorType('float32', [null, 3])))).toThrow(
      /outputs: .*f32\[\?,3\].* where .*f32\[\?,2\].* is expected/,
    );
    const fn = scanLoop();
    const loop = fn.body.nodes.find((n) => n.op === 'while')!;
    loop.attrs = { scans: 2 };
    expect(() => verify(fn)).toThrow(/3 results where 2 loop values and 2 scan values are expected/);
    loop.attrs = { scans: -1 };
    expect(() => verify(fn)).toThrow(/scans must be a non-negative integer/);
  });
});
