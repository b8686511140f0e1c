/**
 * autograph-ts: write ordinary control flow over TensorFlow.js tensors; converted functions
 * dispatch every operator and statement at run time.
 */
export { type ConvertOptions, convert, convertSource, toCode } from './api.ts';
export { AutoGraphError, ConversionError, type SourceLocation } from './errors.ts';
export { call, print } from './runtime/calls.ts';
export { TensorConditionError } from './runtime/tensors.ts';
