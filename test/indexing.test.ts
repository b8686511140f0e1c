/**
 * Indexing in converted code (runtime/indexing.ts): tensor rows (`t[i]`, `t.length`) on eager and
 * symbolic tensors, JS arrays read at a tensor index, writes into tensors, and the errors, with their
 * locations. JS values are covered by the differential corpus (test/corpus/indexing.ts) and, here,
 * by generated arrays and keys; staged programs by test/staged/indexing.ts.
 */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import * as ag from '../src/index.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const T: any = { ...tf };
const FORMS = ['eager', 'graph'] as const;

/** `source` (one function) converted in `form`, as file `model.ts`, so errors name `model.ts:line:col`. */
const convert = (source: string, form: (typeof FORMS)[number] = 'eager') =>
  ag.convertSource(source, { file: 'model.ts', scope: { T }, form }) as (...args: any[]) => any;

const values = (t: any) => (t as tf.Tensor).arraySync();

describe('eager tensors', () => {
  for (const form of FORMS) {
    describe(`${form} form`, () => {
      it('t[i] is row i, as a tensor; rows of a vector are scalar tensors', () => {
        const rows = convert('function f(m, i) { return [m[i], m[i][0], m.length, m[i].length]; }', form);
        const m = tf.tensor2d([
          [1, 2],
          [3, 4],
          [5, 6],
        ]);
        for (let i = 0; i < 3; i++) {
          const [row, first, length, rowLength] = rows(m, i);
          expect(row).toBeInstanceOf(tf.Tensor);
          expect(values(row)).toEqual(m.arraySync()[i]);
          expect(first).toBeInstanceOf(tf.Tensor);
          expect(first.rank).toBe(0);
          expect(values(first)).toBe(m.arraySync()[i]![0]);
          expect([length, rowLength]).toEqual([3, 2]);
        }
      });

      it('a scalar tensor index is read: int32, or float32 holding an integer', () => {
        const at = convert('function f(m, i) { return m[i]; }', form);
        const m = tf.tensor1d([10, 20, 30], 'int32');
        expect(values(at(m, tf.scalar(2, 'int32')))).toBe(30);
        expect(values(at(m, tf.scalar(1)))).toBe(20);
        expect(at(m, tf.scalar(1)).dtype).toBe('int32');
      });

      it('an index loop over rows equals iterating them', () => {
        const sum = convert(
          'function f(m) { let acc = 0; for (let i = 0; i < m.length; i++) acc = acc + m[i]; return acc; }',
          form,
        );
        fc.assert(
          fc.property(
            fc.integer({ min: 1, max: 5 }),
            fc.integer({ min: 1, max: 4 }),
            fc.array(fc.integer({ min: -100, max: 100 }), { minLength: 20, maxLength: 20 }),
            (rows, cols, data) => {
              const m = tf.tensor2d(data.slice(0, rows * cols), [rows, cols], 'int32');
              expect(values(sum(m))).toEqual(values(tf.sum(m, 0)));
            },
          ),
          { numRuns: 30 },
        );
      });

      it('string keys keep their JS meaning on tensors (properties and methods)', () => {
        const props = convert(
          "function f(t) { return [t['shape'], t['dtype'], t['rank'], t['clone'](), t['0'], t['nope']]; }",
          form,
        );
        const t = tf.tensor1d([1, 2, 3]);
        const [shape, dtype, rank, clone, zero, nope] = props(t);
        expect([shape, dtype, rank, values(clone), zero, nope]).toEqual([
          [3],
          'float32',
          1,
          [1, 2, 3],
          undefined,
          undefined,
        ]);
        const named = convert("function f(t) { t['label'] = 'x'; return t.label; }", form);
        expect(named(tf.scalar(1))).toBe('x');
      });

      it('a JS array, typed array or object read at an eager scalar tensor index reads its value', () => {
        const read = convert('function f(xs, t) { return xs[t]; }', form);
        expect(read(['a', 'b', 'c'], tf.scalar(2, 'int32'))).toBe('c');
        expect(read(['a', 'b', 'c'], tf.scalar(5, 'int32'))).toBe(undefined); // JS: out of range is undefined
        expect(read(new Float32Array([0.5, 1.5]), tf.scalar(1, 'int32'))).toBe(1.5);
        expect(read({ 3: 'three' }, tf.scalar(3))).toBe('three');
        expect(read('xyz', tf.scalar(1, 'int32'))).toBe('y');
        const vocab = convert(
          'function f(ids) { const out = []; for (const id of ids) out.push(["<s>", "a", "b"][id]); return out; }',
          form,
        );
        expect(vocab(tf.tensor1d([2, 0, 1], 'int32'))).toEqual(['b', '<s>', 'a']);
      });

      it('a JS array written at an eager tensor index is written at its value', () => {
        const write = convert('function f(xs, t) { xs[t] = "w"; xs[t] += "!"; return xs; }', form);
        expect(write(['a', 'b'], tf.scalar(1, 'int32'))).toEqual(['a', 'w!']);
      });
    });
  }
});

/** The error `f(...args)` throws. */
function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

describe('errors name the problem and the location', () => {
  const m = () =>
    tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
  for (const form of FORMS) {
    it(`out-of-range, negative and fractional indices (${form} form)`, () => {
      const at = convert('function f(m, i) {\n  return m[i];\n}', form);
      for (const [i, why] of [
        [2, /index 2 is out of range for a tensor of shape \[2,2\] \(rows 0 to 1\)/],
        [-1, /index -1 is out of range .*negative indices do not count from the end/],
        [0.5, /index 0\.5 is not an integer \(indexing a tensor of shape \[2,2\]\)/],
        [Number.NaN, /index NaN is not an integer/],
      ] as const) {
        const e = thrown(() => at(m(), i));
        expect(e).toBeInstanceOf(ag.TensorIndexError);
        expect(e.message).toMatch(/^model\.ts:2:10: /);
        expect(e.message).toMatch(why);
      }
      const e = thrown(() => at(m(), tf.scalar(7, 'int32')));
      expect(e.message).toMatch(/^model\.ts:2:10: index 7 is out of range/);
    });

    it(`scalars have no rows and no length (${form} form)`, () => {
      const at = convert('function f(s) {\n  return s[0];\n}', form);
      expect(thrown(() => at(tf.scalar(1))).message).toMatch(
        /^model\.ts:2:10: a scalar tensor cannot be indexed/,
      );
      const len = convert('function f(s) {\n  let n = 0;\n  n = s.length;\n  return n;\n}', form);
      const e = thrown(() => len(tf.scalar(1)));
      expect(e).toBeInstanceOf(ag.TensorIndexError);
      expect(e.message).toMatch(/^model\.ts:3:7: a scalar tensor has no length/);
    });

    it(`an index tensor must be a number scalar (${form} form)`, () => {
      const at = convert('function f(m, i) { return m[i]; }', form);
      expect(thrown(() => at(m(), tf.tensor1d([0, 1], 'int32'))).message).toMatch(
        /a tensor used as an index must be an int32 or float32 scalar, got int32 of shape \[2\]/,
      );
      expect(thrown(() => at(['a'], tf.scalar(true, 'bool'))).message).toMatch(/got bool of shape \[\]/);
    });

    it(`assignment into a tensor is an error and leaves the tensor as it was (${form} form)`, () => {
      for (const [line, source] of [
        [2, 'function f(t, i, v) {\n  t[i] = v;\n  return t;\n}'],
        [2, 'function f(t, i, v) {\n  t[i] += v;\n  return t;\n}'],
        [2, 'function f(t, i, v) {\n  t[i]++;\n  return t;\n}'],
        [2, 'function f(t, i, v) {\n  t[i] ??= v;\n  return t;\n}'],
      ] as const) {
        const write = convert(source, form);
        const t = tf.tensor1d([1, 2]);
        const e = thrown(() => write(t, 0, 5));
        expect(e).toBeInstanceOf(ag.TensorAssignmentError);
        expect(e.message).toMatch(
          new RegExp(
            `^model\\.ts:${line}:3: cannot assign to a row of a tensor of shape \\[2\\]: tensors are immutable`,
          ),
        );
        expect(Object.hasOwn(t, '0')).toBe(false);
        expect(thrown(() => write(t, tf.scalar(0, 'int32'), 5))).toBeInstanceOf(ag.TensorAssignmentError);
      }
    });
  }
});

/** What calling `f` gives: its value, or the name and message of what it threw. */
function outcome(f: () => unknown): unknown {
  try {
    return { value: f() };
  } catch (e) {
    return { error: `${(e as Error).name}: ${(e as Error).message}` };
  }
}

describe('generated JS arrays and keys read as in JS', () => {
  const key = fc.oneof(
    fc.integer({ min: -3, max: 12 }),
    fc.double({ noDefaultInfinity: false }),
    fc.constantFrom('0', '1', '01', 'length', 'at', '-1', '', 'x'),
    fc.constantFrom(null, undefined, true, false),
  );
  const element = fc.oneof(fc.integer(), fc.string(), fc.constant(undefined), fc.boolean());
  for (const form of FORMS) {
    it(`arrays, strings and typed arrays (${form} form)`, () => {
      const source = 'function f(a, k) { return [a[k], a.length, a[k] === undefined ? "u" : typeof a[k]]; }';
      const original = new Function(`return ${source}`)();
      const converted = convert(source, form);
      fc.assert(
        fc.property(
          fc.oneof(
            fc.array(element, { maxLength: 8 }),
            fc.string({ maxLength: 8 }),
            fc
              .array(fc.integer({ min: -1000, max: 1000 }), { maxLength: 8 })
              .map((xs) => Int16Array.from(xs)),
            fc.dictionary(fc.constantFrom('0', '1', '2', 'length'), element),
          ),
          key,
          (a, k) => {
            expect(outcome(() => converted(a, k))).toEqual(outcome(() => original(a, k)));
          },
        ),
        { numRuns: 300 },
      );
    });

    it(`stores at generated keys (${form} form)`, () => {
      const source = 'function f(a, k, v) { const r = (a[k] = v); a[k] += 1; return [r, a, a.length]; }';
      const original = new Function(`return ${source}`)();
      const converted = convert(source, form);
      fc.assert(
        fc.property(fc.array(fc.integer(), { maxLength: 5 }), key, fc.integer(), (a, k, v) => {
          expect(outcome(() => converted([...a], k, v))).toEqual(outcome(() => original([...a], k, v)));
        }),
        { numRuns: 300 },
      );
    });
  }
});

describe('known deviation: revoked proxies', () => {
  for (const form of FORMS) {
    it(`fail with a TypeError at the same point, only the message differs (${form} form)`, () => {
      const source =
        'function f(p) { const r = []; try { r.push(p[0]); } catch (e) { r.push(e.constructor.name); } try { p[0] = 1; } catch (e) { r.push(e.constructor.name); } try { r.push(p.length); } catch (e) { r.push(e.constructor.name); } return r; }';
      const revoked = () => {
        const { proxy, revoke } = Proxy.revocable([1], {});
        revoke();
        return proxy;
      };
      expect(convert(source, form)(revoked())).toEqual(new Function(`return ${source}`)()(revoked()));
    });
  }
});

describe('staged', () => {
  const stage = (source: string) => {
    const fn = new Function(`return ${source}`)();
    return {
      ort: ag.stage(fn, { scope: { T }, file: 'model.ts' } as any),
      tfjs: ag.stage(fn, { scope: { T }, file: 'model.ts', executor: 'tfjs' } as any),
    };
  };

  it('generated matrices and indices: staged rows equal eager rows; invalid indices fail in both', async () => {
    const source = 'function f(m, i) { return [m[i], m[m.length - 1][0], m.length]; }';
    const eager = convert(source);
    const { ort } = stage(source);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 3 }),
        fc.array(fc.float({ min: -10, max: 10, noNaN: true }), { minLength: 12, maxLength: 12 }),
        fc.integer({ min: -5, max: 7 }),
        async (rows, cols, data, i) => {
          const m = tf.tensor2d(data.slice(0, rows * cols), [rows, cols]);
          const index = tf.scalar(i, 'int32');
          if (i >= 0 && i < rows) {
            const expected = eager(m, index).map((x: any) => (x instanceof tf.Tensor ? x.arraySync() : x));
            const staged = (await ort(m, index)) as any[];
            expect(await Promise.all(staged.map((x) => x.array()))).toEqual(expected);
          } else {
            expect(thrown(() => eager(m, index))).toBeInstanceOf(ag.TensorIndexError);
            await expect(ort(m, index)).rejects.toThrow(/GatherV2/);
          }
        },
      ),
      { numRuns: 25 },
    );
    await ort.dispose();
  });

  it('a JS index out of range is a StagingError at trace time', async () => {
    const { ort } = stage('function f(m) {\n  return m[3];\n}');
    await expect(ort(tf.tensor1d([1, 2, 3]))).rejects.toThrow(
      expect.objectContaining({
        name: 'StagingError',
        message: expect.stringMatching(
          /:2:10: index 3 is out of range for a tensor of shape \[3\] \(rows 0 to 2\)/,
        ),
      }),
    );
    await ort.dispose();
  });

  it('the length of a symbolic scalar is a StagingError', async () => {
    const { ort } = stage('function f(s) {\n  return s.length;\n}');
    await expect(ort(tf.scalar(1))).rejects.toThrow(/a scalar tensor has no length/);
    await ort.dispose();
  });

  it('a symbolic index out of range (negative ones included) fails at run time on both executors', async () => {
    const { ort, tfjs } = stage('function f(m, i) { return m[i]; }');
    const m = tf.tensor1d([1, 2, 3]);
    expect(await (await ort(m, tf.scalar(2, 'int32'))).array()).toBe(3);
    for (const i of [-1, -3, 3]) {
      // ONNX Runtime's Gather would read -1 as the last row; the guard makes it fail as in the eager form
      await expect(ort(m, tf.scalar(i, 'int32'))).rejects.toThrow(/GatherV2/);
      await expect(tfjs(m, tf.scalar(i, 'int32'))).rejects.toThrow(/GatherV2/);
    }
    await ort.dispose();
  });

  it('a fractional float32 index fails at run time instead of being truncated', async () => {
    const { ort } = stage('function f(m, i) { return m[i]; }');
    const m = tf.tensor1d([1, 2, 3]);
    expect(await (await ort(m, tf.scalar(1))).array()).toBe(2);
    await expect(ort(m, tf.scalar(1.5))).rejects.toThrow(/GatherV2/);
    await ort.dispose();
  });

  it('JS arrays that cannot be read at a symbolic index are StagingErrors naming the line', async () => {
    for (const [source, what] of [
      [
        'function f(i) {\n  return ["a", "b"][i];\n}',
        /an array of string values cannot be read at a symbolic index/,
      ],
      [
        'function f(i) {\n  return [T.ones([2]), T.ones([3])][i];\n}',
        /an array of tensors of different types \(float32\[2\] and float32\[3\]\)/,
      ],
      ['function f(i) {\n  return [1, T.ones([3])][i];\n}', /an array of number and tensor values/],
      ['function f(i) {\n  return [][i];\n}', /an empty array cannot be read/],
      ['function f(i) {\n  return [[1, 2], [3]][i];\n}', /a ragged nested array cannot be read/],
      ['function f(i) {\n  return [["a"], ["b"]][i];\n}', /a nested array of string values cannot be read/],
      [
        'function f(i) {\n  return ({ 0: 1 })[i];\n}',
        /an object \(\[object Object\]\) cannot be read at a symbolic index/,
      ],
    ] as const) {
      const { ort } = stage(source);
      await expect(ort(tf.scalar(0, 'int32'))).rejects.toThrow(
        expect.objectContaining({ name: 'StagingError', message: expect.stringMatching(/:2:10: /) }),
      );
      await expect(ort(tf.scalar(0, 'int32'))).rejects.toThrow(what);
      await ort.dispose();
    }
  });

  it('writing a JS array at a symbolic index is a StagingError; writing into a symbolic tensor a TensorAssignmentError', async () => {
    const list = stage('function f(i) {\n  const a = [0, 0];\n  a[i] = 1;\n  return a[0];\n}').ort;
    await expect(list(tf.scalar(0, 'int32'))).rejects.toThrow(
      /:3:3: a JS value cannot be written at a symbolic index/,
    );
    const tensor = stage('function f(m) {\n  m[0] = 1;\n  return m;\n}').ort;
    await expect(tensor(tf.tensor1d([1, 2]))).rejects.toThrow(
      expect.objectContaining({
        name: 'TensorAssignmentError',
        message: expect.stringMatching(/:2:3: cannot assign/),
      }),
    );
  });

  it('a JS array slot written in a staged loop is carried by it (a[0] = ... is still a composite write)', async () => {
    const { ort, tfjs } = stage(
      'function f(x) { const acc = [T.scalar(0)]; while (T.sum(x) > 0) { acc[0] = acc[0] + T.sum(x); x = x - 1; } return acc[0]; }',
    );
    const eager = convert(
      'function f(x) { const acc = [T.scalar(0)]; while (T.sum(x) > 0) { acc[0] = acc[0] + T.sum(x); x = x - 1; } return acc[0]; }',
    );
    const expected = values(eager(tf.tensor1d([3, 2])));
    expect(await (await ort(tf.tensor1d([3, 2]))).array()).toBe(expected);
    expect(await (await tfjs(tf.tensor1d([3, 2]))).array()).toBe(expected);
    await ort.dispose();
  });
});
