/** underscore: its ES modules (`modules/`, one module per function). */
import type { LibrarySpec } from './harness.ts';

export const underscore: LibrarySpec = {
  name: 'underscore',
  version: '1.13.8',
  sources: 'modules',
  entry: 'index.js',
  skip: {
    debounce: 'schedules timers: its effects happen after the call returns',
    throttle: 'schedules timers: its effects happen after the call returns',
    delay: 'schedules timers: its effects happen after the call returns',
    defer: 'schedules timers: its effects happen after the call returns',
    now: 'is Date.now itself, taken at load time: reads the real clock',
  },
  sized: ['times', 'range', 'restArguments'],
};
