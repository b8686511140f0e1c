/**
 * Differential staging corpus: every program in test/staged/*.ts runs converted in eager form on
 * concrete tensors and staged (traced to IR, run by the tfjs executor); results must agree in
 * structure, shape, dtype and values (1e-5 relative, 1e-6 absolute). A JS number or boolean in the
 * eager result may come back from the staged function as a scalar tensor (staging promotes them).
 * Cases that wait for a missing op or feature are in test/staged/pending.ts (see PENDING.md); set
 * STAGED_PENDING=1 to run those instead.
 */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import * as ag from '../src/index.ts';
import { cases as closures } from './staged/closures.ts';
import type { StagedCase } from './staged/common.ts';
import { cases as conds } from './staged/conds.ts';
import { cases as features } from './staged/features.ts';
import { cases as fixedPoint } from './staged/fixed-point.ts';
import { cases as integers } from './staged/integers.ts';
import { cases as jumps } from './staged/jumps.ts';
import { cases as logical } from './staged/logical.ts';
import { cases as loops } from './staged/loops.ts';
import { cases as macro } from './staged/macro.ts';
import { cases as ops } from './staged/ops.ts';
import { pendingCases } from './staged/pending.ts';
import { cases as reference } from './staged/reference.ts';
import { cases as resolved } from './staged/resolved.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

const T = { ...tf };

const themes: Record<string, StagedCase[]> = process.env.STAGED_PENDING
  ? { pending: pendingCases }
  : {
      reference,
      conds,
      logical,
      loops,
      jumps,
      macro,
      closures,
      fixedPoint,
      integers,
      ops,
      features,
      resolved,
    };

/** A result as plain data: tensors read with their dtype and shape. */
type Plain =
  | { tensor: { dtype: string; shape: number[]; values: number[] } }
  | { number: number }
  | { boolean: boolean }
  | { array: Plain[] }
  | { object: [string, Plain][] }
  | { other: unknown };

function toArrays(x: unknown): Plain {
  if (x instanceof tf.Tensor) {
    return {
      tensor: { dtype: x.dtype, shape: [...x.shape], values: Array.from(x.dataSync() as ArrayLike<number>) },
    };
  }
  if (typeof x === 'number') return { number: x };
  if (typeof x === 'boolean') return { boolean: x };
  if (Array.isArray(x)) return { array: x.map(toArrays) };
  if (typeof x === 'object' && x !== null && Object.getPrototypeOf(x) === Object.prototype) {
    return { object: Object.entries(x).map(([k, v]) => [k, toArrays(v)]) };
  }
  return { other: x };
}

function close(a: number, e: number): boolean {
  if (Number.isNaN(e)) return Number.isNaN(a);
  if (!Number.isFinite(e)) return a === e;
  return Math.abs(a - e) <= 1e-6 + 1e-5 * Math.abs(e);
}

const show = (p: Plain) => JSON.stringify(p);

/** Where `staged` differs from `eager`, or null. */
function difference(eager: Plain, staged: Plain, path = 'result'): string | null {
  if ('number' in eager || 'boolean' in eager) {
    const e = 'number' in eager ? eager.number : Number(eager.boolean);
    if ('tensor' in staged) {
      const t = staged.tensor;
      if (t.shape.length !== 0) return `${path}: eager ${e}, staged a tensor of shape [${t.shape}]`;
      const dtypes = 'boolean' in eager ? ['bool'] : ['int32', 'float32'];
      if (!dtypes.includes(t.dtype)) return `${path}: eager ${show(eager)}, staged dtype ${t.dtype}`;
      return close(t.values[0]!, e) ? null : `${path}: eager ${e}, staged ${t.values[0]}`;
    }
    const s = 'number' in staged ? staged.number : 'boolean' in staged ? Number(staged.boolean) : undefined;
    return s !== undefined && close(s, e) ? null : `${path}: eager ${show(eager)}, staged ${show(staged)}`;
  }
  if ('tensor' in eager) {
    if (!('tensor' in staged)) return `${path}: eager a tensor, staged ${show(staged)}`;
    const [e, s] = [eager.tensor, staged.tensor];
    if (e.dtype !== s.dtype) return `${path}: eager dtype ${e.dtype}, staged ${s.dtype}`;
    if (show({ other: e.shape }) !== show({ other: s.shape }))
      return `${path}: eager shape [${e.shape}], staged [${s.shape}]`;
    const bad = e.values.findIndex((v, i) => !close(s.values[i]!, v));
    return bad < 0 ? null : `${path}[${bad}]: eager ${e.values}, staged ${s.values}`;
  }
  if ('array' in eager) {
    if (!('array' in staged) || staged.array.length !== eager.array.length)
      return `${path}: eager ${show(eager)}, staged ${show(staged)}`;
    for (const [i, e] of eager.array.entries()) {
      const d = difference(e, staged.array[i]!, `${path}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  if ('object' in eager) {
    if (!('object' in staged)) return `${path}: eager ${show(eager)}, staged ${show(staged)}`;
    const keys = (p: { object: [string, Plain][] }) => p.object.map(([k]) => k).join(',');
    if (keys(eager) !== keys(staged)) return `${path}: keys ${keys(eager)} vs ${keys(staged)}`;
    for (const [i, [k, e]] of eager.object.entries()) {
      const d = difference(e, staged.object[i]![1], `${path}.${k}`);
      if (d) return d;
    }
    return null;
  }
  return Object.is(eager.other, 'other' in staged ? staged.other : Symbol())
    ? null
    : `${path}: eager ${show(eager)}, staged ${show(staged)}`;
}

function disposeAll(x: unknown): void {
  if (x instanceof tf.Tensor) x.dispose();
  else if (Array.isArray(x)) x.forEach(disposeAll);
  else if (typeof x === 'object' && x !== null) Object.values(x).forEach(disposeAll);
}

const scopeOf = (c: StagedCase) => ({ T, ...c.scope });

async function compare(c: StagedCase, executor: 'tfjs' | 'onnx' = 'tfjs'): Promise<void> {
  const eagerFn = ag.convert(c.fn, { form: 'eager', scope: scopeOf(c) });
  const staged = ag.stage(c.fn, { scope: scopeOf(c), executor });
  const eagerInputs = c.inputs();
  const stagedInputs = c.inputs();
  for (const [k, args] of eagerInputs.entries()) {
    let eager: Plain = { other: undefined };
    tf.tidy(() => {
      eager = toArrays(eagerFn(...args));
    });
    const out = await staged(...(stagedInputs[k] as any[]));
    const result = toArrays(out);
    disposeAll(out);
    const d = difference(eager, result);
    expect(d, `input ${k}: ${d}`).toBeNull();
  }
  disposeAll(eagerInputs);
  disposeAll(stagedInputs);
}

const all = Object.values(themes).flat();

describe('staged programs agree with their eager form', () => {
  it('the corpus has distinct names', () => {
    expect(new Set(all.map((c) => c.name)).size).toBe(all.length);
  });
  for (const [theme, list] of Object.entries(themes)) {
    describe(theme, () => {
      for (const c of list) it(c.name, () => compare(c));
    });
  }
});

/**
 * The ONNX backend (experimental): the same programs on ONNX Runtime. A program may still stop at an
 * op without an ONNX lowering (a clear StagingError); anything else must agree with eager.
 */
describe.skipIf(!!process.env.STAGED_PENDING)('the same programs on ONNX Runtime', () => {
  let agreed = 0;
  for (const c of all) {
    it(c.name, async () => {
      try {
        await compare(c, 'onnx');
        agreed++;
      } catch (e) {
        if (!/has no ONNX lowering yet/.test(String(e))) throw e;
      }
    });
  }
  it('most of the corpus runs on ONNX Runtime', () => expect(agreed).toBeGreaterThanOrEqual(201));
});

describe.skipIf(!!process.env.STAGED_PENDING)('staged programs do not leak tensors', () => {
  const names = [
    'while_halve_counter',
    'newton_sqrt_scalar',
    'collatz_steps',
    'nested_if_else_chain',
    'where_mask_in_loop',
  ];
  for (const name of names) {
    it(name, async () => {
      const c = all.find((x) => x.name === name);
      expect(c, `no case named ${name}`).toBeDefined();
      const staged = ag.stage(c!.fn, { scope: scopeOf(c!) });
      const inputs = c!.inputs();
      const given = new Set(inputs.flat(2));
      // A result can be the argument tensor itself (a loop that ran zero times): keep the inputs alive.
      const release = (x: unknown): void => {
        if (x instanceof tf.Tensor) {
          if (!given.has(x)) x.dispose();
        } else if (Array.isArray(x)) x.forEach(release);
      };
      const run = async () => {
        for (const args of inputs) release(await staged(...(args as any[])));
      };
      await run();
      const start = tf.memory().numTensors;
      for (let i = 0; i < 5; i++) await run();
      expect(tf.memory().numTensors).toBe(start);
      disposeAll(inputs);
    });
  }
});
