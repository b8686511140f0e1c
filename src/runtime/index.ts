/** The runtime that converted code reaches as `ag__`. */

export { call, callee, print, registerFailure, registerTwin } from './calls.ts';
export * from './control-flow.ts';
export * from './operators.ts';
