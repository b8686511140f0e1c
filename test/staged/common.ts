/**
 * Shared types of the staged differential programs. Staged functions are converted from their source
 * text, and vitest rewrites references to imported bindings, so the functions never use an import:
 * they call tfjs through `T`, which each theme file declares for type-checking and the harness passes
 * in `scope` (with any weights a case captures, listed in its `scope`).
 */
import type * as tf from '@tensorflow/tfjs-core';

/** tfjs with every member typed `any`, so that operators on tensors type-check (`T.sum(x) > 0`). */
export type Tf = { [K in keyof typeof tf]: any };

export interface StagedCase {
  name: string;
  /** The program: tensor parameters are `any`; JS parameters are part of the trace signature. */
  fn: (...args: any[]) => unknown;
  /** Argument lists; called once per run so that every run gets fresh tensors. */
  inputs: () => unknown[][];
  /** Free variables besides `T` (captured weights), by name. */
  scope?: Record<string, unknown>;
}
