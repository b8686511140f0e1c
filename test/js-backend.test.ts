/**
 * The compiled-JS backend at the IR level: every scalar lowering against the tfjs kernel it stands for
 * (bit for bit, edge values included), recursion through `call` nodes (built by hand: fib, mutual
 * recursion, a tensor recursion) against the tfjs executor, and the memory it leaves behind. The
 * staged corpus runs on it through `executor: 'js'` (staged.test.ts and the other executor loops).
 */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import * as ag from '../src/index.ts';
import { compiledSource, executeJs } from '../src/backends/js/executor.ts';
import { SMALL_TENSOR } from '../src/backends/js/kinds.ts';
import { execute } from '../src/backends/tfjs/executor.ts';
import { type Attrs, IRFunction, Region, type Value, ValueFactory } from '../src/ir/graph.ts';
import { opDef, registeredOps } from '../src/ir/ops/index.ts';
import { type DType, type TensorType, tensorType } from '../src/ir/types.ts';
import { verify } from '../src/ir/verify.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const scalar = (dtype: DType) => tensorType(dtype, []);

/** Builds one IR function (nodes go to the innermost open region). */
function builder() {
  const values = new ValueFactory();
  const nodes: import('../src/ir/graph.ts').Node[][] = [[]];
  const emit = (op: string, inputs: Value[], attrs: Attrs = {}, out?: TensorType) => {
    const type =
      out ??
      opDef(op)!.infer(
        inputs.map((v) => v.type),
        attrs,
      )[0]!;
    const n = values.node(op, inputs, attrs, [type]);
    nodes.at(-1)!.push(n);
    return n.outputs[0]!;
  };
  const constant = (value: number, dtype: DType) =>
    emit('Const', [], {
      value: dtype === 'int32' ? Int32Array.of(value) : Float32Array.of(value),
      dtype,
      shape: [],
    });
  const region = (params: TensorType[], body: (...p: Value[]) => Value[]) => {
    const ps = params.map((t) => values.value(t));
    nodes.push([]);
    const results = body(...ps);
    return new Region(ps, nodes.pop()!, results);
  };
  const node = (op: string, inputs: Value[], regions: Region[], outs: TensorType[], attrs: Attrs = {}) => {
    const n = values.node(op, inputs, attrs, outs, regions);
    nodes.at(-1)!.push(n);
    return n.outputs;
  };
  const fn = (name: string, params: TensorType[], body: (...p: Value[]) => Value[]) =>
    new IRFunction(name, region(params, body), values);
  return { emit, constant, region, node, fn };
}

/** Both executors' results as arrays of numbers, and the backend's data count before and after the js run. */
function runBoth(fn: IRFunction, inputs: () => tf.Tensor[]) {
  const ins = inputs();
  const expected = execute(fn, ins, tf as any).map((t) => Array.from(t.dataSync()));
  compiledSource(fn, tf as any); // compiled first: its constant tensors live as long as the function
  const dataBefore = tf.engine().backend.numDataIds();
  const tensorsBefore = tf.memory().numTensors;
  const outs = executeJs(fn, ins, tf as any);
  const got = outs.map((t) => Array.from(t.dataSync()));
  const dtypes = outs.map((t) => t.dtype);
  tf.dispose(outs.filter((t) => !ins.includes(t)));
  const leaked = tf.engine().backend.numDataIds() - dataBefore + (tf.memory().numTensors - tensorsBefore);
  tf.dispose(ins);
  return { expected, got, dtypes, leaked };
}

const EDGE: Record<DType, number[]> = {
  float32: [
    0,
    -0,
    1,
    -1,
    0.5,
    -0.5,
    1.5,
    2.5,
    -2.5,
    3,
    -7,
    7.25,
    1e30,
    -1e-30,
    16777217,
    3.4e38,
    NaN,
    Infinity,
    -Infinity,
  ],
  int32: [0, 1, -1, 2, 3, -7, 7, 46341, 65536, 100000, 2147483647, -2147483648],
  bool: [0, 1],
};

/** The attribute sets an op's scalar lowering is checked with. */
function attrSets(op: string): Attrs[] {
  if (op === 'Cast') return (['float32', 'int32', 'bool'] as const).map((dtype) => ({ dtype }));
  if (op === 'ClipByValue') return [{ clipValueMin: -2.5, clipValueMax: 3 }];
  return [{}];
}

const sameBits = (a: number[], b: number[]) => a.length === b.length && a.every((x, i) => Object.is(x, b[i]));

describe('scalar lowerings give what the tfjs kernels give, bit for bit', () => {
  const ops = registeredOps().filter((op) => opDef(op)!.scalar);
  it('the elementwise ops have them', () => {
    for (const op of ['Add', 'Multiply', 'FloorDiv', 'Mod', 'Less', 'Equal', 'LogicalAnd', 'Cast', 'Select'])
      expect(ops).toContain(op);
  });
  for (const op of ops) {
    it(op, () => {
      const def = opDef(op)!;
      const arity = def.inputNames.length;
      let checked = 0;
      for (const attrs of attrSets(op)) {
        for (const dtype of ['float32', 'int32', 'bool'] as const) {
          const types = Array.from({ length: arity }, (_, i) =>
            scalar(op === 'Select' && i === 0 ? 'bool' : dtype),
          );
          let out: TensorType;
          try {
            out = def.infer(types, attrs)[0]!;
          } catch {
            continue;
          }
          const lowered = def.scalar!({
            args: types.map((_, i) => `a${i}`),
            inputTypes: types,
            outputType: out,
            attrs,
          });
          if (lowered === undefined) continue;
          const b = builder();
          const fn = b.fn(`${op}_${dtype}`, types, (...ps) => [b.emit(op, ps, attrs, out)]);
          verify(fn);
          expect(compiledSource(fn, tf as any), 'the op runs on numbers').not.toMatch(/k\d+\(/);
          const combos = types.reduce<number[][]>(
            (acc, t) => acc.flatMap((prefix) => EDGE[t.dtype].map((v) => [...prefix, v])),
            [[]],
          );
          for (const values of combos) {
            // tfjs's cpu Cast keeps an int32's data under the float32 label; a float32 output is rounded
            if (op === 'Cast' && attrs.dtype === 'float32' && Math.abs(values[0]!) > 2 ** 24) continue;
            const { expected, got, dtypes, leaked } = runBoth(fn, () =>
              values.map((v, i) => tf.scalar(v, types[i]!.dtype)),
            );
            expect(dtypes, `${op} ${dtype} (${values})`).toEqual([out.dtype]);
            expect(sameBits(got[0]!, expected[0]!), `${op} ${dtype} (${values}): ${got} vs ${expected}`).toBe(
              true,
            );
            expect(leaked).toBe(0);
            checked++;
          }
          // the same on vectors of all those combinations: a typed array per value, a loop per op
          const kept = combos.filter(
            (values) => !(op === 'Cast' && attrs.dtype === 'float32' && Math.abs(values[0]!) > 2 ** 24),
          );
          const vectorTypes = types.map((t) => tensorType(t.dtype, [kept.length]));
          const vectorOut = tensorType(out.dtype, [kept.length]);
          if (def.infer(vectorTypes, attrs)[0]!.shape[0] !== kept.length) continue; // a reduction
          const vb = builder();
          const vector = vb.fn(`${op}_${dtype}_vector`, vectorTypes, (...ps) => [
            vb.emit(op, ps, attrs, vectorOut),
          ]);
          expect(compiledSource(vector, tf as any), 'the op runs on typed arrays').toMatch(
            /for \(let i = 0; i < /,
          );
          const { expected, got, leaked } = runBoth(vector, () =>
            vectorTypes.map((t, k) =>
              tf.tensor1d(
                kept.map((values) => values[k]!),
                t.dtype,
              ),
            ),
          );
          expect(sameBits(got[0]!, expected[0]!), `${op} ${dtype} on vectors: ${got} vs ${expected}`).toBe(
            true,
          );
          expect(leaked).toBe(0);
        }
      }
      expect(checked).toBeGreaterThan(0);
    });
  }
});

const i32 = scalar('int32');

/** fib(n) = n < 2 ? n : fib(n - 1) + fib(n - 2), on int32 scalars, with two `call` nodes. */
function fib(): IRFunction {
  const b = builder();
  const fn = b.fn('fib', [i32], (n) => {
    const two = b.constant(2, 'int32');
    const small = b.emit('Less', [n, two]);
    const then = b.region([], () => [n]);
    const otherwise = b.region([], () => {
      const [a] = b.node('call', [b.emit('Sub', [n, b.constant(1, 'int32')])], [], [i32], { callee: 'fib' });
      const [c] = b.node('call', [b.emit('Sub', [n, two])], [], [i32], { callee: 'fib' });
      return [b.emit('Add', [a!, c!])];
    });
    return b.node('cond', [small], [then, otherwise], [i32]);
  });
  fn.functions.set('fib', fn);
  return fn;
}

/** even(n) / odd(n) calling each other: 1 or 0 as int32, and a float32 vector scaled once per call. */
function evenOdd(): IRFunction {
  const functions = new Map<string, IRFunction>();
  const v3 = tensorType('float32', [3]);
  const make = (name: string, other: string, atZero: number) => {
    const b = builder();
    const fn = b.fn(name, [i32, v3], (n, x) => {
      const zero = b.emit('Equal', [n, b.constant(0, 'int32')]);
      const then = b.region([], () => [b.constant(atZero, 'int32'), x]);
      const otherwise = b.region([], () => {
        const halved = b.emit('Multiply', [x, b.constant(0.5, 'float32')]);
        const down = b.emit('Sub', [n, b.constant(1, 'int32')]);
        return b.node('call', [down, halved], [], [i32, v3], { callee: other });
      });
      return b.node('cond', [zero], [then, otherwise], [i32, v3]);
    });
    fn.functions = functions;
    functions.set(name, fn);
    return fn;
  };
  const even = make('even', 'odd', 1);
  make('odd', 'even', 0);
  return even;
}

describe('call nodes: recursion is JS recursion', () => {
  it('fib on int32 scalars agrees with the tfjs executor', () => {
    const fn = fib();
    verify(fn);
    for (const n of [0, 1, 2, 7, 12]) {
      const { expected, got, leaked } = runBoth(fn, () => [tf.scalar(n, 'int32')]);
      expect(got, `fib(${n})`).toEqual(expected);
      expect(leaked, `fib(${n}) leaves no data behind`).toBe(0);
    }
    expect(runBoth(fn, () => [tf.scalar(12, 'int32')]).got).toEqual([[144]]);
  });

  it('mutual recursion with tensor arguments agrees with the tfjs executor', () => {
    const fn = evenOdd();
    verify(fn);
    for (const n of [0, 1, 4, 7]) {
      const { expected, got, leaked } = runBoth(fn, () => [tf.scalar(n, 'int32'), tf.tensor1d([8, -4, 1])]);
      expect(got, `even(${n})`).toEqual(expected);
      expect(leaked).toBe(0);
    }
  });
});

describe('loops', () => {
  /** while (i < n) { x = x * 2; i++ } with a trip count, counting on numbers and doubling a vector. */
  function doubling(tripCount?: number, size = 2): IRFunction {
    const b = builder();
    const v2 = tensorType('float32', [size]);
    return b.fn('doubling', [v2, i32], (x, n) => {
      const zero = b.constant(0, 'int32');
      const test = b.region([i32, v2], (i) => [b.emit('Less', [i, n])]);
      const body = b.region([i32, v2], (i, v) => [
        b.emit('Add', [i, b.constant(1, 'int32')]),
        b.emit('Multiply', [v, b.constant(2, 'float32')]),
        v,
      ]);
      const attrs = tripCount === undefined ? { scans: 1 } : { scans: 1, tripCount };
      const outs = b.node(
        'while',
        [zero, x],
        [test, body],
        [i32, v2, tensorType('float32', [null, size])],
        attrs,
      );
      return [outs[0]!, outs[1]!, outs[2]!, x];
    });
  }

  it('a while with a scan output, a trip count and an input returned: as the tfjs executor', () => {
    for (const trips of [undefined, 2]) {
      const fn = doubling(trips);
      verify(fn);
      for (const n of [0, 3]) {
        const { expected, got, leaked } = runBoth(fn, () => [tf.tensor1d([1, -2]), tf.scalar(n, 'int32')]);
        expect(got, `trips ${trips}, n ${n}`).toEqual(expected);
        expect(leaked).toBe(0);
      }
    }
  });

  it('keeps the loop counter in a JS number, a small vector in a typed array, a large one in kernels', () => {
    const small = compiledSource(doubling(), tf as any);
    expect(small).toMatch(/for \(;;\)/);
    expect(small).toMatch(/\(\(v\d+ \+ v\d+\) \| 0\)/);
    expect(small).toMatch(/new Float32Array\(2\);/);
    expect(small).not.toMatch(/k\d+\(/);
    const large = compiledSource(doubling(undefined, SMALL_TENSOR + 1), tf as any);
    expect(large).toMatch(/k\d+\(\{ inputs: \{ "a": /);
  });

  it('a large vector through the loop agrees with the tfjs executor too', () => {
    const fn = doubling(undefined, SMALL_TENSOR + 1);
    const x = Array.from({ length: SMALL_TENSOR + 1 }, (_, i) => i - 100);
    const { expected, got, leaked } = runBoth(fn, () => [tf.tensor1d(x), tf.scalar(3, 'int32')]);
    expect(got).toEqual(expected);
    expect(leaked).toBe(0);
  });
});

describe('staged recursion (call nodes from tracing) on compiled JS', () => {
  const T = tf;
  function fib(n: tf.Tensor): tf.Tensor {
    if (T.any(T.lessEqual(n, 1))) return n;
    return T.add(fib(T.sub(n, 1)), fib(T.sub(n, 2)));
  }

  it('fib agrees with the tfjs executor, and leaves no data behind', async () => {
    const onJs = ag.stage(fib, { scope: { T, fib }, executor: 'js' });
    const onTfjs = ag.stage(fib, { scope: { T, fib }, executor: 'tfjs' });
    expect(onJs.graph(tf.scalar(3))).toMatch(/call\b/);
    for (const n of [0, 1, 2, 10]) {
      const x = tf.scalar(n);
      const result = async (f: typeof onJs) => {
        const out = (await f(x)) as tf.Tensor;
        const values = Array.from(out.dataSync());
        if (out !== x) out.dispose();
        return values;
      };
      const expected = await result(onTfjs);
      await result(onJs); // compiled: its constants made
      const data = tf.engine().backend.numDataIds();
      expect(await result(onJs), `fib(${n})`).toEqual(expected);
      expect(tf.engine().backend.numDataIds(), `fib(${n})`).toBe(data);
      x.dispose();
    }
    await Promise.all([onJs.dispose(), onTfjs.dispose()]);
  });
});
