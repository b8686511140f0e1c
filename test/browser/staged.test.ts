/**
 * Staged programs in the page: each runs converted in eager form on tfjs (cpu backend) and staged on
 * onnxruntime-web (wasm); the two must agree, and the staged results must equal those of the same
 * programs staged on onnxruntime-node (computed in Node by ./expected.ts).
 */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import * as ag from '../../dist/index.js';
import { difference, type Plain, toArrays } from '../staged/compare.ts';
import { browserCases, decode, disposeAll, runStaged, scopeOf } from './cases.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('staged programs on onnxruntime-web', () => {
  it('run in a page without Node (no process, the browser platform)', () => {
    expect(typeof (globalThis as any).process?.versions?.node).toBe('undefined');
  });

  it(`${browserCases.length} programs agree with their eager form and with onnxruntime-node`, async () => {
    expect(browserCases.length).toBeGreaterThanOrEqual(40);
    const node = decode(inject('nodeResults'));
    const web = await runStaged(ag, browserCases);
    for (const c of browserCases) {
      const eagerFn = ag.convert(c.fn, { form: 'eager', scope: scopeOf(c) });
      const inputs = c.inputs();
      for (const [k, args] of inputs.entries()) {
        let eager: Plain = { other: undefined };
        tf.tidy(() => {
          eager = toArrays(eagerFn(...args));
        });
        const staged = web[c.name]![k]!;
        const vsEager = difference(eager, staged);
        expect(vsEager, `${c.name} input ${k}, onnxruntime-web vs eager: ${vsEager}`).toBeNull();
        const vsNode = difference(node[c.name]![k]!, staged);
        expect(vsNode, `${c.name} input ${k}, onnxruntime-web vs onnxruntime-node: ${vsNode}`).toBeNull();
      }
      disposeAll(inputs);
    }
    // The staged runs were onnxruntime-web's: its wasm binary was fetched by the page.
    const fetched = performance.getEntriesByType('resource').map((e) => e.name);
    expect(fetched.some((url) => /ort-wasm[^/]*\.wasm/.test(url))).toBe(true);
  });
});
