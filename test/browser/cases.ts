/**
 * The staged programs the browser suite runs (a subset of test/staged/, the same files): staged on
 * onnxruntime-web in the page, they must agree with their eager form in the page and with the same
 * programs staged on onnxruntime-node (./expected.ts computes those in Node).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Config, Workload } from '../../bench/harness.ts';
import { beamSearch } from '../../bench/workloads/beam-search.ts';
import { rnn } from '../../bench/workloads/rnn.ts';
import type { StagedCase } from '../staged/common.ts';
import { type Plain, toArrays } from '../staged/compare.ts';
import { cases as logical } from '../staged/logical.ts';
import { cases as reference } from '../staged/reference.ts';

export const browserCases: StagedCase[] = [...reference, ...logical];

/** The bench workloads the page runs, at sizes that keep the suite short. */
export const workloadCases = [
  [rnn, { B: 8, T: 16 }],
  [beamSearch, { vocab: 1000, maxLen: 20 }],
] as const;

/** A staged workload's outputs (flattened) as plain arrays. */
export async function runWorkload(ag: { stage: (fn: any) => any }, w: Workload, config: Config) {
  const c = w.build(config);
  const staged = ag.stage(c.program);
  const out = await staged(...c.args);
  const values = (Array.isArray(out) ? out : [out]).map((t: tf.Tensor) => Array.from(t.dataSync()));
  await staged.dispose();
  tf.dispose([out, ...c.tensors]);
  return values;
}

/** The free variables of a case's program: tfjs as `T`, and its captured weights. */
export const scopeOf = (c: StagedCase): Record<string, unknown> => ({ T: { ...tf }, ...c.scope });

/** Results by case name: one per input list. */
export type Results = Record<string, Plain[]>;

export function disposeAll(x: unknown): void {
  if (x instanceof tf.Tensor) x.dispose();
  else if (Array.isArray(x)) x.forEach(disposeAll);
  else if (typeof x === 'object' && x !== null) Object.values(x).forEach(disposeAll);
}

/** Each case staged on ONNX Runtime (whichever the `ag` given runs on), its results as data. */
export async function runStaged(
  ag: { stage: (fn: any, options: any) => any },
  cases: StagedCase[],
): Promise<Results> {
  const out: Results = {};
  for (const c of cases) {
    const staged = ag.stage(c.fn, { scope: scopeOf(c) });
    const inputs = c.inputs();
    out[c.name] = [];
    for (const args of inputs) {
      const result = await staged(...args);
      out[c.name]!.push(toArrays(result));
      disposeAll(result);
    }
    await staged.dispose();
    disposeAll(inputs);
  }
  return out;
}

/** JSON with non-finite numbers kept (as strings), to carry results from Node to the page. */
export const encode = (r: Results): string =>
  JSON.stringify(r, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
export const decode = (s: string): Results =>
  JSON.parse(s, (_k, v) => (v === 'NaN' || v === 'Infinity' || v === '-Infinity' ? Number(v) : v));
