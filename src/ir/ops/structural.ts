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

/**
 * `Print`: a staged `console.log`. `parts` lists the arguments in order: a string for a JS value
 * (already formatted at trace time), null where the next tensor input goes. It prints when the
 * graph runs, in program order; it has effects, so no pass removes or merges it.
 */
registerOp({
  name: 'Print',
  inputNames: [],
  pure: false,
  infer: () => [],
  eager: (_tf, inputs, attrs) => {
    let next = 0;
    const parts = (attrs.parts as (string | null)[]).map((p) =>
      p === null ? inputs[next++]!.toString() : p,
    );
    console.log(...parts);
    return [];
  },
});
