/**
 * The large-unroll warning (TensorFlow AutoGraph's "Large unrolled loop detected"): a loop whose
 * condition is a JS value runs at trace time, adding its body's ops to the graph once per iteration.
 * A training loop counted by a JS number (`for (let s = 0; s < 100; s++)`) silently becomes a graph
 * of thousands of nodes and a slow first call; a tensor condition would make it one staged loop.
 */
import { platform } from '#platform';
import { activeRecorder } from './recording-backend.ts';

/** Warn from this many iterations, once they have added this many values to the graph. */
const ITERATIONS = 20;
const VALUES = 1000;

const warned = new Set<string>();

/** Counts a JS loop's iterations while a trace runs; null (nothing to count) otherwise. */
export function unrollWatch(where: string | undefined): (() => void) | null {
  const r = activeRecorder();
  if (!r || (where && warned.has(where))) return null;
  const values = r.trace!.values;
  const start = values.peek();
  let iterations = 0;
  return () => {
    iterations++;
    const added = values.peek() - start;
    if (iterations < ITERATIONS || added < VALUES || warned.has(where ?? '')) return;
    warned.add(where ?? '');
    platform.warn(
      `${where ? `${where}: ` : ''}large unrolled loop: its condition is a JS value, so it ran ${iterations} iterations while ag.stage traced and added ${added} values to the graph (more with every iteration). ` +
        'If it should be one loop in the graph, make its condition a tensor (e.g. `let step = tf.scalar(0)`; `while (step < n)`)',
      'AUTOGRAPH_LARGE_UNROLL',
    );
  };
}
