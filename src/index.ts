/**
 * autograph-ts: write ordinary control flow over TensorFlow.js tensors; converted functions
 * dispatch every operator and statement at run time.
 */
export { type ConvertOptions, convert, convertSource, toCode } from './api.ts';
export {
  AutoGraphError,
  ConversionError,
  ExecutionError,
  GradientError,
  type SourceLocation,
  StagingError,
} from './errors.ts';
export { type StagedFunction, type StageOptions, stage } from './staging/stage.ts';
export {
  type OnnxRuntime,
  type SessionOptions,
  setDefaultSessionOptions as setSessionOptions,
  setOnnxRuntime,
} from './backends/onnx/executor.ts';
export { SignatureError, type SpecDim, spec, TensorSpec } from './staging/spec.ts';
export { call, type FallbackMode, print, setFallback } from './runtime/calls.ts';
export { TensorAssignmentError, TensorIndexError } from './runtime/indexing.ts';
export { TensorConditionError } from './runtime/tensors.ts';
