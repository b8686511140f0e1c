/**
 * Staged recursion end to end: recursion decided by a tensor traced into `call` nodes, run by the tfjs
 * executor (calls) and by ONNX Runtime (the calls lowered to a loop with explicit stacks,
 * ir/passes/recursion-to-loop.ts), both against the converted function run eagerly; generated trees
 * for the tree programs; exported models; what cannot be staged.
 */
import * as tf from '@tensorflow/tfjs'; // registers tfjs's gradients
import fc from 'fast-check';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import * as ag from '../src/index.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const T: any = { ...tf };
/** The TreeLSTM's weights: converted from its text, the program reads them from its scope. */
declare const W: any;
const scope = { T };
const flat = (x: unknown): number[][] =>
  Array.isArray(x) ? x.flatMap(flat) : [Array.from((x as tf.Tensor).dataSync())];
const EXECUTORS = ['onnx', 'tfjs', 'js'] as const;

/** `fn` staged on both executors gives, for each argument list, what it gives run eagerly. */
async function agrees(
  fn: (...args: any[]) => unknown,
  argLists: unknown[][],
  extra: Record<string, unknown> = {},
) {
  const eager = ag.convert(fn, { scope: { ...scope, ...extra } });
  for (const executor of EXECUTORS) {
    const f = ag.stage(fn, { scope: { ...scope, ...extra }, executor });
    for (const args of argLists) {
      const expected = flat(tf.tidy(() => eager(...args) as any));
      const got = flat(await f(...args));
      expect(got.length).toBe(expected.length);
      got.forEach((g, i) =>
        expect(g, `${executor} output ${i}`).toEqual(expected[i]!.map((e) => expect.closeTo(e, 4))),
      );
    }
    await f.dispose();
  }
}

/** A binary tree in tensors: per node its children (-1 at a leaf) and a value, padded to `size` nodes. */
interface Tree {
  left: number[];
  right: number[];
  value: number[];
}
const tree = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.integer({ min: -5, max: 5 }),
    fc.tuple(tie('node'), tie('node')),
  ),
})).node;

function encode(t: unknown, size: number): Tree {
  const out: Tree = { left: [], right: [], value: [] };
  const add = (n: unknown): number => {
    const i = out.left.length;
    out.left.push(-1);
    out.right.push(-1);
    out.value.push(typeof n === 'number' ? n : 0);
    if (Array.isArray(n)) {
      out.left[i] = add(n[0]);
      out.right[i] = add(n[1]);
    }
    return i;
  };
  add(t);
  while (out.left.length < size) {
    out.left.push(-1);
    out.right.push(-1);
    out.value.push(0);
  }
  return out;
}
const countNodes = (t: unknown): number => (Array.isArray(t) ? 1 + countNodes(t[0]) + countNodes(t[1]) : 1);

const treeArgs = (t: Tree): [tf.Tensor, tf.Tensor, tf.Tensor] => [
  tf.tensor1d(t.left, 'int32'),
  tf.tensor1d(t.right, 'int32'),
  tf.tensor1d(t.value),
];

describe('recursion decided by a tensor', () => {
  it('a tree walk with structured results and captured tensors, on generated trees', async () => {
    const SIZE = 40;
    function treeStats(left: any, right: any, value: any) {
      const weights = value * 2 - 1;
      function visit(i: any): any {
        if (T.less(T.gather(left, i), 0)) {
          const v = T.gather(weights, i);
          return { sum: v, depth: T.scalar(1), max: v };
        }
        const a = visit(T.gather(left, i));
        const b = visit(T.gather(right, i));
        return { sum: a.sum + b.sum, depth: T.maximum(a.depth, b.depth) + 1, max: T.maximum(a.max, b.max) };
      }
      const r = visit(T.scalar(0, 'int32'));
      return [r.sum, r.depth, r.max];
    }
    const trees = fc.sample(
      tree.filter((t) => countNodes(t) <= SIZE),
      { numRuns: 12, seed: 15 },
    );
    await agrees(
      treeStats,
      trees.map((t) => treeArgs(encode(t, SIZE))),
    );
  });

  it('a TreeLSTM over a tensor-encoded tree', async () => {
    const H = 3;
    const rand = (shape: number[], seed: number) => tf.randomUniform(shape, -0.5, 0.5, 'float32', seed);
    const weights = { U: rand([2 * H, 5 * H], 1), b: rand([5 * H], 2), E: rand([6, H], 3) };
    function treeLstm(left: any, right: any, word: any) {
      function node(i: any): any {
        if (T.less(T.gather(left, i), 0)) {
          const x = T.reshape(T.gather(W.E, T.cast(T.gather(word, i), 'int32')), [1, H]);
          return [T.tanh(x), x];
        }
        const [hl, cl] = node(T.gather(left, i));
        const [hr, cr] = node(T.gather(right, i));
        const gates = T.matMul(T.concat([hl, hr], 1), W.U) + W.b;
        const [ig, fl, fr, o, u] = T.split(gates, 5, 1);
        const c = T.sigmoid(ig) * T.tanh(u) + T.sigmoid(fl) * cl + T.sigmoid(fr) * cr;
        return [T.sigmoid(o) * T.tanh(c), c];
      }
      return node(T.scalar(0, 'int32'));
    }
    const trees = fc.sample(
      tree.filter((t) => countNodes(t) <= 20),
      { numRuns: 6, seed: 3 },
    );
    await agrees(
      treeLstm,
      trees.map((t) => {
        const e = encode(t, 20);
        return treeArgs({ ...e, value: e.value.map((v) => Math.abs(v)) });
      }),
      { H, W: weights },
    );
  });

  it('fibonacci, mutual recursion, binary search and a bounded Ackermann', async () => {
    await agrees(
      (n: any) => {
        function fib(k: any): any {
          if (k <= 1) return k;
          return fib(k - 1) + fib(k - 2);
        }
        return fib(n);
      },
      [[tf.scalar(0)], [tf.scalar(1)], [tf.scalar(7)], [tf.scalar(10, 'int32')]],
    );
    await agrees(
      (n: any) => {
        function even(k: any): any {
          if (k == 0) return T.scalar(true);
          return odd(k - 1);
        }
        function odd(k: any): any {
          if (k == 0) return T.scalar(false);
          return even(k - 1);
        }
        return [even(n), odd(n)];
      },
      [[tf.scalar(0, 'int32')], [tf.scalar(5, 'int32')], [tf.scalar(8, 'int32')]],
    );
    const sorted = tf.tensor1d([1, 3, 4, 8, 9, 12, 15, 20]);
    await agrees(
      (x: any) => {
        function search(lo: any, hi: any): any {
          if (lo >= hi) return lo;
          const mid = T.floorDiv(lo + hi, T.scalar(2, 'int32'));
          if (T.gather(sorted, mid) < x) return search(mid + 1, hi);
          return search(lo, mid);
        }
        return search(T.scalar(0, 'int32'), T.scalar(8, 'int32'));
      },
      [[tf.scalar(0)], [tf.scalar(8)], [tf.scalar(10)], [tf.scalar(99)]],
      { sorted },
    );
    await agrees(
      (m: any, n: any) => {
        function ack(a: any, b: any): any {
          if (a == 0) return b + 1;
          if (b == 0) return ack(a - 1, T.scalar(1, 'int32'));
          return ack(a - 1, ack(a, b - 1));
        }
        return ack(m, n);
      },
      [
        [tf.scalar(0, 'int32'), tf.scalar(3, 'int32')],
        [tf.scalar(1, 'int32'), tf.scalar(2, 'int32')],
        [tf.scalar(2, 'int32'), tf.scalar(2, 'int32')],
      ],
    );
  });

  it('the IR shows the calls and their functions; the exported model runs in ONNX Runtime', async () => {
    const f = ag.stage(
      (n: any) => {
        function fib(k: any): any {
          if (k <= 1) return k;
          return fib(k - 1) + fib(k - 2);
        }
        return fib(n);
      },
      { scope },
    );
    const text = f.graph(tf.scalar(6));
    expect(text).toMatch(/= call\(%\d+\) \{callee: "fib#1"\}/);
    expect(text).toMatch(/^func fib#1\(%\d+: f32\[\]\) -> \(f32\[\]\)/m);
    const bytes = f.exportOnnxBytes(tf.scalar(6));
    const session = await ort.InferenceSession.create(bytes);
    for (const n of [2, 9]) {
      const out = await session.run({ input0: new ort.Tensor('float32', Float32Array.of(n), []) });
      expect(Array.from(out.output0!.data as Float32Array)).toEqual([[0, 1, 1, 2, 3, 5, 8, 13, 21, 34][n]]);
    }
    await session.release();
  });

  it('one trace serves trees of every size (a named dynamic dim); the exported model runs them in ONNX Runtime', async () => {
    function sumLeaves(left: any, right: any, value: any) {
      function visit(i: any): any {
        if (T.gather(left, i) < 0) return T.gather(value, i);
        return visit(T.gather(left, i)) + visit(T.gather(right, i)) * 2;
      }
      return visit(T.scalar(0, 'int32'));
    }
    const nodes = ag.spec(['nodes'], 'int32');
    const f = ag.stage(sumLeaves, { scope, inputSignature: [nodes, nodes, ag.spec(['nodes'])] });
    const onJs = ag.stage(sumLeaves, {
      scope,
      inputSignature: [nodes, nodes, ag.spec(['nodes'])],
      executor: 'js',
    });
    const eager = ag.convert(sumLeaves, { scope });
    const session = await ort.InferenceSession.create(f.exportOnnxBytes(nodes, nodes, ag.spec(['nodes'])));
    const trees = fc.sample(tree, { numRuns: 8, seed: 21 });
    for (const t of trees) {
      const e = encode(t, countNodes(t));
      const args = treeArgs(e);
      const expected = flat(eager(...args));
      expect(flat(await f(...args))).toEqual(expected);
      const out = await session.run({
        input0: new ort.Tensor('int32', Int32Array.from(e.left), [e.left.length]),
        input1: new ort.Tensor('int32', Int32Array.from(e.right), [e.right.length]),
        input2: new ort.Tensor('float32', Float32Array.from(e.value), [e.value.length]),
      });
      expect([Array.from(out.output0!.data as Float32Array)]).toEqual(expected);
      expect(flat(await onJs(...args)), 'compiled JS').toEqual(expected);
    }
    expect(f.traceCount).toBe(1);
    await onJs.dispose();
    await session.release();
    await f.dispose();
  });

  it('recursion inside a staged loop runs on the tfjs executor and as compiled JS; ONNX refuses it naming the call', async () => {
    const fn = (n: any) => {
      function f(k: any): any {
        if (k <= 0) return k;
        let s = T.scalar(0);
        let j = T.scalar(0);
        while (j < 2) {
          s = s + f(k - 1);
          j = j + 1;
        }
        return s + 1;
      }
      return f(n);
    };
    const eager = ag.convert(fn, { scope });
    for (const executor of ['tfjs', 'js'] as const) {
      const staged = ag.stage(fn, { scope, executor });
      expect(flat(await staged(tf.scalar(3))), executor).toEqual(flat(eager(tf.scalar(3))));
    }
    const error = await ag
      .stage(fn, { scope })(tf.scalar(3))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ag.StagingError);
    expect((error as Error).message).toMatch(
      /a staged recursive call inside a staged loop cannot be lowered to ONNX.*executor: 'tfjs'/,
    );
  });
});

describe('call signatures while tracing', () => {
  it('a cyclic argument, a getter and a Proxy are keyed by identity: no endless walk, no extra reads', async () => {
    const reads: string[] = [];
    const cyclic: any = { scale: 2 };
    cyclic.self = cyclic;
    const withGetter = {
      get scale() {
        reads.push('get');
        return 3;
      },
    };
    const proxied = new Proxy(
      { scale: 4 },
      {
        get(target: any, key) {
          reads.push(`proxy ${String(key)}`);
          return target[key];
        },
      },
    );
    const f = ag.stage(
      (x: any) => {
        function scaled(o: any, y: any): any {
          return y * o.scale;
        }
        return scaled(cyclic, x) + scaled(withGetter, x) + scaled(proxied, x);
      },
      { scope: { ...scope, cyclic, withGetter, proxied } },
    );
    expect(flat(await f(tf.scalar(1)))).toEqual([[9]]);
    // read once each, by the program itself, while tracing
    expect(reads).toEqual(['get', 'proxy scale']);
  });
});

describe('gradients through staged recursion', () => {
  it('tf.grad through a recursion that multiplies by its argument', async () => {
    await agrees(
      (n: any, w: any) => {
        function f(k: any, x: any): any {
          if (k <= 1) return x * k;
          return f(k - 1, x) + f(k - 2, x) * x;
        }
        return T.grad((x: any) => f(n, x))(w);
      },
      [
        [tf.scalar(1), tf.scalar(2)],
        [tf.scalar(6), tf.scalar(1.5)],
        [tf.scalar(7), tf.scalar(-0.5)],
      ],
    );
  });

  it('a TreeLSTM training step: variableGrads of captured weights, on generated trees', async () => {
    const H = 3;
    const rand = (shape: number[], seed: number) => tf.randomUniform(shape, -0.5, 0.5, 'float32', seed);
    const V = {
      U: tf.variable(rand([2 * H, 5 * H], 1)),
      b: tf.variable(rand([5 * H], 2)),
      E: tf.variable(rand([6, H], 3)),
    };
    function step(left: any, right: any, word: any) {
      function node(i: any): any {
        if (T.less(T.gather(left, i), 0)) {
          const x = T.reshape(T.gather(V.E, T.cast(T.gather(word, i), 'int32')), [1, H]);
          return [T.tanh(x), x];
        }
        const [hl, cl] = node(T.gather(left, i));
        const [hr, cr] = node(T.gather(right, i));
        const gates = T.matMul(T.concat([hl, hr], 1), V.U) + V.b;
        const [ig, fl, fr, o, u] = T.split(gates, 5, 1);
        const c = T.sigmoid(ig) * T.tanh(u) + T.sigmoid(fl) * cl + T.sigmoid(fr) * cr;
        return [T.sigmoid(o) * T.tanh(c), c];
      }
      const { value, grads } = T.variableGrads(() => T.sum(T.square(node(T.scalar(0, 'int32'))[0])));
      return [value, grads[V.U.name], grads[V.b.name], grads[V.E.name]];
    }
    const trees = fc.sample(
      // (a tree with an inner node: a lone leaf reads no U, and variableGrads then gives it no gradient)
      tree.filter((t) => countNodes(t) >= 3 && countNodes(t) <= 15),
      { numRuns: 5, seed: 8 },
    );
    await agrees(
      step,
      trees.map((t) => {
        const e = encode(t, 15);
        return treeArgs({ ...e, value: e.value.map((v) => Math.abs(v)) });
      }),
      { H, V },
    );
    for (const v of Object.values(V)) v.dispose();
  });
});

describe('what staged recursion refuses', () => {
  it('recursion that never reaches its base case fails the run with an ExecutionError at the call, on both executors', async () => {
    const fn = (n: any) => {
      function down(k: any): any {
        if (k == 0) return k;
        return down(k - 1) + 1;
      }
      return down(n);
    };
    for (const executor of EXECUTORS) {
      const f = ag.stage(fn, { scope, executor });
      expect(flat(await f(tf.scalar(50)))).toEqual([[50]]);
      const error = await f(tf.scalar(-1)).catch((e: unknown) => e);
      expect(error, executor).toBeInstanceOf(ag.ExecutionError);
      expect((error as Error).message, executor).toMatch(
        {
          onnx: /^\S*recursion-loop\.test\.ts:\d+:\d+: staged recursion of 'down' went deeper than 10000 calls: its base case is never reached/,
          tfjs: /staged recursion of 'down' went deeper than 500 calls: .*the tfjs executor recurses in JS and stops there, ONNX Runtime allows 10000/,
          js: /staged recursion of 'down' went deeper than 2000 calls: .*the compiled-JS executor recurses in JS and stops there/,
        }[executor],
      );
      await f.dispose();
    }
  });

  const stagingError = async (fn: (...args: any[]) => unknown, arg: unknown, extra = {}) => {
    const e = await ag
      .stage(fn, { scope: { ...scope, ...extra }, executor: 'tfjs' })(arg)
      .catch((e: unknown) => e);
    expect(e).toBeInstanceOf(ag.StagingError);
    return (e as Error).message;
  };

  it('no base case', async () => {
    expect(
      await stagingError((n: any) => {
        function f(k: any): any {
          if (k > 0) return f(k - 1) + 1;
          return f(k + 1) - 1;
        }
        return f(n);
      }, tf.scalar(2)),
    ).toMatch(/'f' recurses on every path of its body .*needs a base case/);
  });

  it('results whose dtype changes between the base case and the recursion', async () => {
    expect(
      await stagingError((n: any) => {
        function f(k: any): any {
          if (k <= 0) return T.cast(k, 'int32');
          return T.cast(f(k - 1), 'float32') * 2;
        }
        return f(n);
      }, tf.scalar(2)),
    ).toMatch(
      /^<anonymous>:3:5: 'the return value' is int32 \[\] in the then branch but float32 \[\] in the else branch/,
    );
  });

  it('results whose structure changes', async () => {
    expect(
      await stagingError((n: any) => {
        function f(k: any): any {
          if (k <= 0) return [k, k];
          return f(k - 1)[0];
        }
        return f(n);
      }, tf.scalar(2)),
    ).toMatch(/'the return value' is an array on one path and a tensor on another/);
  });

  it('a JS argument that changes at every level', async () => {
    expect(
      await stagingError((n: any) => {
        function f(k: any, depth: number): any {
          if (k <= 0) return k + depth;
          return f(k - 1, depth + 1);
        }
        return f(n, 0);
      }, tf.scalar(2)),
    ).toMatch(
      /'f' calls itself 200 levels deep inside staged control flow, with other arguments at each level/,
    );
  });

  it('assigning a tf.Variable or throwing under a tensor condition inside the recursion', async () => {
    const v = tf.variable(tf.scalar(0));
    expect(
      await stagingError(
        (n: any) => {
          function f(k: any): any {
            if (k <= 0) return k;
            v.assign((v as any) + 1);
            return f(k - 1);
          }
          return f(n);
        },
        tf.scalar(2),
        { v },
      ),
    ).toMatch(/'f' assigns the tf.Variable '.*' in a recursion decided by a tensor: .* not supported yet/);
    v.dispose();
    expect(
      await stagingError((n: any) => {
        function f(k: any): any {
          if (k < 0) throw new Error('negative');
          if (k == 0) return k;
          return f(k - 1);
        }
        return f(n);
      }, tf.scalar(2)),
    ).toMatch(/'f' throws under a tensor condition in a recursion decided by a tensor/);
  });
});
