/**
 * The benchmark's RNN and beam search in the page. Their modules import autograph-ts, so
 * autograph-ts/vite gave their functions converted twins when Vite served them: the programs close
 * over their weights and module constants, which a function rebuilt from its text could not see.
 * Staged on onnxruntime-web, each agrees with its eager form run on tfjs in the same page.
 */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { mismatch, type Outputs } from '../../bench/harness.ts';
import { beamSearch } from '../../bench/workloads/beam-search.ts';
import { rnn } from '../../bench/workloads/rnn.ts';
import * as ag from '../../dist/index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const flat = (x: unknown): Outputs =>
  (Array.isArray(x) ? x : [x]).map((t) => (t as tf.Tensor).dataSync() as Float32Array);

describe('bench workloads converted by the Vite plugin', () => {
  for (const [workload, config] of [
    [rnn, { B: 8, T: 16 }],
    [beamSearch, { vocab: 1000, maxLen: 20 }],
  ] as const) {
    it(`${workload.title}: staged on onnxruntime-web = eager tfjs`, async () => {
      const c = workload.build(config);
      // The twin the plugin added (the loader's form): the code calls the runtime.
      expect(ag.toCode(c.program)).toContain('ag__');
      const eager = tf.tidy(() => flat(ag.convert(c.program)(...c.args)).map((a) => Array.from(a)));
      const staged = ag.stage(c.program);
      const out = await staged(...c.args);
      expect(mismatch(eager, flat(out), c.outputs)).toBeNull();
      expect(staged.graph(...c.args)).toMatch(/while/);
      await staged.dispose();
      tf.dispose([out as tf.Tensor, ...c.tensors]);
    });
  }
});
