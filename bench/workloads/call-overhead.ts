/**
 * Per-call cost (issue 13): `x * 2 + 1` on a float32[4], a graph that ONNX Runtime runs in a few
 * microseconds, so the staged call is almost all overhead: the trace-cache lookup, the input copy
 * into an `ort.Tensor`, the output tensors. Its "hand-built" graph is the staged function's own
 * exported model, run by a bare `session.run` as any ORT user would: the difference of the two
 * columns is what `ag.stage` adds per call.
 */
import * as tfjs from '@tensorflow/tfjs-core';
import * as ag from 'autograph-ts';
import { feed } from '../handbuilt/onnx.ts';
import type { AnyTf, Case, Workload } from '../harness.ts';

/** tfjs, typed so that operators on tensors type-check. */
const tf: AnyTf = tfjs;

function scaleShift(x: any) {
  return x * 2 + 1;
}

function build(): Case {
  const data = Float32Array.of(1, 2, 3, 4);
  const x = tf.tensor1d(data);
  const exported = ag.stage(scaleShift);
  const bytes = exported.exportOnnxBytes(x);
  void exported.dispose();
  return {
    label: 'float32[4]',
    params: { size: 4 },
    program: scaleShift,
    args: [x],
    outputs: ['float'],
    handbuilt: { bytes, feeds: () => ({ input0: feed(data, [4]) }), outputNames: ['output0'] },
    tensors: [x],
  };
}

export const callOverhead: Workload = {
  name: 'call-overhead',
  title: 'Per-call cost (x·2+1)',
  overheadTargetUs: 10,
  configs: () => [{}],
  build,
};
