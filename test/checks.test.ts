/**
 * `throw` under tensor conditions in staged code (staging/checks.ts): valid input runs, invalid input
 * rejects with the user's error (class, message, the throw's location) on both executors, loops stop
 * at a failure, and the eager form agrees on every input; try/catch around such a throw and
 * console.assert.
 */
import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as ag from '../src/index.ts';
import { StagingError } from '../src/index.ts';

const T: any = tf;
class InputError extends RangeError {}
const scope = { T, InputError };
const data = (t: any) => (t instanceof tf.Tensor ? Array.from(t.dataSync()) : t);

/** The outcome of a call: its values, or the error's class name and message. */
async function outcome(run: () => unknown): Promise<unknown> {
  try {
    const out = await run();
    return Array.isArray(out) ? out.map(data) : data(out);
  } catch (e) {
    return { error: (e as Error).constructor.name, message: (e as Error).message };
  }
}

/** Staged on both executors and eagerly, `fn` gives the same outcome on every input. */
async function agrees(fn: (...args: any[]) => unknown, inputs: unknown[][]) {
  const eager = ag.convert(fn, { scope });
  for (const executor of ['onnx', 'tfjs', 'js'] as const) {
    const f = ag.stage(fn, { scope, executor });
    for (const args of inputs) {
      const expected = await outcome(() => eager(...args));
      expect(await outcome(() => f(...args)), `${executor} ${JSON.stringify(args.map(data))}`).toEqual(
        expected,
      );
    }
  }
}

afterEach(() => vi.restoreAllMocks());

describe('staged throw', () => {
  it('a guard at the top: valid input runs, invalid rejects with the user error class and message', async () => {
    await agrees(
      (x: any) => {
        if (T.min(x) <= 0) throw new InputError('non-positive input');
        return T.log(x);
      },
      [[tf.tensor([1, 2])], [tf.tensor([1, -2])], [tf.tensor([0, 3])]],
    );
  });

  it('the rejection is located at the throw', async () => {
    const f = ag.stage(
      (x: any) => {
        if (T.sum(x) > 3) {
          throw new InputError('too large');
        }
        return x;
      },
      { scope },
    );
    const err = await f(tf.tensor([2, 2])).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect(err).toBeInstanceOf(RangeError);
    expect((err as Error).stack).toMatch(/at <anonymous>:3:\d+ \(a staged check\)/);
  });

  it('inside a loop: the loop stops at the failure (no hang on a loop that would never end)', async () => {
    await agrees(
      (n: any) => {
        let i = T.scalar(0);
        while (i !== n) {
          if (n < 0) throw new InputError('negative count');
          i = i + 1;
        }
        return i;
      },
      [[tf.scalar(3)], [tf.scalar(-1)], [tf.scalar(0)]],
    );
  });

  it('a throw in a loop body after some iterations; a for…of over a tensor', async () => {
    await agrees(
      (xs: any, limit: any) => {
        let s = T.scalar(0);
        for (const x of xs) {
          s = s + x;
          if (s > limit) throw new Error('over the limit');
        }
        return s;
      },
      [
        [tf.tensor([1, 2, 3]), tf.scalar(10)],
        [tf.tensor([1, 2, 3]), tf.scalar(2)],
      ],
    );
  });

  it('both branches throw different errors: the taken one is reported', async () => {
    await agrees(
      (x: any, y: any) => {
        if (T.sum(x) > 0) {
          if (T.sum(y) > 0) throw new InputError('x and y positive');
          else throw new TypeError('only x positive');
        }
        return x + y;
      },
      [
        [tf.scalar(1), tf.scalar(1)],
        [tf.scalar(1), tf.scalar(-1)],
        [tf.scalar(-1), tf.scalar(1)],
      ],
    );
  });

  it('a throw in a helper function and in a conditional expression', async () => {
    await agrees(
      (x: any) => {
        function check(t: any) {
          if (T.any(T.isNaN(t))) throw new InputError('NaN input');
          return t;
        }
        const fail = (): never => {
          throw new Error('no value');
        };
        const y = check(x) * 2;
        return T.sum(y) > 0 ? y : fail();
      },
      [[tf.tensor([1, 2])], [tf.tensor([1, Number.NaN])], [tf.tensor([-1, -2])]],
    );
  });

  it('a call that fails writes back no variable', async () => {
    const v: any = tf.variable(tf.scalar(1));
    const f = ag.stage(
      (x: any) => {
        v.assign(v + x);
        if (v > 5) throw new InputError('too much');
        return v * 1;
      },
      { scope: { T, InputError, v } },
    );
    expect(data(await f(tf.scalar(2)))).toEqual([3]);
    await expect(f(tf.scalar(10))).rejects.toThrow('too much');
    expect(data(v)).toEqual([3]);
    v.dispose();
  });

  it('an unconditional throw raises when tracing, as every eager call would', async () => {
    const f = ag.stage(
      (x: any) => {
        throw new InputError(`always (${x.shape})`);
      },
      { scope },
    );
    await expect(f(tf.scalar(1))).rejects.toThrow(InputError);
  });

  it('an error that is not a throw of converted code (a shape error in a branch) still fails the trace', async () => {
    const f = ag.stage((x: any) => (T.sum(x) > 0 ? T.matMul(x, x) : x), { scope });
    await expect(f(tf.ones([2, 3]))).rejects.toThrow(/matMul|inner|shape/i);
  });

  it('try/catch around a throw under a tensor condition is a located StagingError', async () => {
    const f = ag.stage(
      (x: any) => {
        try {
          if (T.sum(x) > 0) throw new InputError('positive');
          return x;
        } catch (e) {
          return x * 0;
        }
      },
      { scope },
    );
    await expect(f(tf.scalar(1))).rejects.toThrow(StagingError);
    await expect(f(tf.scalar(1))).rejects.toThrow(
      /<anonymous>:3:\d+: this throw depends on a tensor condition and is inside try\/catch/,
    );
  });

  it('try/catch around a JS-conditioned throw still runs at trace time', async () => {
    await agrees(
      (x: any, long: boolean) => {
        let y = x;
        try {
          if (long) throw new Error('long');
          y = x * 2;
        } catch (e) {
          y = x * 3;
        }
        if (T.sum(y) > 100) throw new InputError('huge');
        return y;
      },
      [
        [tf.tensor([1, 2]), false],
        [tf.tensor([1, 2]), true],
        [tf.tensor([100, 2]), true],
      ],
    );
  });
});

describe('console.assert', () => {
  it('staged: prints "Assertion failed" when the graph runs and the condition is false', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    for (const executor of ['onnx', 'tfjs', 'js'] as const) {
      log.mockClear();
      const f = ag.stage(
        (x: any) => {
          console.assert(T.sum(x) < 5, 'sum too big');
          return x;
        },
        { scope, executor },
      );
      await f(tf.tensor([1, 2]));
      expect(log).not.toHaveBeenCalled();
      await f(tf.tensor([3, 4]));
      expect(log.mock.calls.map((c) => c.join(' '))).toEqual(['Assertion failed: sum too big']);
    }
  });

  it('eager: an eager tensor condition is read as a condition', () => {
    const assert = vi.spyOn(console, 'assert').mockImplementation(() => {});
    ag.convert(
      (x: any) => {
        console.assert(T.sum(x) < 5, 'big');
      },
      { scope },
    )(tf.tensor([3, 4]));
    expect(assert).toHaveBeenCalledWith(false, 'big');
  });
});
