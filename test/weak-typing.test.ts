/**
 * Weak typing of JS numbers in converted operators: every operator × tensor dtype × kind of number
 * (integer, fraction, negative, NaN, beyond int32), with the tensor on either side, in eager form and
 * staged on both executors, against a written-down dtype table and JS arithmetic on the elements.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import * as ag from '../src/index.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

type DType = 'float32' | 'int32' | 'bool';
type NumberKind = 'integer' | 'fraction' | 'negative' | 'NaN' | 'big';

const NUMBERS: Record<NumberKind, number> = {
  integer: 3,
  fraction: 0.5,
  negative: -2,
  NaN: NaN,
  big: 2 ** 40,
};
/** No zeros: `n % t` and `n / t` stay finite, and int32 cannot hold JS's NaN. */
const VALUES: Record<DType, number[]> = { float32: [1.5, -2.25, 4], int32: [7, -3, 2], bool: [1, 0, 1] };

const OPERATORS: Record<string, (a: any, b: any) => any> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => a / b,
  '%': (a, b) => a % b,
  '**': (a, b) => a ** b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
  '==': (a, b) => a == b,
  '!=': (a, b) => a != b,
  '===': (a, b) => a === b,
  '!==': (a, b) => a !== b,
};
const COMPARISONS = new Set(['<', '<=', '>', '>=', '==', '!=', '===', '!==']);

/**
 * The table: comparisons give bool and `/` float32; otherwise an int32 tensor keeps int32 beside an
 * integer int32 holds (not as the exponent of `**`, nor beside a negative exponent), and everything
 * else is float32, as tfjs promotes a JS number.
 */
function expectedDtype(op: string, dtype: DType, kind: NumberKind, tensorLeft: boolean): DType {
  if (COMPARISONS.has(op)) return 'bool';
  if (op === '/' || dtype !== 'int32') return 'float32';
  const integer = kind === 'integer' || kind === 'negative';
  if (!integer) return 'float32';
  if (op === '**') return tensorLeft && kind === 'integer' ? 'int32' : 'float32';
  return 'int32';
}

/** JS arithmetic on the elements (bools as JS booleans), rounded into the result dtype. */
function expectedValues(op: string, dtype: DType, n: number, tensorLeft: boolean, out: DType): number[] {
  return VALUES[dtype].map((v) => {
    const e = dtype === 'bool' ? v === 1 : v;
    const r = tensorLeft ? OPERATORS[op]!(e, n) : OPERATORS[op]!(n, e);
    return out === 'bool' ? Number(r) : out === 'float32' ? Math.fround(Number(r)) : Number(r) + 0;
  });
}

const close = (a: number, e: number) =>
  Number.isNaN(e)
    ? Number.isNaN(a)
    : !Number.isFinite(e)
      ? a === e
      : Math.abs(a - e) <= 1e-6 * Math.abs(e) + 1e-6;

function check(result: unknown, dtype: DType, values: number[], what: string): void {
  expect(result, what).toBeInstanceOf(tf.Tensor);
  const t = result as tf.Tensor;
  expect(t.dtype, `${what}: dtype`).toBe(dtype);
  const got = Array.from(t.dataSync() as ArrayLike<number>);
  expect(
    got.every((g, i) => close(g, values[i]!)),
    `${what}: ${got} vs ${values}`,
  ).toBe(true);
}

const cases = Object.keys(OPERATORS).flatMap((op) =>
  (['float32', 'int32', 'bool'] as const).flatMap((dtype) =>
    (Object.keys(NUMBERS) as NumberKind[]).flatMap((kind) =>
      [true, false]
        // tfjs has no `%` or `**` on bool tensors
        .filter(() => !(dtype === 'bool' && (op === '%' || op === '**')))
        .map((tensorLeft) => ({ op, dtype, kind, tensorLeft })),
    ),
  ),
);

describe('weak typing of JS numbers', () => {
  it.each(
    cases.map((c) => [
      `${c.tensorLeft ? 't' : 'n'} ${c.op} ${c.tensorLeft ? 'n' : 't'} (${c.dtype}, ${c.kind})`,
      c,
    ]),
  )('%s', async (_name, { op, dtype, kind, tensorLeft }) => {
    const fn = OPERATORS[op]!;
    const n = NUMBERS[kind];
    const out = expectedDtype(op, dtype, kind, tensorLeft);
    const values = expectedValues(op, dtype, n, tensorLeft, out);
    const t = () => tf.tensor1d(VALUES[dtype], dtype);
    const call = (f: (a: any, b: any) => any) => (tensorLeft ? f(t(), n) : f(n, t()));
    check(call(ag.convert(fn) as any), out, values, 'eager');
    for (const executor of ['onnx', 'tfjs', 'js'] as const) {
      const staged = ag.stage(fn, { executor });
      check(await call(staged), out, values, `staged on ${executor}`);
      await staged.dispose();
    }
  });

  it('unary minus keeps the dtype', async () => {
    const neg = (a: any) => -a;
    for (const dtype of ['float32', 'int32'] as const) {
      const values = VALUES[dtype].map((v) => -v + 0);
      check(ag.convert(neg)(tf.tensor1d(VALUES[dtype], dtype)), dtype, values, 'eager');
      check(await ag.stage(neg)(tf.tensor1d(VALUES[dtype], dtype)), dtype, values, 'staged');
    }
  });

  it('explicit tf.add(t, 1) keeps tfjs rule (float32)', () => {
    const T = { ...tf };
    const f = ag.convert((t: any) => T.add(t, 1), { scope: { T } });
    expect((f(tf.scalar(2, 'int32')) as tf.Tensor).dtype).toBe('float32');
  });
});

describe('weakly typed JS numbers in staged control flow', () => {
  const T: any = { ...tf };
  const run = async (fn: (...a: any[]) => unknown, ...args: unknown[]) => {
    const eager = ag.convert(fn, { scope: { T } })(...args) as any;
    const staged = ag.stage(fn, { scope: { T } });
    const out = await staged(...(args as []));
    await staged.dispose();
    return { eager, staged: out as any };
  };

  it('an int32 counter incremented by a JS number stays int32 (the issue example)', async () => {
    const { eager, staged } = await run(
      (n: any) => {
        let c = T.scalar(0, 'int32');
        while (n > 0) {
          n = n - 1;
          c = c + 1;
        }
        return c;
      },
      tf.scalar(5, 'int32'),
    );
    expect(eager.dtype).toBe('int32');
    check(staged, 'int32', [5], 'staged');
  });

  it('a JS integer carried next to int32 values stays int32', async () => {
    const { eager, staged } = await run(
      (n: any) => {
        let steps = 0;
        while (n > 1) {
          n = n % 2 == 0 ? T.floorDiv(n, T.scalar(2, 'int32')) : n * 3 + 1;
          steps = steps + (n % 2);
        }
        return steps;
      },
      tf.scalar(6, 'int32'),
    );
    expect(eager.dtype).toBe('int32');
    check(staged, 'int32', [eager.dataSync()[0]], 'staged');
  });

  it('a JS integer that meets a fraction in the loop becomes float32', async () => {
    const { eager, staged } = await run(
      (x: any) => {
        let s = 0;
        while (T.sum(x) > 1) {
          x = x * 0.5;
          s = s + 0.25;
        }
        return s;
      },
      tf.tensor1d([4, 4]),
    );
    check(staged, 'float32', [eager], 'staged');
  });

  it('a JS integer counter passed to a tfjs op is float32 there, as a JS number is eagerly', async () => {
    const { eager, staged } = await run(
      (x: any) => {
        let k = 0;
        while (T.sum(x) < 20) {
          k = k + 1;
          x = T.where(T.greater(x, 2), x, k);
          x = x + 1;
        }
        return [x, k];
      },
      tf.tensor1d([1, 5]),
    );
    check(staged[0], 'float32', Array.from(eager[0].dataSync()), 'staged x');
    check(staged[1], 'float32', [eager[1]], 'staged k');
  });

  it('tfjs ops on a JS counter give what they give eagerly (no int32 division, float32 stacks)', async () => {
    const { eager, staged } = await run(
      (x: any) => {
        let i = 0;
        const rows = [];
        while (T.sum(x) < 10) {
          x = x + 1;
          i = i + 1;
          rows.push(i);
        }
        // eagerly i is a JS number: tf.div(int32 7, 2) is 3.5, tf.stack([1, 2]) is float32
        return [T.div(T.scalar(7, 'int32'), i), T.stack(rows), T.square(i)];
      },
      tf.tensor1d([1, 2]),
    );
    check(staged[0], 'float32', Array.from(eager[0].dataSync()), 'tf.div');
    check(staged[1], 'float32', Array.from(eager[1].dataSync()), 'tf.stack');
    check(staged[2], 'float32', Array.from(eager[2].dataSync()), 'tf.square');
  });

  it('a JS integer counter that a tfjs op needs as float32 stays float32', async () => {
    const { eager, staged } = await run((x: any) => {
      let k = 0;
      while (x < 20) {
        k = k + 1;
        x = T.sum(T.stack([x, k])); // tf.stack requires one dtype
      }
      return [x, k];
    }, tf.scalar(1));
    check(staged[0], 'float32', [eager[0].dataSync()[0]], 'staged x');
    check(staged[1], 'float32', [eager[1]], 'staged k');
  });

  it('a JS integer in one branch beside an int32 tensor in the other is int32', async () => {
    const { staged } = await run((n: any) => (n > 2 ? n * 2 : 0), tf.scalar(1, 'int32'));
    check(staged, 'int32', [0], 'staged');
  });
});
