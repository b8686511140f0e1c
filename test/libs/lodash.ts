/** lodash-es: lodash's modular ES build (one module per function). */
import type { LibrarySpec } from './harness.ts';

export const lodash: LibrarySpec = {
  name: 'lodash-es',
  version: '4.18.1',
  sources: '.',
  entry: 'lodash.js',
  skip: {
    debounce: 'schedules timers: its effects happen after the call returns',
    throttle: 'schedules timers: its effects happen after the call returns',
    delay: 'schedules timers: its effects happen after the call returns',
    defer: 'schedules timers: its effects happen after the call returns',
  },
  // the chain wrapper's methods, called on `chain(value)`
  methods: {
    names: [
      'commit',
      'next',
      'plant',
      'toJSON',
      'value',
      'valueOf',
      'wrapperAt',
      'wrapperCommit',
      'wrapperNext',
    ].concat(['wrapperPlant', 'wrapperReverse', 'wrapperValue']),
    make: (lodash, value) => lodash.chain(value),
  },
  // rest(f, -2 ** 31) returns a function that makes an array of 2 ** 31 elements
  sized: ['times', 'range', 'rangeRight', 'repeat', 'pad', 'padStart', 'padEnd', 'rest'],
};
