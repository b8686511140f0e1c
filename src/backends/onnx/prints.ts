/**
 * Staged prints on ONNX Runtime. The graph returns its print log as the extra output `prints`: for
 * each print executed, in order, the index of its site, then each printed tensor's values as
 * float64, preceded by its run-time shape where its type has a dynamic dim. The sites' types say how
 * many values each tensor has, so the log decodes without separators. The lines are logged after the run, as tfjs would have printed them during it.
 */
import { printedParts } from '../../ir/ops/structural.ts';
import type { Tensor, Tf } from '../../ir/ops/index.ts';
import { isStatic, type TensorType } from '../../ir/types.ts';

/** The model output holding the print log (present only when the function prints). */
export const PRINT_LOG_OUTPUT = 'prints';

/** One `Print` node: its JS parts (null where a tensor goes) and its tensors' types. */
export interface PrintSite {
  parts: (string | null)[];
  types: readonly TensorType[];
}

/** The lines a print log holds, each as `console.log` arguments. */
export function decodePrints(log: Float64Array, sites: readonly PrintSite[], tf: Tf): string[][] {
  const lines: string[][] = [];
  let at = 0;
  while (at < log.length) {
    const site = sites[log[at++]!]!;
    const tensors: Tensor[] = site.types.map(({ dtype, shape: type }) => {
      // A tensor with a dynamic dim is preceded by its run-time shape (see Print's lowering)
      const shape = isStatic(type) ? [...type] : Array.from(log.subarray(at, (at += type.length)));
      const size = shape.reduce((a, b) => a * b, 1);
      const values = log.subarray(at, at + size);
      at += size;
      return tf.tensor(Array.from(values), shape, dtype);
    });
    lines.push(printedParts(site.parts, tensors));
    for (const t of tensors) t.dispose();
  }
  return lines;
}
