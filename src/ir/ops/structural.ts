/** `Const`: data known at trace time (captured weights, literals, folded results). */
import type { ConstData } from '../graph.ts';
import { type DType, tensorType } from '../types.ts';
import { registerOp } from './registry.ts';

registerOp({
  name: 'Const',
  inputNames: [],
  infer: (_inputs, attrs) => [tensorType(attrs.dtype as DType, attrs.shape as number[])],
  eager: (tf, _inputs, attrs) => [
    tf.tensor(attrs.value as ConstData, attrs.shape as number[], attrs.dtype as DType),
  ],
});
