/** `Const`: data known at trace time (captured weights, literals, folded results). */
import type { ConstData } from '../graph.ts';
import { type DType, isStatic, tensorType } from '../types.ts';
import { ONNX_FLOAT64 } from './onnx.ts';
import { noGradient, registerOp, type Tensor } from './registry.ts';

registerOp({
  name: 'Const',
  inputNames: [],
  infer: (_inputs, attrs) => [tensorType(attrs.dtype as DType, attrs.shape as number[])],
  gradient: noGradient,
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
    console.log(...printedParts(attrs.parts as (string | null)[], inputs));
    return [];
  },
  // Every value, as a float64 vector (exact for float32, int32 and bool), goes to the print log.
  // A value with a dynamic dim is preceded by its run-time shape, for the decoder to know its size.
  onnx: (c) =>
    c.log(
      c.inputs.flatMap((x, i) => {
        const [wide, flat] = [c.temp(), c.temp()];
        c.emit('Cast', [x], [wide], { to: ONNX_FLOAT64 });
        c.emit('Reshape', [wide, c.int64([-1])], [flat]);
        if (isStatic(c.inputTypes[i]!.shape)) return [flat];
        const [shape, shapeWide] = [c.temp(), c.temp()];
        c.emit('Shape', [x], [shape]);
        c.emit('Cast', [shape], [shapeWide], { to: ONNX_FLOAT64 });
        return [shapeWide, flat];
      }),
    ),
});

/** What a staged print logs: its JS parts, with each tensor formatted as tfjs formats it. */
export function printedParts(parts: readonly (string | null)[], tensors: readonly Tensor[]): string[] {
  let next = 0;
  return parts.map((p) => (p === null ? tensors[next++]!.toString() : p));
}
