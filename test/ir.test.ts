import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import protobuf from 'protobufjs';
import { lowerToOnnx } from '../src/backends/onnx/lower.ts';
import { ONNX_PROTO } from '../src/backends/onnx/schema.ts';
import { execute } from '../src/backends/tfjs/executor.ts';
import { IRFunction, Region, type Value, ValueFactory } from '../src/ir/graph.ts';
import { eliminateCommonSubexpressions } from '../src/ir/passes/cse.ts';
import { eliminateDeadCode } from '../src/ir/passes/dce.ts';
import { foldConstants } from '../src/ir/passes/fold.ts';
import { simplify } from '../src/ir/passes/simplify.ts';
import { printFunction } from '../src/ir/print.ts';
import {
  broadcastShapes,
  compatibleType,
  type Dim,
  formatType,
  isStatic,
  sameType,
  sizeOf,
  type TensorType,
  tensorType,
} from '../src/ir/types.ts';
import { IRVerificationError, verify } from '../src/ir/verify.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const f32 = (...shape: number[]) => tensorType('float32', shape);
const i32 = (...shape: number[]) => tensorType('int32', shape);
const bool = tensorType('bool', []);

/** A small builder over ValueFactory, so tests read like the IR they build. */
function builder() {
  const values = new ValueFactory();
  const nodes: import('../src/ir/graph.ts').Node[][] = [[]];
  const emit = (op: string, inputs: Value[], out: TensorType, attrs = {}) => {
    const n = values.node(op, inputs, attrs, [out]);
    nodes.at(-1)!.push(n);
    return n.outputs[0]!;
  };
  const constant = (value: number[], type: TensorType) =>
    emit('Const', [], type, {
      value: type.dtype === 'int32' ? Int32Array.from(value) : Float32Array.from(value),
      dtype: type.dtype,
      shape: type.shape,
    });
  const region = (params: TensorType[], body: (...p: Value[]) => Value[]) => {
    const ps = params.map((t) => values.value(t));
    nodes.push([]);
    const results = body(...ps);
    return new Region(ps, nodes.pop()!, results);
  };
  const structured = (op: 'cond' | 'while', inputs: Value[], regions: Region[], outs: TensorType[]) => {
    const n = values.node(op, inputs, {}, outs, regions);
    nodes.at(-1)!.push(n);
    return n.outputs;
  };
  const fn = (name: string, params: TensorType[], body: (...p: Value[]) => Value[]) =>
    new IRFunction(name, region(params, body), values);
  return { values, emit, constant, region, structured, fn };
}

/** f(x: f32[4], n: i32[]): doubles x while a counter is below n, then adds folded and duplicated terms. */
function sample() {
  const b = builder();
  return b.fn('sample', [f32(4), i32()], (x, n) => {
    const two = b.constant([2], f32());
    const [i0] = [b.constant([0], i32())];
    const [, doubled] = b.structured(
      'while',
      [i0, x],
      [
        b.region([i32(), f32(4)], (i) => [b.emit('Less', [i, n], bool)]),
        b.region([i32(), f32(4)], (i, v) => [
          b.emit('Add', [i, b.constant([1], i32())], i32()),
          b.emit('Multiply', [v, two], f32(4)),
        ]),
      ],
      [i32(), f32(4)],
    );
    const a = b.emit('Multiply', [doubled, two], f32(4));
    const again = b.emit('Multiply', [doubled, two], f32(4)); // CSE merges it with `a`
    b.emit('Exp', [x], f32(4)); // dead
    const folded = b.emit('Add', [b.constant([1], f32()), b.constant([2], f32())], f32()); // folds to 3
    const big = b.emit(
      'Greater',
      [b.emit('Add', [a, again], f32(4)), b.constant([10], f32())],
      tensorType('bool', [4]),
    );
    const anyBig = b.emit(
      'Cast',
      [b.emit('Add', [b.emit('Cast', [big], f32(4), { dtype: 'float32' }), folded], f32(4))],
      i32(4),
      { dtype: 'int32' },
    );
    const [chosen] = b.structured(
      'cond',
      [b.emit('Less', [n, b.constant([3], i32())], bool)],
      [b.region([], () => [b.emit('Neg', [a], f32(4))]), b.region([], () => [a])],
      [f32(4)],
    );
    return [chosen!, anyBig];
  });
}

const run = (fn: IRFunction, x: number[], n: number) =>
  execute(fn, [tf.tensor1d(x), tf.scalar(n, 'int32')], tf).map((t) => Array.from(t.dataSync()));

describe('IR', () => {
  it('verifies, prints regions readably, and executes cond and while on tfjs', () => {
    const fn = sample();
    verify(fn);
    const text = printFunction(fn);
    expect(text).toMatch(/^func sample\(%0: f32\[4\], %1: i32\[\]\) -> \(f32\[4\], i32\[4\]\) \{/);
    expect(text).toContain('= while(');
    expect(text).toMatch(/ {4}cond\(%\d+: i32\[\], %\d+: f32\[4\]\) \{/);
    expect(text).toContain('then() {');
    expect(run(fn, [1, 2, 3, 4], 2)).toEqual([
      [-8, -16, -24, -32],
      [4, 4, 4, 4],
    ]);
    expect(run(fn, [1, 2, 3, 4], 0)).toEqual([
      [-2, -4, -6, -8],
      [3, 3, 4, 4],
    ]);
    expect(run(fn, [1, 2, 3, 4], 5)).toEqual([
      [64, 128, 192, 256],
      [4, 4, 4, 4],
    ]);
  });

  it('DCE, CSE and folding shrink the function, keep it valid and keep its results', () => {
    const fn = sample();
    const before = [run(fn, [1, 2, 3, 4], 2), run(fn, [0.5, -1, 7, 2], 4)];
    const count = () => printFunction(fn).split('\n').length;
    const initial = count();
    for (const pass of [
      () => foldConstants(fn, tf),
      () => eliminateCommonSubexpressions(fn),
      () => eliminateDeadCode(fn),
    ]) {
      pass();
      verify(fn);
    }
    const text = printFunction(fn);
    expect(count()).toBeLessThan(initial);
    expect(text).not.toContain('Exp(');
    expect(text.match(/= Multiply\(/g)).toHaveLength(2); // one in the loop body, one after it
    expect(text).toContain('Const() {value: [3]}');
    expect([run(fn, [1, 2, 3, 4], 2), run(fn, [0.5, -1, 7, 2], 4)]).toEqual(before);
  });

  it('does not leak tensors when executing', () => {
    const fn = sample();
    const x = tf.tensor1d([1, 2, 3, 4]);
    const n = tf.scalar(3, 'int32');
    const start = tf.memory().numTensors;
    for (let k = 0; k < 20; k++) execute(fn, [x, n], tf).forEach((t) => t.dispose());
    expect(tf.memory().numTensors).toBe(start);
  });
});

describe('IR verifier', () => {
  const rejects = (build: (b: ReturnType<typeof builder>) => IRFunction, message: RegExp) => {
    const fn = build(builder());
    expect(() => verify(fn)).toThrow(IRVerificationError);
    expect(() => verify(fn)).toThrow(message);
  };
  it('rejects outputs that disagree with the op rule', () =>
    rejects(
      (b) => b.fn('f', [f32(2)], (x) => [b.emit('Add', [x, x], f32(3))]),
      /at Add: outputs: \(f32\[3\]\) where \(f32\[2\]\)/,
    ));
  it('rejects incompatible broadcasting and mixed dtypes', () => {
    rejects(
      (b) => b.fn('f', [f32(2), f32(3)], (x, y) => [b.emit('Add', [x, y], f32(3))]),
      /cannot be broadcast/,
    );
    rejects(
      (b) => b.fn('f', [f32(2), i32(2)], (x, y) => [b.emit('Add', [x, y], f32(2))]),
      /dtypes float32 and int32 differ/,
    );
  });
  it('rejects unknown ops and uses outside scope', () => {
    rejects(
      (b) => b.fn('f', [f32(2)], (x) => [b.emit('Frobnicate', [x], f32(2))]),
      /unknown op 'Frobnicate'/,
    );
    rejects((b) => {
      let inner: Value | undefined;
      return b.fn('f', [f32(2), bool], (x, p) => {
        b.structured(
          'cond',
          [p],
          [b.region([], () => [(inner = b.emit('Neg', [x], f32(2)))]), b.region([], () => [x])],
          [f32(2)],
        );
        return [b.emit('Neg', [inner!], f32(2))];
      });
    }, /uses %\d+ outside its scope/);
  });
  it('rejects cond branches of different types and while bodies that change types', () => {
    rejects(
      (b) =>
        b.fn('f', [f32(2), bool], (x, p) =>
          b.structured(
            'cond',
            [p],
            [b.region([], () => [x]), b.region([], () => [b.emit('Cast', [x], i32(2), { dtype: 'int32' })])],
            [f32(2)],
          ),
        ),
      /branch results: \(i32\[2\]\) where \(f32\[2\]\)/,
    );
    rejects(
      (b) =>
        b.fn('f', [f32(2)], (x) =>
          b.structured(
            'while',
            [x],
            [
              b.region([f32(2)], () => [b.constant([1], bool)]),
              b.region([f32(2)], (v) => [b.emit('Cast', [v], i32(2), { dtype: 'int32' })]),
            ],
            [f32(2)],
          ),
        ),
      /body results: \(i32\[2\]\) where \(f32\[2\]\)/,
    );
  });
});

describe('constant folding', () => {
  it('stores folded values in the array type of their dtype (tfjs may keep int32 storage behind a float32 Cast)', () => {
    const b = builder();
    const fn = b.fn('f', [f32(2)], (x) => {
      const two = b.emit('Cast', [b.constant([2], i32())], f32(), { dtype: 'float32' });
      return [b.emit('Pow', [x, two], f32(2))];
    });
    foldConstants(fn, tf);
    verify(fn);
    const folded = fn.body.nodes.find((n) => n.op === 'Const' && n.attrs.dtype === 'float32')!;
    expect(folded.attrs.value).toBeInstanceOf(Float32Array);
    expect(Array.from(folded.attrs.value as Float32Array)).toEqual([2]);
  });
});

describe('simplify', () => {
  const ops = (fn: IRFunction) =>
    printFunction(fn)
      .match(/= (\w+)\(/g)
      ?.map((m) => m.slice(2, -1)) ?? [];

  it('forwards Identity, same-dtype Cast and same-shape Reshape, and runs the same', () => {
    const b = builder();
    const fn = b.fn('noops', [f32(2, 3)], (x) => {
      const a = b.emit('Identity', [x], f32(2, 3));
      const c = b.emit('Cast', [a], f32(2, 3), { dtype: 'float32' });
      const r = b.emit('Reshape', [c], f32(2, 3), { shape: [2, 3] });
      return [b.emit('Neg', [r], f32(2, 3))];
    });
    simplify(fn);
    verify(fn);
    expect(ops(fn)).toEqual(['Neg']);
  });

  it('replaces a cond on a constant by the branch it takes', () => {
    const b = builder();
    const fn = b.fn('constantCond', [f32()], (x) => {
      const yes = b.emit('Const', [], bool, { value: Uint8Array.of(1), dtype: 'bool', shape: [] });
      return b.structured(
        'cond',
        [yes],
        [b.region([], () => [b.emit('Neg', [x], f32())]), b.region([], () => [b.emit('Exp', [x], f32())])],
        [f32()],
      );
    });
    simplify(fn);
    verify(fn);
    expect(ops(fn)).toEqual(['Const', 'Neg']);
  });

  it('if-converts a staged && on scalars into LogicalAnd, and leaves a guarded gather in its cond', () => {
    const b = builder();
    const fn = b.fn('guard', [f32(3), i32()], (x, i) => {
      const three = b.constant([3], i32());
      const inRange = b.emit('Less', [i, three], bool);
      const [small] = b.structured(
        'cond',
        [inRange],
        [
          b.region([], () => [b.emit('Less', [i, b.constant([2], i32())], bool)]),
          b.region([], () => [inRange]),
        ],
        [bool],
      );
      const [positive] = b.structured(
        'cond',
        [inRange],
        [
          b.region([], () => {
            const picked = b.emit('GatherV2', [x, i], f32(), { axis: 0, batchDims: 0 });
            return [b.emit('Greater', [picked, b.constant([0], f32())], bool)];
          }),
          b.region([], () => [inRange]),
        ],
        [bool],
      );
      return [small!, positive!];
    });
    simplify(fn);
    verify(fn);
    expect(ops(fn).filter((op) => op === 'cond' || op === 'LogicalAnd')).toEqual(['LogicalAnd', 'cond']);
  });
});

describe('simplify: what tf.norm records', () => {
  it('Pow(Abs(x), 2) becomes Square(x), and the stage still agrees with eager', async () => {
    const ag = await import('../src/index.ts');
    const T = { ...tf };
    const fn = (x: any) => [T.norm(x), T.sum(T.reshape(x, [-1])), T.pow(x, 2)];
    const f = ag.stage(fn, { scope: { T }, executor: 'tfjs' });
    const x = tf.tensor2d([
      [3, -4],
      [1, -2],
    ]);
    const ir = f.graph(x);
    expect(ir).not.toMatch(/Pow\(|Abs\(/);
    expect(ir.match(/Square\(/g)).toHaveLength(1); // the norm's and pow's squares of x, merged by CSE
    expect(ir).not.toContain('Reshape('); // the sum of a flattened x (squared or not) sums x
    const out = (await f(x)) as tf.Tensor[];
    expect(out.map((t) => Array.from(t.dataSync()))).toEqual([
      [Math.sqrt(30)].map(Math.fround),
      [-2],
      [9, 16, 1, 4],
    ]);
  });
});

describe('trip counts', () => {
  // The programs are converted from their text: their free variable T is tfjs.
  const T: any = { ...tf };
  const stageOf = async (fn: (...args: any[]) => unknown, ...args: unknown[]) => {
    const ag = await import('../src/index.ts');
    return ag.stage(fn, { scope: { T }, executor: 'tfjs' }).graph(...(args as []));
  };

  it('a counted loop from a constant gets its trip count and loses its test', async () => {
    const counted = (x: any, steps: number) => {
      for (let i = 0; i < steps && T.sum(x) < 100; i++) x = x * 2;
      return x;
    };
    const ir = await stageOf(counted, tf.ones([2]), 7);
    expect(ir).toContain('tripCount: 7');
    expect(ir.match(/Less\(/g)).toHaveLength(2); // sum(x) < 100, before the loop and in it
  });

  it('a for…of over a tensor counts its rows', async () => {
    const rows = (m: any) => {
      let total = T.zeros([2]);
      for (const row of m) total = total + row;
      return total;
    };
    expect(await stageOf(rows, tf.ones([5, 2]))).toContain('tripCount: 5');
  });

  it('a counter stepped by a branch or starting from an input is not counted', async () => {
    const branchy = (x: any) => {
      let i = T.scalar(0);
      while (i < 4) {
        if (T.sum(x) > 0) i = i + 1;
        else i = i + 2;
        x = x * 2;
      }
      return x;
    };
    expect(await stageOf(branchy, tf.ones([2]))).not.toContain('tripCount');
    const fromInput = (x: any, i: any) => {
      while (i < 4) {
        i = i + 1;
        x = x * 2;
      }
      return x;
    };
    expect(await stageOf(fromInput, tf.ones([2]), tf.scalar(0))).not.toContain('tripCount');
  });
});

/** A float32 type whose dims may be unknown (null). */
const dyn = (...shape: Dim[]) => tensorType('float32', shape);

describe('dynamic dims', () => {
  it('types: ? in text, exact sameType, compatibleType, isStatic and sizeOf', () => {
    expect(formatType(dyn(null, 8))).toBe('f32[?,8]');
    expect(sameType(dyn(null, 8), dyn(null, 8))).toBe(true);
    expect(sameType(dyn(null, 8), dyn(2, 8))).toBe(false);
    expect(compatibleType(dyn(null, 8), dyn(2, 8))).toBe(true);
    expect(compatibleType(dyn(null, 8), dyn(2, 7))).toBe(false);
    expect(compatibleType(dyn(null), dyn(null, 1))).toBe(false);
    expect(compatibleType(dyn(null), i32(3))).toBe(false);
    expect([isStatic([2, 3]), isStatic([2, null]), isStatic([])]).toEqual([true, false, true]);
    expect([sizeOf([2, 3]), sizeOf([null, 3]), sizeOf([null, 0]), sizeOf([])]).toEqual([6, null, 0, 1]);
  });

  it('broadcastShapes with nulls: the table, and every nulled pair of small static shapes', () => {
    expect(broadcastShapes([null], [1])).toEqual([null]);
    expect(broadcastShapes([1], [null])).toEqual([null]);
    expect(broadcastShapes([null], [3])).toEqual([3]);
    expect(broadcastShapes([3], [null])).toEqual([3]);
    expect(broadcastShapes([null], [null])).toEqual([null]);
    expect(broadcastShapes([null, 2], [3, 1, 2])).toEqual([3, null, 2]);
    expect(() => broadcastShapes([null, 2], [3])).toThrow(/cannot be broadcast/);
    // Whatever dims are made unknown, the result is the static one with some dims unknown
    const dims = [0, 1, 2, 3];
    const shapes = [[], ...dims.map((d) => [d]), ...dims.flatMap((a) => dims.map((b) => [a, b]))];
    const nullings = (s: number[]) =>
      Array.from({ length: 2 ** s.length }, (_, m) => s.map((d, i) => (m & (1 << i) ? null : d)));
    let checked = 0;
    for (const a of shapes)
      for (const b of shapes) {
        let want: Dim[];
        try {
          want = broadcastShapes(a, b);
        } catch {
          continue;
        }
        for (const na of nullings(a))
          for (const nb of nullings(b)) {
            const got = broadcastShapes(na, nb);
            expect(compatibleType(dyn(...got), dyn(...want)), `[${na}] [${nb}]`).toBe(true);
            // a dim is unknown only where an input dim it comes from is
            got.forEach((d, i) => {
              if (d !== null) return;
              const at = (s: readonly Dim[]) => s[s.length - got.length + i];
              expect(at(na) === null || at(nb) === null, `[${na}] [${nb}] dim ${i}`).toBe(true);
            });
            checked++;
          }
      }
    expect(checked).toBeGreaterThan(500);
  });

  it('the verifier: op outputs exactly, cond branches compatibly, loops exactly', () => {
    const b = builder();
    const fn = b.fn('dynamic', [dyn(null, 3), bool], (x, p) => {
      const [y] = b.structured(
        'cond',
        [p],
        [
          b.region([], () => [b.emit('Neg', [x], dyn(null, 3))]),
          b.region([], () => [b.constant([1, 2, 3, 4, 5, 6], f32(2, 3))]),
        ],
        [dyn(null, 3)],
      );
      return [y!];
    });
    verify(fn);
    expect(printFunction(fn)).toContain('f32[?,3]');
    const wrongOutput = b.fn('wrong', [dyn(null, 3)], (x) => [b.emit('Neg', [x], f32(2, 3))]);
    expect(() => verify(wrongOutput)).toThrow(/f32\[2,3\]\) where \(f32\[\?,3\]\) is expected/);
    const wrongBranch = b.fn('branch', [dyn(null, 3), bool], (x, p) =>
      b.structured(
        'cond',
        [p],
        [b.region([], () => [x]), b.region([], () => [b.constant([1, 2], f32(1, 2))])],
        [dyn(null, 3)],
      ),
    );
    expect(() => verify(wrongBranch)).toThrow(/branch results/);
    const loop = b.fn('loop', [dyn(null), bool], (x, p) =>
      b.structured(
        'while',
        [p, x],
        [
          b.region([bool, dyn(null)], (q) => [q]),
          b.region([bool, dyn(null)], (q) => [q, b.constant([1, 2], f32(2))]),
        ],
        [bool, dyn(null)],
      ),
    );
    expect(() => verify(loop)).toThrow(/body results/);
  });

  const ops = (fn: IRFunction) =>
    printFunction(fn)
      .match(/= (\w+)\(/g)
      ?.map((m) => m.slice(2, -1)) ?? [];

  it('simplify forwards a Reshape to the same shape with one unknown dim, not with two', () => {
    const b = builder();
    const one = b.fn('one', [dyn(null, 4)], (x) => [
      b.emit('Neg', [b.emit('Reshape', [x], dyn(null, 4), { shape: [-1, 4] })], dyn(null, 4)),
    ]);
    simplify(one);
    verify(one);
    expect(ops(one)).toEqual(['Neg']);
    // [?,?] → [?,?] may be [2,6] → [3,4] at run time
    const two = b.fn('two', [dyn(null, null)], (x) => [
      b.emit('Reshape', [x], dyn(null, null), { shape: [null, null] }),
    ]);
    simplify(two);
    verify(two);
    expect(ops(two)).toEqual(['Reshape']);
  });

  it('folding: Shape of a static value becomes a constant; dynamic ZerosLike and Shape stay', () => {
    const b = builder();
    const fn = b.fn('shapes', [dyn(null, 3), f32(2, 5)], (x, s) => [
      b.emit('Shape', [x], i32(2)),
      b.emit('Shape', [s], i32(2)),
      b.emit('ZerosLike', [x], dyn(null, 3)),
    ]);
    foldConstants(fn, tf);
    verify(fn);
    expect(ops(fn)).toEqual(['Shape', 'Const', 'ZerosLike']);
    const [shape, staticShape, zeros] = execute(fn, [tf.ones([4, 3]), tf.ones([2, 5])], tf);
    expect([...shape!.dataSync()]).toEqual([4, 3]);
    expect([...staticShape!.dataSync()]).toEqual([2, 5]);
    expect(zeros!.shape).toEqual([4, 3]);
  });
});

describe('ONNX export with dynamic dims', () => {
  it('names an input dim `batch` (a dim_param shared by inputs) and runs at batch 1, 3 and 7', async () => {
    const b = builder();
    const fn = b.fn('batched', [dyn(null, 8), dyn(null, 8)], (x, y) => {
      const w = b.constant(
        Array.from({ length: 8 }, (_, i) => i / 8),
        f32(8),
      );
      const rows = b.emit(
        'Sum',
        [b.emit('Multiply', [b.emit('Add', [x, y], dyn(null, 8)), w], dyn(null, 8))],
        dyn(null),
        { axis: 1, keepDims: false },
      );
      // a mean over the dynamic batch divides by its run-time size
      const mean = b.emit('Mean', [x], f32(8), { axis: 0, keepDims: false });
      return [rows, mean];
    });
    fn.inputDimNames = [['batch', null], ['batch']];
    verify(fn);
    const bytes = lowerToOnnx(fn);
    const model = protobuf
      .parse(ONNX_PROTO, { keepCase: false })
      .root.lookupType('onnx.ModelProto')
      .decode(bytes) as any;
    // (decoded messages hold defaults for absent fields: only own fields are set)
    const dims = (info: any) =>
      info.type.tensorType.shape.dim.map((d: any) =>
        Object.hasOwn(d, 'dimParam') ? d.dimParam : Object.hasOwn(d, 'dimValue') ? Number(d.dimValue) : '?',
      );
    expect(model.graph.input.map(dims)).toEqual([
      ['batch', 8],
      ['batch', 8],
    ]);
    // outputs' dynamic dims are left unknown (no name)
    expect(model.graph.output.map(dims)).toEqual([['?'], [8]]);
    const ort = createRequire(import.meta.url)('onnxruntime-node') as typeof import('onnxruntime-node');
    const session = await ort.InferenceSession.create(bytes);
    for (const batch of [1, 3, 7]) {
      const [x, y] = [1, 2].map((k) =>
        tf.tensor2d(
          Array.from({ length: batch * 8 }, (_, i) => ((i * k) % 5) - 2),
          [batch, 8],
        ),
      );
      const feeds = Object.fromEntries(
        [x!, y!].map((t, i) => [
          `input${i}`,
          new ort.Tensor('float32', t.dataSync() as Float32Array, t.shape),
        ]),
      );
      const out = await session.run(feeds);
      const want = execute(fn, [x!, y!], tf);
      expect(out.output0!.dims).toEqual([batch]);
      expect(Array.from(out.output0!.data as Float32Array)).toEqual(Array.from(want[0]!.dataSync()));
      const mean = Array.from(out.output1!.data as Float32Array);
      Array.from(want[1]!.dataSync()).forEach((v, i) => expect(mean[i]).toBeCloseTo(v, 5));
    }
    await session.release();
  });
});
