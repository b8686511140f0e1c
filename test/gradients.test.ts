/**
 * Gradient corpus: every loss in test/grad/*.ts is differentiated three ways.
 *
 * a. Eager: `tf.valueAndGrads` of the converted eager form (`ag.convert(fn, { form: 'eager' })`)
 *    must equal central finite differences of the loss.
 *    - `scalar` cases (JS operators only, scalar arguments) are differentiated in float64 on JS
 *      numbers, since their converted form keeps its meaning on JS values: step h = 1e-6·max(1, |x|)
 *      (truncation error ≈ h²·f'''/6 ≈ 1e-12, rounding ≈ 1e-16·|f|/h ≈ 1e-10·|f|). The float32 tfjs
 *      gradient must be within SCALAR_TOLERANCE of it.
 *    - Tensor cases are differentiated in float32 with tfjs, one element at a time, by Richardson
 *      extrapolation of two central differences, R(h) = (4·D(h) − D(2h)) / 3 with h = 1e-2:
 *      truncation error O(h⁴) ≈ 1e-8·f⁽⁵⁾, rounding ≈ 1e-7·|f|/h ≈ 1e-5·|f|. The tfjs gradient must be
 *      within TENSOR_TOLERANCE of it (5e-4, the absolute part scaled by max(1, |loss|) since rounding
 *      grows with the loss): a gradient off by 1% in a component of size ≥ 0.1 is caught (see the
 *      harness self-test). The whole corpus still passes at 1e-4 (scalar: at a tenth of
 *      SCALAR_TOLERANCE), so these leave 5x-10x room for rounding.
 *    Both first check that the differences are usable: scalar D(h) and D(4h), tensor R(h) and R(h/2),
 *    must agree, otherwise an input lies within a few steps of a branch boundary or of a change in a
 *    loop's trip count (a bug of the case, reported as such: the differences then see a jump).
 * b. Staged gradient: `(x0, x1, …) => T.grads((w0, …) => loss(…))([x0, …])` staged with
 *    `ag.stage` (the loss reachable converted, in graph form, through `scope`), on the tfjs executor and
 *    on ONNX Runtime, must equal the eager gradient (STAGED_TOLERANCE). One trace per case and
 *    executor; every input reuses it.
 * c. Staged loss: the loss itself staged must equal its eager value.
 * Cases whose gradient is taken wrt a subset of the arguments (`wrt`) keep the others fixed (JS
 * numbers among them are part of the trace signature, tensors are inputs of the staged graph).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as ag from '../src/index.ts';
import { cases as branches } from './grad/branches.ts';
import { cases as captured } from './grad/captured.ts';
import type { GradCase, Tf } from './grad/common.ts';
import { cases as iterations } from './grad/iterations.ts';
import { cases as jumps } from './grad/jumps.ts';
import { cases as nested } from './grad/nested.ts';
import { cases as rows } from './grad/rows.ts';
import { cases as scalar } from './grad/scalar.ts';
import { cases as straight } from './grad/straight.ts';
import { cases as whiles } from './grad/while.ts';
import { difference, type Plain, type Tolerance, toArrays } from './staged/compare.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

const T: Tf = { ...tf };

const themes: Record<string, GradCase[]> = {
  straight,
  scalar,
  while: whiles,
  rows,
  branches,
  jumps,
  nested,
  iterations,
  captured,
};

/** float32 tfjs gradient vs float64 finite differences (scalar cases): |g − fd| ≤ abs·max(1, |loss|) + rel·|fd|. */
const SCALAR_TOLERANCE: Tolerance = { abs: 1e-5, rel: 2e-4 };
/** float32 tfjs gradient vs float32 Richardson finite differences (tensor cases), same form. */
const TENSOR_TOLERANCE: Tolerance = { abs: 5e-4, rel: 5e-4 };
/** Staged gradient (or loss) vs eager, both float32. */
const STAGED_TOLERANCE: Tolerance = { abs: 1e-5, rel: 1e-4 };
const TENSOR_STEP = 1e-2;

const scopeOf = (c: GradCase) => ({ T, ...c.scope });
const wrtOf = (c: GradCase) => c.wrt ?? [0];

/** A case's arguments for tfjs: in a scalar case the differentiated JS numbers become float32 scalars. */
function tensorArgs(c: GradCase, args: unknown[]): unknown[] {
  if (!c.scalar) return args;
  return args.map((a, i) => (wrtOf(c).includes(i) ? tf.scalar(a as number) : a));
}

/** `f` as a function of the arguments in `wrt`, the others fixed to `args`. */
function partial(f: (...a: any[]) => any, args: unknown[], wrt: number[]) {
  return (...ws: unknown[]) => f(...args.map((a, i) => (wrt.includes(i) ? ws[wrt.indexOf(i)] : a)));
}

function disposeAll(x: unknown): void {
  if (x instanceof tf.Tensor) x.dispose();
  else if (Array.isArray(x)) x.forEach(disposeAll);
  else if (typeof x === 'object' && x !== null) Object.values(x).forEach(disposeAll);
}

interface EagerResult {
  loss: number;
  /** One gradient per `wrt` argument, as plain data. */
  grads: Plain;
  /** The same, flattened. */
  values: number[][];
}

/** The eager form's loss and gradients (tfjs's tape over the converted eager function). */
function eagerGradient(c: GradCase, args: unknown[]): EagerResult {
  const conv = ag.convert(c.fn, { form: 'eager', scope: scopeOf(c) });
  const wrt = wrtOf(c);
  let result: EagerResult | undefined;
  tf.tidy(() => {
    const { value, grads } = tf.valueAndGrads(partial(conv, args, wrt))(wrt.map((i) => args[i] as tf.Tensor));
    expect(value.shape, `${c.name}: the loss must be a scalar`).toEqual([]);
    expect(value.dtype, `${c.name}: the loss must be float32`).toBe('float32');
    result = {
      loss: value.dataSync()[0]!,
      grads: toArrays(grads),
      values: grads.map((g) => Array.from(g.dataSync())),
    };
  });
  return result!;
}

const close = (a: number, e: number, tol: Tolerance, scale: number) =>
  Math.abs(a - e) <= tol.abs * Math.max(1, scale) + tol.rel * Math.abs(e);

/** Central differences in float64 of a scalar case's converted form on JS numbers. */
function scalarDifferences(
  c: GradCase,
  args: unknown[],
): { loss: number; fd: number[][]; unstable: string[] } {
  const conv = ag.convert(c.fn, { form: 'eager', scope: scopeOf(c) });
  const f = (...a: unknown[]) => {
    const y = conv(...a);
    if (typeof y !== 'number')
      throw new Error(`${c.name}: on JS numbers the loss gave ${typeof y}, not a number`);
    return y;
  };
  const loss = f(...args);
  // the converted form keeps the original's meaning on JS values (checked here once more)
  expect(loss, `${c.name}: converted vs original on JS numbers`).toBe(c.fn(...args));
  const unstable: string[] = [];
  const fd = wrtOf(c).map((i) => {
    const x = args[i] as number;
    const h = 1e-6 * Math.max(1, Math.abs(x));
    const at = (dx: number) => f(...args.map((a, k) => (k === i ? x + dx : a)));
    const d = (s: number) => (at(s) - at(-s)) / (2 * s);
    const [d1, d4] = [d(h), d(4 * h)];
    if (Math.abs(d1 - d4) > 1e-5 * (1 + Math.abs(d1)))
      unstable.push(`argument ${i}: D(h) = ${d1}, D(4h) = ${d4}`);
    return [d1];
  });
  return { loss, fd, unstable };
}

/**
 * Richardson-extrapolated central differences in float32 (tfjs), element by element: R(h) =
 * (4·D(h) − D(2h)) / 3. R(h) and R(h/2) must agree (within TENSOR_TOLERANCE): a branch boundary or a
 * trip-count change within 2h of the input puts a jump J into the differences (J/2h in D(h)), which
 * they do not survive, while a smooth loss gives them O(h⁴) apart.
 */
function tensorDifferences(
  c: GradCase,
  args: unknown[],
  loss: number,
): { fd: number[][]; unstable: string[] } {
  const conv = ag.convert(c.fn, { form: 'eager', scope: scopeOf(c) });
  const unstable: string[] = [];
  const fd = wrtOf(c).map((i) => {
    const x = args[i] as tf.Tensor;
    const base = x.dataSync() as Float32Array;
    const at = (j: number, dx: number): [number, number] =>
      tf.tidy(() => {
        const values = Float32Array.from(base);
        values[j] = base[j]! + dx;
        const moved = tf.tensor(values, x.shape, 'float32');
        return [(conv(...args.map((a, k) => (k === i ? moved : a))) as tf.Tensor).dataSync()[0]!, values[j]!];
      });
    const d = (j: number, s: number) => {
      const [[fp, xp], [fm, xm]] = [at(j, s), at(j, -s)];
      return (fp - fm) / (xp - xm);
    };
    return Array.from(base, (_, j) => {
      const [half, one, two] = [0.5, 1, 2].map((k) => d(j, k * TENSOR_STEP)) as [number, number, number];
      const [r, rHalf] = [(4 * one - two) / 3, (4 * half - one) / 3];
      if (!close(rHalf, r, TENSOR_TOLERANCE, Math.abs(loss)))
        unstable.push(`argument ${i}[${j}]: R(h) = ${r}, R(h/2) = ${rHalf}`);
      return r;
    });
  });
  return { fd, unstable };
}

/** Where `grads` (per wrt argument, flattened) differs from `fd` beyond `tol`, or null. */
function gradientMismatch(grads: number[][], fd: number[][], tol: Tolerance, loss: number): string | null {
  for (const [k, g] of grads.entries()) {
    const bad = g.findIndex((v, j) => !close(v, fd[k]![j]!, tol, Math.abs(loss)));
    if (bad >= 0)
      return `gradient ${k}[${bad}]: tfjs ${g[bad]}, finite differences ${fd[k]![bad]} (all: ${g} vs ${fd[k]})`;
  }
  return null;
}

function checkEager(c: GradCase): void {
  const inputs = c.inputs();
  for (const [n, args] of inputs.entries()) {
    const targs = tensorArgs(c, args);
    const eager = eagerGradient(c, targs);
    let fd: number[][];
    let unstable: string[];
    let tol = TENSOR_TOLERANCE;
    if (c.scalar) {
      const r = scalarDifferences(c, args);
      ({ fd, unstable } = r);
      tol = SCALAR_TOLERANCE;
      expect(
        close(eager.loss, r.loss, { abs: 1e-5, rel: 1e-4 }, 1),
        `input ${n}: float32 loss ${eager.loss} vs float64 ${r.loss}`,
      ).toBe(true);
    } else {
      ({ fd, unstable } = tensorDifferences(c, targs, eager.loss));
    }
    expect(
      unstable.join('; '),
      `input ${n}: finite differences unusable (input near a branch boundary or trip-count change)`,
    ).toBe('');
    const d = gradientMismatch(eager.values, fd, tol, eager.loss);
    expect(d, `input ${n}: ${d}`).toBeNull();
    if (c.scalar) disposeAll(targs);
  }
  disposeAll(inputs);
}

/** The staged program differentiating `loss` with respect to `wrt` of its `arity` arguments. */
function gradProgram(arity: number, wrt: number[]): (...args: any[]) => unknown {
  const xs = Array.from({ length: arity }, (_, i) => `x${i}`);
  const ws = wrt.map((i) => `w${i}`);
  const call = xs.map((x, i) => (wrt.includes(i) ? `w${i}` : x));
  const text = `(${xs.join(', ')}) => T.grads((${ws.join(', ')}) => loss(${call.join(', ')}))([${wrt.map((i) => `x${i}`).join(', ')}])`;
  return new Function(`return ${text};`)();
}

/**
 * Rethrows `e` without its frames inside node_modules: vitest source-maps each frame of a failure
 * through tfjs's bundles, about 0.6 s per error, minutes when the ~200 staged checks fail.
 */
function plainError(e: unknown): never {
  if (!(e instanceof Error)) throw e;
  const lines = (e.stack ?? '').split('\n');
  e.stack = lines.filter((l) => !/^\s+at /.test(l) || !/node_modules/.test(l)).join('\n');
  throw e;
}

async function checkStaged(
  c: GradCase,
  executor: 'tfjs' | 'onnx' | 'js',
  what: 'gradient' | 'loss',
): Promise<void> {
  const scope = scopeOf(c);
  expect(Object.hasOwn(scope, 'loss'), `${c.name}: 'loss' is the harness's name in scope`).toBe(false);
  const inputs = c.inputs();
  const arity = inputs[0]!.length;
  const staged =
    what === 'gradient'
      ? ag.stage(gradProgram(arity, wrtOf(c)), {
          scope: { T, loss: ag.convert(c.fn, { form: 'graph', scope }) },
          executor,
        })
      : ag.stage(c.fn, { scope, executor });
  try {
    for (const [n, args] of inputs.entries()) {
      const eagerArgs = tensorArgs(c, args);
      const eager = eagerGradient(c, eagerArgs);
      const stagedArgs = tensorArgs(c, args);
      const out = await staged(...stagedArgs).catch(plainError);
      const result = toArrays(out);
      disposeAll(out);
      if (c.scalar) disposeAll([eagerArgs, stagedArgs]);
      const expected: Plain = what === 'gradient' ? eager.grads : { number: eager.loss };
      const d = difference(expected, result, STAGED_TOLERANCE);
      expect(d, `input ${n}, staged ${what} on ${executor} vs eager: ${d}`).toBeNull();
    }
  } finally {
    await staged.dispose();
    disposeAll(inputs);
  }
}

const all = Object.values(themes).flat();

/** The loss a staged program of 'gradients of bad programs' differentiates: given in its scope. */
declare const lossInScope: (...args: any[]) => unknown;

describe('gradient corpus', () => {
  it('has distinct names and at least 100 programs, 30 of them scalar', () => {
    expect(new Set(all.map((c) => c.name)).size).toBe(all.length);
    expect(all.length).toBeGreaterThanOrEqual(100);
    expect(all.filter((c) => c.scalar).length).toBeGreaterThanOrEqual(30);
  });

  it('the finite-difference check catches a gradient off by 1% (harness self-test)', () => {
    for (const c of all.filter((x) => ['straight_tanh_dot', 'scalar_poly_cubic'].includes(x.name))) {
      const args = c.inputs()[0]!;
      const targs = tensorArgs(c, args);
      const eager = eagerGradient(c, targs);
      const fd = c.scalar ? scalarDifferences(c, args).fd : tensorDifferences(c, targs, eager.loss).fd;
      const tol = c.scalar ? SCALAR_TOLERANCE : TENSOR_TOLERANCE;
      expect(gradientMismatch(eager.values, fd, tol, eager.loss)).toBeNull();
      const wrong = eager.values.map((g) => g.map((v) => v * 1.01));
      expect(gradientMismatch(wrong, fd, tol, eager.loss), c.name).not.toBeNull();
      disposeAll([args, targs]);
    }
  });

  for (const [theme, list] of Object.entries(themes)) {
    describe(theme, () => {
      for (const c of list) {
        describe(c.name, () => {
          it('eager gradient = finite differences', () => checkEager(c));
          for (const executor of ['tfjs', 'onnx', 'js'] as const) {
            it(`staged loss = eager (${executor})`, () => checkStaged(c, executor, 'loss'));
            it(`staged gradient = eager (${executor})`, () => checkStaged(c, executor, 'gradient'));
          }
        });
      }
    });
  }
});

/**
 * Programs whose gradient is an error, or not what a user may expect. Eagerly, tfjs decides (asserted
 * as it behaves today); staged, the error must also say where: the `file:line` of the staged code
 * (functions converted from source text are named `<name>`, lines counted in their source text).
 */
describe('gradients of bad programs', () => {
  const x = () => tf.tensor1d([1.5, -0.7, 0.4]);

  /** The staged gradient of `loss` (converted in graph form) at `args`, with `program` calling `T.grad(loss)`. */
  async function stagedGrad(
    program: (...a: any[]) => unknown,
    loss: (...a: any[]) => unknown,
    args: unknown[],
    executor: 'tfjs' | 'onnx' | 'js',
  ): Promise<unknown> {
    const staged = ag.stage(program, {
      scope: { T, lossInScope: ag.convert(loss, { form: 'graph', scope: { T } }) },
      executor,
    });
    try {
      return toArrays(await staged(...args).catch(plainError));
    } finally {
      await staged.dispose();
    }
  }

  function eagerGrad(loss: (...a: any[]) => unknown, arg: tf.Tensor): Plain {
    const f = ag.convert(loss, { form: 'eager', scope: { T } }) as (x: tf.Tensor) => tf.Tensor;
    let result: Plain = { other: undefined };
    tf.tidy(() => {
      result = toArrays(tf.grad(f)(arg));
    });
    return result;
  }

  // the staged program: `T.grad(loss)` on its line 2, `loss` given in its scope
  function gradOfLoss(x: any) {
    return T.grad(lossInScope)(x);
  }

  const lossTopk = (x: any) => {
    const best = T.topk(x, 2).values;
    return T.sum(best * best);
  };
  const lossStridedSliceInLoop = (x: any) => {
    let y = x;
    while (T.sum(y) < 10) {
      y = y * 2;
    }
    return T.sum(T.stridedSlice(y, [0], [2], [1]));
  };
  const lossArgMax = (x: any) => T.cast(T.argMax(x), 'float32') * 2;
  const lossInt32 = (x: any) => {
    let y = T.cast(x, 'float32');
    if (T.sum(y) > 0) {
      y = y * 2;
    }
    return T.sum(y);
  };
  const lossConstant = (x: any) => T.scalar(3);
  const lossUnrelatedLoop = (x: any) => {
    let y = T.ones([2]);
    while (T.sum(y) < 10) {
      y = y * 2;
    }
    return T.sum(y);
  };

  it('eager: an op without a tfjs gradient on the path (TopK, StridedSlice) is tfjs’s error naming the op', () => {
    expect(() => eagerGrad(lossTopk, x())).toThrow(/gradient function not found for TopK/);
    expect(() => eagerGrad(lossStridedSliceInLoop, x())).toThrow(
      /gradient function not found for StridedSlice/,
    );
  });
  it('eager: the gradient through argMax is zeros (tfjs registers it so)', () => {
    expect(eagerGrad(lossArgMax, x())).toEqual({
      tensor: { dtype: 'float32', shape: [3], values: [0, 0, 0] },
    });
  });
  it('eager: tfjs differentiates wrt an int32 input as if it were real', () => {
    expect(eagerGrad(lossInt32, tf.tensor1d([1, 2], 'int32'))).toEqual({
      tensor: { dtype: 'float32', shape: [2], values: [2, 2] },
    });
  });
  it('eager, converted: a gradient wrt an int32 input or of an unconnected loss is a GradientError at the call', () => {
    const converted = (loss: (...a: any[]) => unknown) =>
      ag.convert(gradOfLoss, {
        form: 'eager',
        scope: { T, lossInScope: ag.convert(loss, { form: 'eager', scope: { T } }) },
      });
    expect(() => converted(lossInt32)(tf.tensor1d([1, 2], 'int32'))).toThrow(ag.GradientError);
    expect(() => converted(lossInt32)(tf.tensor1d([1, 2], 'int32'))).toThrow(/dtype int32 is not defined/);
    expect(() => converted(lossConstant)(x())).toThrow(/does not depend on the tensors/);
  });
  it('eager: a loss not connected to x is tfjs’s error', () => {
    const message = /Cannot compute gradient of y=f\(x\) with respect to x/;
    expect(() => eagerGrad(lossConstant, x())).toThrow(message);
    expect(() => eagerGrad(lossUnrelatedLoop, x())).toThrow(message);
  });

  for (const executor of ['tfjs', 'onnx', 'js'] as const) {
    describe(`staged (${executor})`, () => {
      it('an op without a gradient names the op and its line in the loss', async () => {
        await expect(stagedGrad(gradOfLoss, lossTopk, [x()], executor)).rejects.toThrow(
          /^\S+:\d+:\d+: cannot differentiate through 'TopK': tfjs registers no gradient for it/,
        );
        await expect(stagedGrad(gradOfLoss, lossStridedSliceInLoop, [x()], executor)).rejects.toThrow(
          /^\S+:\d+:\d+: cannot differentiate through 'StridedSlice': tfjs registers no gradient for it/,
        );
      });
      it('the gradient through argMax is zeros, as eagerly', async () => {
        expect(await stagedGrad(gradOfLoss, lossArgMax, [x()], executor)).toEqual(eagerGrad(lossArgMax, x()));
      });
      it('a gradient wrt an int32 input is an error naming the input and the grad call', async () => {
        await expect(
          stagedGrad(gradOfLoss, lossInt32, [tf.tensor1d([1, 2], 'int32')], executor),
        ).rejects.toThrow(
          /^\S+:\d+:\d+: T\.grad: the gradient with respect to a tensor of dtype int32 is not defined/,
        );
      });
      it('a loss not connected to x is an error at the grad call', async () => {
        for (const loss of [lossConstant, lossUnrelatedLoop]) {
          await expect(stagedGrad(gradOfLoss, loss, [x()], executor)).rejects.toThrow(
            /^\S+:\d+:\d+: T\.grad: the function's result does not depend on the tensors it is differentiated with respect to/,
          );
        }
      });
    });
  }
});
