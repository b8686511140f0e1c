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
import { difference, type Plain, toArrays } from './staged/compare.ts';
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
