/**
 * Differential staging corpus: every program in test/staged/*.ts runs converted in eager form on
 * concrete tensors and staged (traced to IR), run by the tfjs executor, by ONNX Runtime and as
 * compiled JS; the four results must agree in structure, shape, dtype and values (1e-5 relative,
 * 1e-6 absolute), and every executor must print the same lines. A JS number or boolean in the
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
import { cases as indexing } from './staged/indexing.ts';
import { cases as integers } from './staged/integers.ts';
import { cases as jumps } from './staged/jumps.ts';
import { cases as logical } from './staged/logical.ts';
import { cases as loops } from './staged/loops.ts';
import { cases as macro } from './staged/macro.ts';
import { cases as ops } from './staged/ops.ts';
import { pendingCases } from './staged/pending.ts';
import { cases as recursion } from './staged/recursion.ts';
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
      indexing,
      resolved,
      recursion,
    };

function disposeAll(x: unknown): void {
  if (x instanceof tf.Tensor) x.dispose();
  else if (Array.isArray(x)) x.forEach(disposeAll);
  else if (typeof x === 'object' && x !== null) Object.values(x).forEach(disposeAll);
}

const scopeOf = (c: StagedCase) => ({ T, ...c.scope });

/** A staged run's results as data, and the lines it printed. */
async function runStaged(staged: (...args: any[]) => Promise<unknown>, args: unknown[]) {
  const lines: unknown[][] = [];
  const original = console.log;
  console.log = (...parts: unknown[]) => lines.push(parts);
  try {
    const out = await staged(...args);
    const result = toArrays(out);
    disposeAll(out);
    return { result, lines };
  } finally {
    console.log = original;
  }
}

async function compare(c: StagedCase): Promise<void> {
  const eagerFn = ag.convert(c.fn, { form: 'eager', scope: scopeOf(c) });
  const onTfjs = ag.stage(c.fn, { scope: scopeOf(c), executor: 'tfjs' });
  const onOrt = ag.stage(c.fn, { scope: scopeOf(c), executor: 'onnx' });
  const onJs = ag.stage(c.fn, { scope: scopeOf(c), executor: 'js' });
  // Separate inputs for each run: a result may be an input itself (a loop that ran zero times).
  const eagerInputs = c.inputs();
  const tfjsInputs = c.inputs();
  const ortInputs = c.inputs();
  const jsInputs = c.inputs();
  for (const [k, args] of eagerInputs.entries()) {
    let eager: Plain = { other: undefined };
    tf.tidy(() => {
      eager = toArrays(eagerFn(...args));
    });
    const tfjs = await runStaged(onTfjs, tfjsInputs[k]!);
    const ort = await runStaged(onOrt, ortInputs[k]!);
    const js = await runStaged(onJs, jsInputs[k]!);
    for (const [what, d] of [
      ['compiled JS vs tfjs executor', difference(tfjs.result, js.result)],
      ['tfjs executor vs eager', difference(eager, tfjs.result)],
      ['ONNX Runtime vs eager', difference(eager, ort.result)],
      ['ONNX Runtime vs tfjs executor', difference(tfjs.result, ort.result)],
    ]) {
      expect(d, `input ${k}, ${what}: ${d}`).toBeNull();
    }
    expect(ort.lines, `input ${k}: printed lines`).toEqual(tfjs.lines);
    expect(js.lines, `input ${k}: printed lines (compiled JS)`).toEqual(tfjs.lines);
  }
  await onOrt.dispose();
  await onJs.dispose();
  disposeAll([eagerInputs, tfjsInputs, ortInputs, jsInputs]);
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

describe.skipIf(!!process.env.STAGED_PENDING)('staged programs do not leak tensors', () => {
  const names = [
    'while_halve_counter',
    'newton_sqrt_scalar',
    'collatz_steps',
    'nested_if_else_chain',
    'where_mask_in_loop',
  ];
  for (const [name, executor] of names.flatMap((n) =>
    (['onnx', 'tfjs', 'js'] as const).map((executor) => [n, executor] as const),
  )) {
    it(`${name} (${executor})`, async () => {
      const c = all.find((x) => x.name === name);
      expect(c, `no case named ${name}`).toBeDefined();
      const staged = ag.stage(c!.fn, { scope: scopeOf(c!), executor });
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
      // (the compiled-JS executor holds data outside the engine's books: count the backend's too)
      const startData = tf.engine().backend.numDataIds();
      for (let i = 0; i < 5; i++) await run();
      expect(tf.memory().numTensors).toBe(start);
      expect(tf.engine().backend.numDataIds()).toBe(startData);
      disposeAll(inputs);
    });
  }
});
