/**
 * `RecursionGuard`: the depth check of staged recursion run as a loop (passes/recursion-to-loop.ts).
 * Its input is the stack of blocks to resume at (one row per active call), its `callee` attribute the
 * function called (for the message); it gives int32 0 while
 * the stack has at most `limit` rows and fails the run beyond, so that recursion that never reaches
 * its base case is an error rather than a loop that grows its stacks until memory runs out.
 */
import { ExecutionError, locatedMessage } from '../../errors.ts';
import type { Node } from '../graph.ts';
import { tensorType } from '../types.ts';
import { noGradient, registerOp } from './registry.ts';

/** How deep staged recursion may go (calls active at once) before a run fails. */
export const RECURSION_DEPTH_LIMIT = 10_000;

/** The message of a run whose recursion through `callee` (an IR function's name) went deeper than `limit` calls. */
export const tooDeep = (limit: number, callee: string) =>
  `staged recursion of '${callee.replace(/#\d+$/, '')}' went deeper than ${limit} calls: its base case is never reached for these inputs (or the recursion is deeper than staged code allows)`;

/** The error of a run on `executor`, whose calls are JS recursion, past `limit` calls active at `call`. */
export const tooDeepInJs = (call: Node, limit: number, executor: string) =>
  new ExecutionError(
    locatedMessage(
      `${tooDeep(limit, call.attrs.callee as string)}; the ${executor} executor recurses in JS and stops there, ONNX Runtime allows ${RECURSION_DEPTH_LIMIT}`,
      call.where,
    ),
  );

/** The error of a run on `executor` whose JS stack ran out `depth` calls deep, the last at `call`. */
export const overflowedInJs = (call: Node, depth: number, executor: string, cause: unknown) =>
  new ExecutionError(
    locatedMessage(
      `staged recursion of '${(call.attrs.callee as string).replace(/#\d+$/, '')}' overflowed the JS stack ${depth} calls deep on the ${executor} executor`,
      call.where,
    ),
    { cause },
  );

registerOp({
  name: 'RecursionGuard',
  inputNames: ['stack'],
  pure: false,
  gradient: noGradient,
  infer: () => [tensorType('int32', [])],
  eager: (tf, [stack], attrs) => {
    if (stack!.shape[0]! > (attrs.limit as number))
      throw new ExecutionError(tooDeep(attrs.limit as number, attrs.callee as string));
    return [tf.scalar(0, 'int32')];
  },
  // ONNX has no assert: the depth indexes a table of limit + 1 zeros, and a Gather past its end fails
  // (the executor names the guard's call and says why)
  onnx: (c) => {
    const [shape, rows, zero] = [c.temp(), c.temp(), c.temp()];
    const limit = c.attrs.limit as number;
    c.emit('Shape', [c.inputs[0]!], [shape], { start: 0, end: 1 });
    c.emit('Squeeze', [shape, c.int64([0])], [rows]);
    c.emit('Gather', [c.int64(new Array(limit + 1).fill(0)), rows], [zero], { axis: 0 });
    c.emit('Cast', [zero], c.outputs, { to: 6 });
  },
});
