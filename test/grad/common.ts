/**
 * Shared types of the gradient corpus (test/grad/*.ts, run by test/gradients.test.ts). Each program
 * is a loss: a function of tensors (and JS values) returning a scalar float32 tensor. Like the staged
 * corpus, the functions are converted from their source text, so they never use an import: they call
 * tfjs through `T` (the `@tensorflow/tfjs` union package, whose gradients are registered), which the
 * harness passes in `scope` with the weights a case captures.
 */
import type * as tf from '@tensorflow/tfjs';

/** tfjs with every member typed `any`, so that operators on tensors type-check (`T.sum(x) > 0`). */
export type Tf = { [K in keyof typeof tf]: any };

export interface GradCase {
  name: string;
  /** The loss: tensor parameters are `any`; JS parameters are part of the trace signature. */
  fn: (...args: any[]) => any;
  /**
   * Argument lists; called once per run so that every run gets fresh tensors. In a `scalar` case the
   * differentiated arguments are JS numbers (the harness makes float32 scalars of them for tfjs).
   */
  inputs: () => unknown[][];
  /** Which arguments the gradient is taken with respect to (default [0]). */
  wrt?: number[];
  /** Free variables besides `T` (captured weights), by name. */
  scope?: Record<string, unknown>;
  /**
   * The loss uses JS operators only (`+ - * / **`, comparisons, no `T.*` call) on scalar arguments:
   * its converted form also runs on JS numbers, with the original meaning, so the harness takes
   * finite differences in float64 on JS numbers.
   */
  scalar?: boolean;
}
