/**
 * Converted functions on eager tfjs tensors (CPU backend): operators become tfjs ops, a scalar tensor
 * used as a condition is read, a larger one raises ag.TensorConditionError with the statement's
 * location, and `for..of` walks a tensor's first axis. Reference values come from the original
 * function on JS numbers or from tfjs ops called directly.
 */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import * as ag from '../src/index.ts';
import { scalarCases } from './eager/scalar-functions.ts';

type AnyFn = (...args: any[]) => any;

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

/** A scalar result as a number: tensors are read (bool tensors give 1/0), booleans give 1/0. */
function scalarValue(v: unknown): number {
  if (v instanceof tf.Tensor) {
    expect(v.size, `expected a single-valued tensor, got shape [${v.shape}]`).toBe(1);
    return Number(v.dataSync()[0]);
  }
  if (typeof v === 'boolean') return v ? 1 : 0;
  expect(typeof v).toBe('number');
  return v as number;
}

function close(actual: number, expected: number, rtol = 1e-5, atol = 1e-6): boolean {
  if (Number.isNaN(expected)) return Number.isNaN(actual);
  if (!Number.isFinite(expected)) return actual === expected;
  return Math.abs(actual - expected) <= atol + rtol * Math.abs(expected);
}

/** Elementwise closeness of two tensors (or a tensor and nested arrays), with a readable failure. */
function expectTensorClose(
  actual: unknown,
  expected: tf.Tensor | number[] | number,
  rtol = 1e-5,
  atol = 1e-6,
) {
  expect(actual).toBeInstanceOf(tf.Tensor);
  const a = actual as tf.Tensor;
  const e = expected instanceof tf.Tensor ? expected : tf.tensor(expected);
  expect(a.shape).toEqual(e.shape);
  const av = Array.from(a.dataSync() as ArrayLike<number>);
  const ev = Array.from(e.dataSync() as ArrayLike<number>);
  const bad = av.findIndex((x, i) => !close(x, ev[i]!, rtol, atol));
  expect(bad, `element ${bad}: got ${av[bad]}, expected ${ev[bad]} (got ${av}, expected ${ev})`).toBe(-1);
}

// ---------------------------------------------------------------------------------------------------
// 1. Control-flow functions on scalar tensors agree with the originals on JS numbers.
// ---------------------------------------------------------------------------------------------------

describe('control flow on scalar tensors', () => {
  it('has at least 40 distinct functions', () => {
    expect(scalarCases.length).toBeGreaterThanOrEqual(40);
    expect(new Set(scalarCases.map((c) => c.name)).size).toBe(scalarCases.length);
  });

  for (const c of scalarCases) {
    it(`${c.name}: converted on tf.scalar inputs equals the original on numbers`, () => {
      const converted = ag.convert(c.fn, { file: `${c.name}.ts` }) as AnyFn;
      const dtypes: ('float32' | 'int32')[] = c.int ? ['float32', 'int32'] : ['float32'];
      fc.assert(
        fc.property(c.args, (xs) => {
          const inputs = xs.map((x) => Math.fround(x));
          const expected = scalarValue(c.fn(...inputs));
          // The converted function on plain numbers is the original.
          expect(scalarValue(converted(...inputs))).toBe(expected);
          for (const dtype of dtypes) {
            const actual = tf.tidy(() => scalarValue(converted(...inputs.map((x) => tf.scalar(x, dtype)))));
            const ok = dtype === 'int32' ? actual === expected : close(actual, expected);
            expect(
              ok,
              `${c.name}(${inputs.join(', ')}) on ${dtype}: got ${actual}, expected ${expected}`,
            ).toBe(true);
          }
          // Only the first argument a tensor, the others plain numbers.
          if (inputs.length > 1) {
            const actual = tf.tidy(() => scalarValue(converted(tf.scalar(inputs[0]!), ...inputs.slice(1))));
            expect(
              close(actual, expected),
              `${c.name}(tensor ${inputs.join(', ')}): got ${actual}, expected ${expected}`,
            ).toBe(true);
          }
        }),
        { numRuns: 30, seed: 4242 },
      );
    });
  }
});

// ---------------------------------------------------------------------------------------------------
// 2. Every arithmetic and comparison operator on tensors is the tfjs op.
// ---------------------------------------------------------------------------------------------------

const binary: Record<string, AnyFn> = {
  '+': (a: any, b: any) => a + b,
  '-': (a: any, b: any) => a - b,
  '*': (a: any, b: any) => a * b,
  '/': (a: any, b: any) => a / b,
  '%': (a: any, b: any) => a % b,
  '**': (a: any, b: any) => a ** b,
  '<': (a: any, b: any) => a < b,
  '<=': (a: any, b: any) => a <= b,
  '>': (a: any, b: any) => a > b,
  '>=': (a: any, b: any) => a >= b,
  '==': (a: any, b: any) => a == b,
  '!=': (a: any, b: any) => a != b,
  '===': (a: any, b: any) => a === b,
  '!==': (a: any, b: any) => a !== b,
};

type Operand = tf.Tensor | number;

/**
 * Weak typing, written down independently of the runtime: a JS integer beside an int32 tensor is an
 * int32 scalar, except in `/` (true division) and as a `**` base or negative `**` exponent.
 */
function weakly(op: string, a: Operand, b: Operand): [Operand, Operand] {
  const int = (n: Operand, t: Operand) =>
    typeof n === 'number' && Number.isInteger(n) && t instanceof tf.Tensor && t.dtype === 'int32';
  if (op === '/') return [a, b];
  if (int(b, a) && !(op === '**' && (b as number) < 0)) return [a, tf.scalar(b as number, 'int32')];
  if (int(a, b) && op !== '**') return [tf.scalar(a as number, 'int32'), b];
  return [a, b];
}

/** What the operator must compute, by calling tfjs directly (or a JS reference for `%`), weakly typed. */
function reference(op: string, x: Operand, y: Operand): tf.Tensor {
  const [a, b] = weakly(op, x, y);
  const asFloat = (x: Operand) => (x instanceof tf.Tensor && x.dtype === 'int32' ? tf.cast(x, 'float32') : x);
  switch (op) {
    case '+':
      return tf.add(a, b);
    case '-':
      return tf.sub(a, b);
    case '*':
      return tf.mul(a, b);
    case '/':
      return tf.div(asFloat(a), asFloat(b));
    case '%': {
      // JS remainder (sign of the dividend) computed elementwise, in the dtype tfjs would give.
      const dtype = tf.mod(a, b).dtype;
      const shape = tf.add(a, b).shape;
      const av = tf.broadcastTo(typeof a === 'number' ? tf.scalar(a) : a, shape).dataSync();
      const bv = tf.broadcastTo(typeof b === 'number' ? tf.scalar(b) : b, shape).dataSync();
      return tf.tensor(
        Array.from(av, (x, i) => x % bv[i]!),
        shape,
        dtype,
      );
    }
    case '**':
      return tf.pow(a, b);
    case '<':
      return tf.less(a, b);
    case '<=':
      return tf.lessEqual(a, b);
    case '>':
      return tf.greater(a, b);
    case '>=':
      return tf.greaterEqual(a, b);
    case '==':
    case '===':
      return tf.equal(a, b);
    case '!=':
    case '!==':
      return tf.notEqual(a, b);
  }
  throw new Error(`unknown operator ${op}`);
}

/** Pairs of broadcast-compatible shapes; `null` stands for a plain JS number operand. */
const shapePairs: [number[] | null, number[] | null][] = [
  [[], []],
  [[4], [4]],
  [
    [2, 3],
    [2, 3],
  ],
  [
    [3, 1],
    [1, 4],
  ],
  [
    [1, 4],
    [3, 1],
  ],
  [[2, 3], [3]],
  [[3], [2, 3]],
  [[], [2, 2]],
  [[2, 2], []],
  [null, [3]],
  [[3], null],
  [null, [2, 1, 2]],
  [[2, 2], null],
];

const size = (shape: number[]) => shape.reduce((p, d) => p * d, 1);

/** Values for one operand of `op`: multiples of 1/8 (float) or integers, non-zero as divisors. */
function operandValues(op: string, side: 'a' | 'b', dtype: 'float32' | 'int32', n: number) {
  let value: fc.Arbitrary<number>;
  if (op === '**') {
    value =
      side === 'a' ? fc.integer({ min: 1, max: 24 }).map((k) => k / 8) : fc.integer({ min: -3, max: 3 });
    if (dtype === 'int32')
      value = side === 'a' ? fc.integer({ min: -4, max: 4 }) : fc.integer({ min: 0, max: 4 });
  } else {
    const max = dtype === 'int32' ? 12 : 96;
    value = fc.integer({ min: -max, max }).map((k) => (dtype === 'int32' ? k : k / 8));
    if (side === 'b' && (op === '/' || op === '%')) value = value.filter((v) => v !== 0);
    // Small ranges so that == and != also see equal elements.
    if (['==', '!=', '===', '!==', '<=', '>='].includes(op)) value = fc.integer({ min: -2, max: 2 });
  }
  return fc.array(value, { minLength: n, maxLength: n });
}

describe('operators on tensors match tfjs', () => {
  for (const [op, fn] of Object.entries(binary)) {
    for (const dtype of ['float32', 'int32'] as const) {
      it(`a ${op} b on ${dtype} (broadcasting, numbers on either side)`, () => {
        const converted = ag.convert(fn) as AnyFn;
        const pairArb = fc
          .constantFrom(...shapePairs)
          .chain(([sa, sb]) =>
            fc.tuple(
              fc.constant([sa, sb] as const),
              operandValues(op, 'a', dtype, sa ? size(sa) : 1),
              operandValues(op, 'b', dtype, sb ? size(sb) : 1),
            ),
          );
        fc.assert(
          fc.property(pairArb, ([[sa, sb], av, bv]) => {
            tf.tidy(() => {
              const a: Operand = sa ? tf.tensor(av, sa, dtype) : av[0]!;
              const b: Operand = sb ? tf.tensor(bv, sb, dtype) : bv[0]!;
              const actual = converted(a, b) as tf.Tensor;
              const expected = reference(op, a, b);
              expect(actual).toBeInstanceOf(tf.Tensor);
              expect(actual.dtype, `${op} dtype`).toBe(expected.dtype);
              expectTensorClose(actual, expected);
            });
          }),
          { numRuns: 40, seed: 7 },
        );
      });
    }
  }

  it('int32 / int32 is true division (float32 result)', () => {
    const div = ag.convert(binary['/']!) as AnyFn;
    const r = div(tf.tensor1d([7, -7, 1, 6], 'int32'), tf.tensor1d([2, 2, 3, 4], 'int32')) as tf.Tensor;
    expect(r.dtype).toBe('float32');
    expectTensorClose(r, [3.5, -3.5, 1 / 3, 1.5]);
    const byNumber = div(7, tf.scalar(2, 'int32')) as tf.Tensor;
    expectTensorClose(byNumber, tf.scalar(3.5));
  });

  it('% takes the sign of the dividend, like JS', () => {
    const mod = ag.convert(binary['%']!) as AnyFn;
    const a = [7, -7, 7, -7, 6, -6, 0];
    const b = [3, 3, -3, -3, 3, -3, 5];
    const js = a.map((x, i) => x % b[i]!);
    for (const dtype of ['int32', 'float32'] as const) {
      const r = mod(tf.tensor1d(a, dtype), tf.tensor1d(b, dtype)) as tf.Tensor;
      expectTensorClose(
        r,
        js.map((x) => x + 0),
      ); // -0 and 0 compare equal here
    }
    expectTensorClose(mod(tf.tensor1d([-7.5, 7.5]), 2), [-1.5, 1.5]);
    // A small negative dividend and a large divisor: the result is the dividend itself, as in JS.
    const small = Math.fround(-0.001);
    expectTensorClose(mod(tf.scalar(small), 1000), tf.scalar(small % 1000));
    expectTensorClose(mod(tf.tensor1d([small, -small]), tf.tensor1d([1000, -1000])), [small, -small]);
    expectTensorClose(mod(-7, tf.tensor1d([2, -2])), [-1, -1]);
  });

  it('unary minus is tf.neg', () => {
    const neg = ag.convert((a: any) => -a) as AnyFn;
    fc.assert(
      fc.property(
        fc.constantFrom([] as number[], [3], [2, 3], [3, 1]),
        fc.constantFrom('float32' as const, 'int32' as const),
        fc.integer({ min: -100, max: 100 }),
        (shape, dtype, seed) => {
          tf.tidy(() => {
            const values = Array.from(
              { length: size(shape) },
              (_, i) => ((seed + i * 37) % 50) / (dtype === 'int32' ? 1 : 4),
            );
            const t = tf.tensor(values, shape, dtype);
            const r = neg(t) as tf.Tensor;
            expect(r.dtype).toBe(dtype);
            expectTensorClose(r, tf.neg(t));
          });
        },
      ),
      { numRuns: 30, seed: 11 },
    );
  });

  it('operators combine inside expressions and leave JS numbers alone', () => {
    const f = ag.convert((x: any, y: any) => (x * 2 + y) / (y - 0.5) - -x) as AnyFn;
    const x = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    const y = tf.tensor1d([3, -1]);
    expectTensorClose(f(x, y), tf.sub(tf.div(tf.add(tf.mul(x, 2), y), tf.sub(y, 0.5)), tf.neg(x)));
    expect(f(1, 3)).toBe((1 * 2 + 3) / (3 - 0.5) - -1);
  });
});

// ---------------------------------------------------------------------------------------------------
// 3. && / || / ! on tensors.
// ---------------------------------------------------------------------------------------------------

function andWithLog(a: any, b: any, log: string[]) {
  return (
    a &&
    (() => {
      log.push('rhs');
      return b;
    })()
  );
}

function orWithLog(a: any, b: any, log: string[]) {
  return (
    a ||
    (() => {
      log.push('rhs');
      return b;
    })()
  );
}

function notOf(a: any) {
  return !a;
}

function ifAndLog(a: any, b: any, log: string[]) {
  const rhs = (v: any) => {
    log.push('rhs');
    return v;
  };
  if (a && rhs(b)) return 'both';
  if (!a || rhs(b)) return 'either';
  return 'neither';
}

describe('&&, || and ! on tensors', () => {
  const and = ag.convert(andWithLog) as AnyFn;
  const or = ag.convert(orWithLog) as AnyFn;
  const not = ag.convert(notOf) as AnyFn;

  const truthyScalars = () => [
    tf.scalar(2),
    tf.scalar(-0.5),
    tf.scalar(1, 'int32'),
    tf.scalar(true, 'bool'),
    tf.tensor1d([3]),
  ];
  const falsyScalars = () => [
    tf.scalar(0),
    tf.scalar(0, 'int32'),
    tf.scalar(false, 'bool'),
    tf.scalar(Number.NaN),
    tf.tensor2d([[0]]),
  ];

  it('a truthy scalar tensor: && evaluates and returns the right operand, || returns the tensor itself', () => {
    for (const a of truthyScalars()) {
      const b = tf.scalar(7);
      const log: string[] = [];
      expect(and(a, b, log)).toBe(b);
      expect(log).toEqual(['rhs']);
      const log2: string[] = [];
      expect(or(a, b, log2)).toBe(a);
      expect(log2).toEqual([]);
    }
  });

  it('a falsy scalar tensor (0, false, NaN): && short-circuits to the tensor, || evaluates the right operand', () => {
    for (const a of falsyScalars()) {
      const log: string[] = [];
      expect(and(a, 'b', log)).toBe(a);
      expect(log).toEqual([]);
      const log2: string[] = [];
      expect(or(a, 'b', log2)).toBe('b');
      expect(log2).toEqual(['rhs']);
    }
  });

  it('! on a scalar tensor is a bool scalar, usable as a condition', () => {
    for (const a of truthyScalars()) expect(scalarValue(not(a)), a.toString()).toBe(0);
    for (const a of falsyScalars()) {
      if (Number.isNaN(a.dataSync()[0])) continue; // NaN: see the next test
      expect(scalarValue(not(a)), a.toString()).toBe(1);
    }
    const f = ag.convert(ifAndLog) as AnyFn;
    const log: string[] = [];
    expect(f(tf.scalar(0), tf.scalar(1), log)).toBe('either');
    expect(log).toEqual([]);
    expect(f(tf.scalar(1), tf.scalar(0), log)).toBe('neither');
    expect(log).toEqual(['rhs', 'rhs']);
    log.length = 0;
    expect(f(tf.scalar(1), tf.scalar(1), log)).toBe('both');
    expect(log).toEqual(['rhs']);
  });

  it('a NaN scalar tensor is falsy everywhere: if (x), x && y, x || y and !x read it as JS reads NaN', () => {
    const f = ag.convert((x: any) => {
      let seen = '';
      if (x) seen += 'if ';
      if (!x) seen += 'not ';
      seen += x ? 'then' : 'else';
      return seen;
    }) as AnyFn;
    expect(f(Number.NaN)).toBe('not else');
    expect(f(tf.scalar(Number.NaN))).toBe('not else');
    expect(scalarValue(not(tf.scalar(Number.NaN)))).toBe(1);
  });

  it('scalar-tensor conditions in if/&&/|| agree with JS numbers (fast-check)', () => {
    const f = ag.convert(ifAndLog) as AnyFn;
    fc.assert(
      fc.property(fc.integer({ min: -2, max: 2 }), fc.integer({ min: -2, max: 2 }), (x, y) => {
        const jsLog: string[] = [];
        const expected = ifAndLog(x, y, jsLog);
        const log: string[] = [];
        expect(tf.tidy(() => f(tf.scalar(x), tf.scalar(y, 'int32'), log))).toBe(expected);
        expect(log).toEqual(jsLog);
      }),
      { numRuns: 40, seed: 3 },
    );
  });

  it('non-scalar tensors combine elementwise (numbers count as != 0)', () => {
    const shapes: [number[], number[]][] = [
      [[4], [4]],
      [
        [2, 3],
        [2, 3],
      ],
      [
        [3, 1],
        [1, 4],
      ],
      [[2, 2], []],
    ];
    const arb = fc
      .constantFrom(...shapes)
      .chain(([sa, sb]) =>
        fc.tuple(
          fc.constant([sa, sb] as const),
          fc.array(fc.integer({ min: -1, max: 1 }), { minLength: size(sa), maxLength: size(sa) }),
          fc.array(fc.integer({ min: -1, max: 1 }), { minLength: size(sb), maxLength: size(sb) }),
          fc.constantFrom('float32' as const, 'int32' as const, 'bool' as const),
        ),
      );
    fc.assert(
      fc.property(arb, ([[sa, sb], av, bv, dtype]) => {
        tf.tidy(() => {
          const a = tf.tensor(av.map((v) => (dtype === 'bool' ? v !== 0 : v)) as any, sa, dtype);
          const b = tf.tensor(bv, sb, 'float32');
          const asBool = (t: tf.Tensor) => (t.dtype === 'bool' ? t : tf.notEqual(t, 0));
          const log: string[] = [];
          const r = and(a, b, log) as tf.Tensor;
          expect(log).toEqual(['rhs']);
          expect(r.dtype).toBe('bool');
          expectTensorClose(r, tf.logicalAnd(asBool(a), asBool(b)));
          const log2: string[] = [];
          const r2 = or(a, b, log2) as tf.Tensor;
          expect(log2).toEqual(['rhs']);
          expect(r2.dtype).toBe('bool');
          expectTensorClose(r2, tf.logicalOr(asBool(a), asBool(b)));
          const r3 = not(a) as tf.Tensor;
          expect(r3.dtype).toBe('bool');
          expectTensorClose(r3, tf.logicalNot(asBool(a)));
        });
      }),
      { numRuns: 40, seed: 5 },
    );
  });

  it('elementwise && / || / ! of comparisons, reduced before use as a condition', () => {
    const f = ag.convert((x: any) => {
      const inside = x > -1 && x < 1 && !(x == 0);
      const outside = x <= -1 || x >= 1;
      return [inside, outside];
    }) as AnyFn;
    const x = tf.tensor1d([-2, -0.5, 0, 0.5, 1, 3]);
    const [inside, outside] = f(x) as [tf.Tensor, tf.Tensor];
    expect(Array.from(inside.dataSync())).toEqual([0, 1, 0, 1, 0, 0]);
    expect(Array.from(outside.dataSync())).toEqual([1, 0, 0, 0, 1, 1]);
  });
});

// ---------------------------------------------------------------------------------------------------
// 4. Non-scalar tensors as conditions raise TensorConditionError at the statement.
// ---------------------------------------------------------------------------------------------------

/** 1-based line and column of the first occurrence of `needle` in `fn.toString()` (tabs count as one column). */
function locate(fn: AnyFn, needle: string): { line: number; column: number } {
  const lines = fn.toString().split('\n');
  const line = lines.findIndex((l) => l.includes(needle));
  if (line < 0) throw new Error(`'${needle}' not in ${fn.toString()}`);
  return { line: line + 1, column: lines[line]!.indexOf(needle) + 1 };
}

function conditionError(f: () => unknown): ag.TensorConditionError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ag.TensorConditionError);
    expect(e).toBeInstanceOf(ag.AutoGraphError);
    return e as ag.TensorConditionError;
  }
  throw new Error('expected a TensorConditionError');
}

function ifOnVector(x: any) {
  let y = 0;
  if (x > 0) y = 1;
  return y;
}

function whileOnVector(x: any) {
  let n = 0;
  while (x > n) {
    n++;
  }
  return n;
}

function ternaryOnVector(x: any) {
  const y = 1;
  return x > 0 ? y : -y;
}

function doWhileOnVector(x: any) {
  let i = 0;
  do {
    i++;
  } while (x < i);
  return i;
}

function forOnVector(x: any) {
  let s = 0;
  for (let i = 0; x > i; i++) s += i;
  return s;
}

function ifOnElementwiseAnd(x: any, y: any) {
  if (x > 0 && y > 0) return 1;
  return 0;
}

function conditionAfterLoop(x: any) {
  let v = x;
  for (let i = 0; i < 3; i++) {
    v = v * 2;
  }
  if (v > 10) return 1;
  return 0;
}

describe('non-scalar tensor conditions', () => {
  const cases: { name: string; fn: AnyFn; needle: string; args: () => unknown[]; shape: string }[] = [
    { name: 'if', fn: ifOnVector, needle: 'if (x > 0)', args: () => [tf.tensor1d([1, 2])], shape: '[2]' },
    {
      name: 'while',
      fn: whileOnVector,
      needle: 'while (x > n)',
      args: () => [tf.tensor2d([1, 2, 3, 4], [2, 2])],
      shape: '[2,2]',
    },
    {
      name: '?:',
      fn: ternaryOnVector,
      needle: 'x > 0 ?',
      args: () => [tf.tensor1d([1, -1, 1])],
      shape: '[3]',
    },
    {
      name: 'do..while',
      fn: doWhileOnVector,
      needle: 'do {',
      args: () => [tf.tensor1d([5, 5])],
      shape: '[2]',
    },
    {
      name: 'for',
      fn: forOnVector,
      needle: 'for (let i = 0; x > i',
      args: () => [tf.tensor2d([[1], [2], [3]])],
      shape: '[3,1]',
    },
    {
      name: 'if (a && b), elementwise',
      fn: ifOnElementwiseAnd,
      needle: 'if (x > 0 && y > 0)',
      args: () => [tf.tensor1d([1, 2]), tf.tensor1d([3, 4])],
      shape: '[2]',
    },
    {
      name: 'if after a loop',
      fn: conditionAfterLoop,
      needle: 'if (v > 10)',
      args: () => [tf.tensor1d([1, 2, 3, 4])],
      shape: '[4]',
    },
  ];

  for (const c of cases) {
    it(`${c.name}: TensorConditionError with model.ts:line:col of the statement and the shape`, () => {
      const converted = ag.convert(c.fn, { file: 'model.ts' }) as AnyFn;
      const { line, column } = locate(c.fn, c.needle);
      const err = conditionError(() => converted(...c.args()));
      expect(err.message.startsWith(`model.ts:${line}:${column}`), err.message).toBe(true);
      expect(err.message).toContain(c.shape);
      // A single-valued tensor of the same kind is read as a condition without error.
      expect(() => converted(...c.args().map((t) => tf.sum(t as tf.Tensor)))).not.toThrow();
    });
  }

  it('the default file name is <fnName>, and the location is relative to the function text', () => {
    function defaultNamed(x: any) {
      let n = 0;
      while (x > n) n++;
      return n;
    }
    const converted = ag.convert(defaultNamed) as AnyFn;
    const { line, column } = locate(defaultNamed, 'while (x > n)');
    const err = conditionError(() => converted(tf.tensor1d([1, 2, 3])));
    expect(err.message.startsWith(`<defaultNamed>:${line}:${column}`), err.message).toBe(true);
  });

  it('converting the same function again with another file option reports that file', () => {
    function convertedTwice(x: any) {
      if (x) return 1;
      return 0;
    }
    const { line, column } = locate(convertedTwice, 'if (x)');
    const first = ag.convert(convertedTwice, { file: 'first.ts' }) as AnyFn;
    expect(conditionError(() => first(tf.ones([2]))).message).toMatch(
      new RegExp(`^first\\.ts:${line}:${column}`),
    );
    const second = ag.convert(convertedTwice, { file: 'model.ts' }) as AnyFn;
    const err = conditionError(() => second(tf.ones([2])));
    expect(err.message.startsWith(`model.ts:${line}:${column}`), err.message).toBe(true);
  });

  it('exact locations for a source text (convertSource), including an arrow function', () => {
    const source = [
      'function g(x) {',
      '  let n = 0;',
      '  while (x > n) {',
      '    n++;',
      '  }',
      '    if (x < 0) n = -1;',
      '  return n;',
      '}',
    ].join('\n');
    const g = ag.convertSource(source, { file: 'model.ts' });
    const err = conditionError(() => g(tf.tensor1d([2, 3])));
    expect(err.message.startsWith('model.ts:3:3'), err.message).toBe(true);
    expect(err.message).toContain('[2]');
    // Scalar passes the loop, then the `if` sees a vector in a fresh call.
    expect(scalarValue(g(tf.scalar(2.5)))).toBe(3);

    const arrow = ag.convertSource('(x) =>\n  x.shape.length > 1\n    ? 0\n    : x > 0 ? 1 : 2', {
      file: 'model.ts',
    });
    const err2 = conditionError(() => arrow(tf.tensor1d([1, 2])));
    expect(err2.message.startsWith('model.ts:4:7'), err2.message).toBe(true);

    const arrowFn = ag.convert(
      (x: any) => {
        let k = 0;
        while (x > k) k++;
        return k;
      },
      { file: 'model.ts' },
    ) as AnyFn;
    const err3 = conditionError(() => arrowFn(tf.ones([2, 2, 2])));
    expect(err3.message).toMatch(/^model\.ts:3:\d+/);
    expect(err3.message).toContain('[2,2,2]');
  });

  it('a scalar condition in a loop keeps working while a vector condition fails mid-loop', () => {
    const f = ag.convert((x: any, stack: AnyFn) => {
      let v = x;
      let steps = 0;
      while (v < 10) {
        v = steps < 2 ? v + 1 : stack([v, v]);
        steps++;
      }
      return steps;
    }) as AnyFn;
    const err = conditionError(() => f(tf.scalar(0), tf.stack));
    expect(err.message).toContain('[2]');
    expect(f(tf.scalar(9), tf.stack)).toBe(1);
  });
});

// ---------------------------------------------------------------------------------------------------
// 5. for..of over a tensor walks its first axis.
// ---------------------------------------------------------------------------------------------------

function sumRows(t: any) {
  let s = 0;
  for (const row of t) s = s + row;
  return s;
}

function collectItems(t: any) {
  const items = [];
  for (const item of t) items.push(item);
  return items;
}

function sumPositiveUntilLarge(t: any) {
  let s = 0;
  for (const v of t) {
    if (v > 50) break;
    if (v < 0) continue;
    s += v;
  }
  return s;
}

function jsSumPositiveUntilLarge(xs: number[]) {
  let s = 0;
  for (const v of xs) {
    if (v > 50) break;
    if (v < 0) continue;
    s += v;
  }
  return s;
}

describe('for..of over tensors', () => {
  it('over a [3,2] tensor sums the rows like tf.sum(t, 0)', () => {
    const f = ag.convert(sumRows) as AnyFn;
    const t = tf.tensor2d([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    const r = f(t) as tf.Tensor;
    expect(r.shape).toEqual([2]);
    expectTensorClose(r, tf.sum(t, 0));
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.integer({ min: -64, max: 64 }), { minLength: 20, maxLength: 20 }),
        (rows, cols, values) => {
          tf.tidy(() => {
            const m = tf.tensor2d(
              values.slice(0, rows * cols).map((v) => v / 8),
              [rows, cols],
            );
            expectTensorClose(f(m), tf.sum(m, 0));
          });
        },
      ),
      { numRuns: 30, seed: 9 },
    );
  });

  it('yields rows of shape t.shape.slice(1); over a 1-D tensor, scalars', () => {
    const f = ag.convert(collectItems) as AnyFn;
    const rows = f(tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2])) as tf.Tensor[];
    expect(rows.map((r) => r.shape)).toEqual([[2], [2], [2]]);
    expect(rows.map((r) => r.arraySync())).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    const items = f(tf.tensor1d([4, 5, 6], 'int32')) as tf.Tensor[];
    expect(items.map((r) => r.rank)).toEqual([0, 0, 0]);
    expect(items.map((r) => r.dtype)).toEqual(['int32', 'int32', 'int32']);
    expect(items.map((r) => r.arraySync())).toEqual([4, 5, 6]);
    expect(f(tf.tensor1d([]))).toEqual([]);
  });

  it('break/continue with scalar conditions over a 1-D tensor matches the JS array loop', () => {
    const f = ag.convert(sumPositiveUntilLarge) as AnyFn;
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -20, max: 60 }), { maxLength: 12 }), (xs) => {
        const expected = jsSumPositiveUntilLarge(xs);
        expect(scalarValue(sumPositiveUntilLarge(xs))).toBe(expected);
        const actual = tf.tidy(() => scalarValue(f(tf.tensor1d(xs, 'int32'))));
        expect(actual).toBe(expected);
      }),
      { numRuns: 30, seed: 13 },
    );
  });

  it('a scalar tensor is not iterable', () => {
    const f = ag.convert(sumRows) as AnyFn;
    expect(() => f(tf.scalar(3))).toThrow(TypeError);
  });
});

// ---------------------------------------------------------------------------------------------------
// 6. Memory: everything a converted loop creates is released by tf.tidy.
// ---------------------------------------------------------------------------------------------------

describe('tensor memory under tf.tidy', () => {
  it('a converted loop leaves no tensors behind inside tf.tidy', () => {
    const collatz = scalarCases.find((c) => c.name === 'collatzSteps')!;
    const newton = scalarCases.find((c) => c.name === 'sqrtNewton')!;
    const steps = ag.convert(collatz.fn) as AnyFn;
    const sqrt = ag.convert(newton.fn) as AnyFn;
    const x = tf.scalar(27, 'int32');
    const y = tf.scalar(2);
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      expect(scalarValue(steps(x))).toBe(111);
      expect(tf.memory().numTensors).toBeGreaterThan(before); // the loop did allocate
    });
    expect(tf.memory().numTensors).toBe(before);
    const root = tf.tidy(() => sqrt(y) as tf.Tensor);
    expect(tf.memory().numTensors).toBe(before + 1); // only the returned tensor survives
    expect(close(root.dataSync()[0]!, Math.SQRT2)).toBe(true);
    root.dispose();
    tf.tidy(() => {
      const f = ag.convert(sumRows) as AnyFn;
      f(tf.ones([5, 3]));
    });
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    y.dispose();
  });
});

describe('parameter default values on tensors', () => {
  // unconverted, `x * 2` on a tensor is NaN and the condition picks by object truthiness
  const f = (x: any, y = x * 2, z = y > 4 ? 'big' : 'small') => [y, z];
  for (const form of ['eager', 'graph'] as const) {
    it(`run converted, reading earlier parameters (${form} form)`, () => {
      const g = ag.convert(f, { form });
      const [small, smallLabel] = g(tf.scalar(1)) as [tf.Tensor, string];
      expect(small.dataSync()[0]).toBe(2);
      expect(smallLabel).toBe('small');
      const [big, bigLabel] = g(tf.scalar(3)) as [tf.Tensor, string];
      expect(big.dataSync()[0]).toBe(6);
      expect(bigLabel).toBe('big');
      expect(g(tf.scalar(3), 1)).toEqual([1, 'small']);
    });
  }
});
