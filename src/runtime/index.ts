/** The runtime that converted code reaches as `ag__`. */

export * from './calls.ts';
export * from './control-flow.ts';
export * from './indexing.ts';
export * from './lists.ts';
export * from './operators.ts';
export * from './checks.ts';
