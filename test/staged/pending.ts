/**
 * Staged programs that do not pass yet: a missing op, a missing feature, a limitation of staging by
 * design, or a bug (one line each in PENDING.md). Not run by the harness unless STAGED_PENDING=1.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { StagedCase, Tf } from './common.ts';

const T: Tf = { ...tf };
const v = (...xs: number[]) => tf.tensor1d(xs);
const m = (rows: number[][]) => tf.tensor2d(rows);
const f32 = (n: number) => tf.scalar(n);
const i32 = (n: number) => tf.scalar(n, 'int32');
const ints = (...ns: number[]) => ns.map((n) => [i32(n)]);
const scale: any = tf.tensor1d([2, 0.5, -1]);

export const pendingCases: StagedCase[] = [
  {
    name: 'ternary_tensor_or_number',
    fn: (x: any) => (T.sum(x) > 0 ? x : 0),
    inputs: () => [[v(1, 2)], [v(-1, -2)]],
  },
  {
    name: 'loop_variable_shape_changes',
    fn: (x: any) => {
      while (T.sum(x) < 10) {
        x = T.concat([x, x]);
      }
      return x;
    },
    inputs: () => [[v(1, 2)]],
  },
  {
    name: 'array_push_inside_staged_loop',
    fn: (x: any) => {
      const seen: any[] = [];
      while (T.sum(x) < 10) {
        seen.push(x);
        x = x * 2;
      }
      return seen.length;
    },
    inputs: () => [[v(1, 1)]],
  },
  {
    name: 'log_softmax_entropy_branch',
    fn: (logits: any) => {
      const logp = T.logSoftmax(logits);
      const entropy = -T.sum(T.exp(logp) * logp);
      return entropy > 0.5 ? [entropy, T.scalar(1)] : [entropy, T.scalar(0)];
    },
    inputs: () => [[v(1, 1, 1)], [v(10, 0, 0)]],
  },
];
