/** ramda: its ES build (`es/`, internal helpers in `es/internal/`). */
import type { LibrarySpec } from './harness.ts';

export const ramda: LibrarySpec = {
  name: 'ramda',
  version: '0.32.0',
  sources: 'es',
  entry: 'index.js',
  // lift and its users map over array-likes, whose `length` then comes from the lifted function:
  // `either([Infinity], { 0: 1, length: 1 })` fills an array without end (ramda does that itself).
  // unfold and until loop as long as their callback says: `unfold(Array.of, 1)` never ends.
  sized: [
    'times',
    'range',
    'repeat',
    'splitEvery',
    'either',
    'both',
    'lift',
    'liftN',
    'ap',
    'unfold',
    'until',
  ],
};
