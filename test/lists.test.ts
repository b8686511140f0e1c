/**
 * Lists in staged code (TensorArray): JS arrays pushed to in staged loops and branches, stacked,
 * concatenated, iterated, popped, and returned; structured values (arrays and objects of tensors)
 * through staged `?:`, `if` and loops. Each program runs converted in eager form and staged on both
 * executors; the results must agree.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import * as ag from '../src/index.ts';
import { difference, toArrays } from './staged/compare.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const T: any = { ...tf };
const scope = { T };

/** Eager vs staged (both executors) on each argument list; returns the staged results on ORT. */
async function agree(fn: (...a: any[]) => unknown, ...calls: unknown[][]): Promise<unknown[]> {
  const results: unknown[] = [];
  for (const executor of ['onnx', 'tfjs', 'js'] as const) {
    const staged = ag.stage(fn, { scope, executor });
    for (const args of calls) {
      const eager = ag.convert(fn, { scope })(...args);
      const out = await staged(...(args as []));
      const diff = difference(toArrays(eager), toArrays(out));
      expect(diff, `${executor} on ${JSON.stringify(toArrays(args))}`).toBeNull();
      if (executor === 'onnx') results.push(out);
    }
    await staged.dispose();
  }
  return results;
}

const i32 = (n: number) => tf.scalar(n, 'int32');

describe('lists pushed in staged loops', () => {
  it('greedy decoding: tokens pushed until an end token, a data-dependent length', async () => {
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
    const f = ag.stage(decode, { scope: { T, table } });
    for (const [start, expected] of [
      [1, [1]],
      [2, [2, 4, 1]],
      [3, [3, 2, 4, 1]],
    ] as const) {
      const eager = ag.convert(decode, { scope: { T, table } })(i32(start)) as tf.Tensor;
      expect(Array.from(eager.dataSync())).toEqual(expected);
      const out = (await f(i32(start))) as tf.Tensor;
      expect(out.dtype).toBe('int32');
      expect(Array.from(out.dataSync())).toEqual(expected);
    }
    expect(f.traceCount).toBe(1);
    expect(f.graph(i32(1))).toContain('i32[?]');
  });

  it('prefix sums pushed row by row over a for…of', async () => {
    await agree(
      (x: any) => {
        const sums = [];
        let acc = T.zeros([2]);
        for (const row of x) {
          acc = acc + row;
          sums.push(acc);
        }
        return T.stack(sums);
      },
      [
        tf.tensor2d([
          [1, 2],
          [3, 4],
          [5, 6],
        ]),
      ],
      [tf.tensor2d([[1, 1]])],
    );
  });

  it('a list that already holds elements grows, and concat joins its rows', async () => {
    await agree(
      (x: any) => {
        const parts = [x];
        let y = x;
        while (T.sum(y) < 20) {
          y = y * 2;
          parts.push(y);
        }
        return [T.stack(parts), T.concat(parts)];
      },
      [tf.tensor1d([1, 2])],
      [tf.tensor1d([30, 1])],
    );
  });

  it('an empty list stays empty when the loop does not run: it stacks to [0, ...element]', async () => {
    const collect = (x: any) => {
      const seen = [];
      while (T.sum(x) < 10) {
        seen.push(x);
        x = x + 4;
      }
      return T.stack(seen);
    };
    await agree(collect, [tf.tensor1d([1, 0])]);
    // eagerly tf.stack([]) fails; staged, the list knows its element type from the traced body
    for (const executor of ['onnx', 'tfjs', 'js'] as const) {
      const out = (await ag.stage(collect, { scope, executor })(tf.tensor1d([100, 0]))) as tf.Tensor;
      expect(out.shape).toEqual([0, 2]);
    }
  });

  it('a list iterated with for…of after the loop', async () => {
    await agree(
      (x: any) => {
        const halves = [];
        while (T.sum(x) > 1) {
          x = x / 2;
          halves.push(x);
        }
        let total = T.zeros([2]);
        for (const h of halves) total = total + h;
        return total;
      },
      [tf.tensor1d([8, 8])],
      [tf.tensor1d([0.5, 0.25])],
    );
  });

  it('pop takes the last element back', async () => {
    await agree(
      (x: any) => {
        const stack = [];
        let n = 0;
        while (n < 4) {
          stack.push(x * n);
          n = n + 1;
        }
        const last = stack.pop();
        return [last, T.stack(stack)];
      },
      [tf.tensor1d([1, 2])],
    );
  });

  it('a list pushed under a staged branch inside a loop', async () => {
    await agree(
      (x: any) => {
        const positives = [];
        for (const v of x) {
          if (v > 0) positives.push(v * 10);
        }
        return T.stack(positives);
      },
      [tf.tensor1d([1, -2, 3, -4, 5])],
      [tf.tensor1d([2, 2])],
    );
  });
});

describe('lists and structured values through staged branches', () => {
  it('c ? [a, b] : [d, e] (arrays of tensors)', async () => {
    await agree(
      (x: any) => {
        const logp = T.logSoftmax(x);
        const entropy = -T.sum(T.exp(logp) * logp);
        return entropy > 0.5 ? [entropy, T.scalar(1)] : [entropy, T.scalar(0)];
      },
      [tf.tensor1d([1, 1, 1])],
      [tf.tensor1d([10, 0, 0])],
    );
  });

  it('objects of tensors through an if, with a JS value equal on both paths kept', async () => {
    await agree(
      (x: any) => {
        let state = { h: x, c: x * 2, label: 'state' };
        if (T.sum(x) > 0) state = { h: x + 1, c: x * 3, label: 'state' };
        return [state.h, state.c, state.label === 'state' ? 1 : 0];
      },
      [tf.tensor1d([1, 2])],
      [tf.tensor1d([-1, -2])],
    );
  });

  it('an [h, c] state carried by a staged loop', async () => {
    await agree(
      (x: any) => {
        let state = [x, x * 0];
        while (T.sum(state[0]) < 10) {
          const [h, c] = state;
          state = [h * 2, c + h];
        }
        return state;
      },
      [tf.tensor1d([1, 2])],
      [tf.tensor1d([20, 1])],
    );
  });

  it('a list pushed in one branch only gets a dynamic length', async () => {
    await agree(
      (x: any) => {
        let items = [x];
        if (T.sum(x) > 0) items = [x, x * 2];
        return T.stack(items);
      },
      [tf.tensor1d([1, 2])],
      [tf.tensor1d([-1, -2])],
    );
  });
});

describe('list errors', () => {
  it('a list of mixed element shapes is a located StagingError', async () => {
    const f = ag.stage(
      (x: any) => {
        const items = [x];
        while (T.sum(x) < 10) {
          x = T.concat([x, x]);
          items.push(x);
        }
        return T.stack(items);
      },
      { scope },
    );
    await expect(f(tf.tensor1d([1, 2]))).rejects.toThrow(
      /:\d+:\d+: a list of f32\[2\] elements cannot take a f32\[4\] element/,
    );
  });

  it('a list of strings cannot be carried', async () => {
    const f = ag.stage(
      (x: any) => {
        const names = ['a'];
        while (T.sum(x) < 10) {
          x = x + 1;
          names.push('b');
        }
        return x;
      },
      { scope },
    );
    await expect(f(tf.tensor1d([1, 2]))).rejects.toThrow(
      /'names\[0\]' is string, but staged control flow can only carry tensors, numbers and booleans/,
    );
  });
});

describe('indexing and length of lists and dynamic tensors', () => {
  it('list[i], list.length and a list read at a symbolic index', async () => {
    await agree(
      (x: any) => {
        const steps = [];
        while (T.sum(x) < 20) {
          x = x * 2;
          steps.push(x);
        }
        const n = steps.length;
        return [n, steps[0], steps[n - 1]];
      },
      [tf.tensor1d([1, 2])],
      [tf.tensor1d([5, 5])],
    );
  });

  it('an index loop over the rows of a dynamic-length input', async () => {
    const f = (m: any) => {
      let acc = T.zeros([2]);
      for (let i = 0; i < m.length; i++) acc = acc + m[i] * i;
      return acc;
    };
    const staged = ag.stage(f, { scope, inputSignature: [ag.spec([null, 2])] });
    for (const rows of [1, 3, 6]) {
      const m = tf.randomUniform([rows, 2]);
      const eager = ag.convert(f, { scope })(m);
      expect(difference(toArrays(eager), toArrays(await staged(m)))).toBeNull();
    }
    expect(staged.traceCount).toBe(1);
  });

  it('a list index out of range fails: at trace time when the length is static, at run time otherwise', async () => {
    const negative = ag.stage(
      (x: any) => {
        const items = [];
        while (T.sum(x) < 4) {
          x = x + 1;
          items.push(x);
        }
        return items[-1];
      },
      { scope },
    );
    await expect(negative(tf.tensor1d([1]))).rejects.toThrow(/:\d+:\d+: index -1 is out of range for a list/);
    const beyond = (x: any) => {
      const items = [];
      while (T.sum(x) < 4) {
        x = x + 1;
        items.push(x);
      }
      return items[5];
    };
    await expect(ag.stage(beyond, { scope })(tf.tensor1d([1]))).rejects.toThrow(ag.ExecutionError);
    await expect(ag.stage(beyond, { scope, executor: 'tfjs' })(tf.tensor1d([1]))).rejects.toThrow();
  });
});
