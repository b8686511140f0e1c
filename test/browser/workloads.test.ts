/**
 * The benchmark's RNN and beam search in the page. Their modules import autograph-ts, so
 * autograph-ts/vite gave their functions converted twins when Vite served them: the programs close
 * over their weights and module constants, which a function rebuilt from its text could not see.
 * Staged on onnxruntime-web, each agrees with its eager form run on tfjs in the same page and with
 * its staged run on onnxruntime-node (./expected.ts).
 */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { mismatch, type Outputs } from '../../bench/harness.ts';
import * as ag from '../../dist/index.js';
import { workloadCases } from './cases.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const flat = (x: unknown): Outputs =>
  (Array.isArray(x) ? x : [x]).map((t) => (t as tf.Tensor).dataSync() as Float32Array);

describe('bench workloads converted by the Vite plugin', () => {
  for (const [k, [workload, config]] of workloadCases.entries()) {
    it(`${workload.title}: staged on onnxruntime-web = eager tfjs = staged on onnxruntime-node`, async () => {
      const c = workload.build(config);
      // The twin the plugin added (the loader's form): the code calls the runtime.
      expect(ag.toCode(c.program)).toContain('ag__');
      const eager = tf.tidy(() => flat(ag.convert(c.program)(...c.args)).map((a) => Array.from(a)));
      const staged = ag.stage(c.program);
      const out = await staged(...c.args);
      expect(mismatch(eager, flat(out), c.outputs)).toBeNull();
      expect(staged.graph(...c.args)).toMatch(/while/);
      expect(mismatch(inject('nodeWorkloads')[k]!, flat(out), c.outputs)).toBeNull();
      await staged.dispose();
      tf.dispose([out as tf.Tensor, ...c.tensors]);
    });
  }
});
