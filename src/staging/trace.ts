/**
 * A trace under construction: the IR nodes recorded so far, in the region currently being built
 * (control-flow operators open nested regions).
 */
import { platform } from '#platform';
import { StagingError } from '../errors.ts';
import { type Attrs, type Node, Region, type Site, type Value, ValueFactory } from '../ir/graph.ts';
import { opDef } from '../ir/ops/index.ts';
import { attrsWithUnknownDims } from './dynamic-dims.ts';
import type { DType, TensorType } from '../ir/types.ts';
import type { StagedChecks } from './checks.ts';
import type { TracedVariables } from './variables.ts';

export class Trace {
  readonly values = new ValueFactory();
  private readonly open: Node[][] = [[]];
  /** The user's source location reported for the nodes being recorded. */
  where: string | undefined;
  /** The tf.Variables the trace reads and assigns (set while `ag.stage` traces). */
  variables: TracedVariables | undefined;
  /** The staged checks (throws under tensor conditions) recorded so far. */
  checks: StagedChecks | undefined;

  /** Records `op` in the current region; output types come from the op's rule. */
  emit(op: string, inputs: Value[], attrs: Attrs): Value[] {
    const def = opDef(op);
    if (!def) throw new StagingError(`${this.at()}the tfjs op '${op}' is not supported in staged code yet`);
    let types: TensorType[];
    const given = attrs;
    attrs = attrsWithUnknownDims(attrs as Record<string, unknown>, () => this.at());
    try {
      types = def.infer(
        inputs.map((v) => v.type),
        attrs,
      );
    } catch (e) {
      throw new StagingError(`${this.at()}${op}: ${(e as Error).message}`);
    }
    // The user's line is kept on the node so that execution errors can name it.
    const node = this.values.node(op, inputs, { ...attrs }, types, [], this.where ?? userSite());
    if (given !== attrs) this.kernelAttrs.set(node, given);
    this.open.at(-1)!.push(node);
    return node.outputs;
  }

  /** The attributes as tfjs passed them (its gradients read them), where they differ from the node's. */
  readonly kernelAttrs = new WeakMap<Node, Attrs>();

  /**
   * A constant. Constants have no inputs, so they are all hoisted to the top of the function: a
   * weight first used inside one branch stays in scope for the other branch and after the cond.
   */
  constant(value: Float32Array | Int32Array | Uint8Array, shape: readonly number[], dtype: DType): Value {
    const node = this.values.node(
      'Const',
      [],
      { value, shape: [...shape], dtype },
      [{ dtype, shape: [...shape] }],
      [],
      this.where,
    );
    this.constants.push(node);
    return node.outputs[0]!;
  }

  /**
   * A node computed from constants only, hoisted with them: it is defined before every other node
   * (a loop value added to a loop after the fact enters with it).
   */
  hoisted(op: string, inputs: Value[], attrs: Attrs): Value {
    const [type] = opDef(op)!.infer(
      inputs.map((v) => v.type),
      attrs,
    );
    const node = this.values.node(op, inputs, attrs, [type!], [], this.where);
    this.constants.push(node);
    return node.outputs[0]!;
  }

  /** The hoisted constants, in creation order (the function body starts with them). */
  readonly constants: Node[] = [];

  /** Records a structured node whose regions were built with `region`. */
  structured(op: 'cond' | 'while', inputs: Value[], regions: Region[], outputTypes: TensorType[]): Value[] {
    const node = this.values.node(op, inputs, {}, outputTypes, regions, this.where);
    this.open.at(-1)!.push(node);
    return node.outputs;
  }

  /**
   * Records a `call` of the graph's function `callee` (staged recursion, see recursion.ts), made at
   * `where` (by default where the user's code is).
   */
  call(
    callee: string,
    inputs: Value[],
    outputTypes: TensorType[],
    where: Site = this.where ?? userSite(),
  ): Value[] {
    const node = this.values.node('call', inputs, { callee }, outputTypes, [], where);
    this.open.at(-1)!.push(node);
    return node.outputs;
  }

  /** Builds a nested region: `build` runs with recording redirected into it and returns its results. */
  region(params: TensorType[], build: (params: Value[]) => Value[]): Region {
    const ps = params.map((t) => this.values.value(t));
    this.open.push([]);
    try {
      const results = build(ps);
      return new Region(ps, this.open.at(-1)!, results);
    } finally {
      this.open.pop();
    }
  }

  /** Runs `fn` recording into an existing region (to add what a branch's results need after the fact). */
  appendTo<T>(region: Region, fn: () => T): T {
    this.open.push(region.nodes);
    try {
      return fn();
    } finally {
      this.open.pop();
    }
  }

  /** How many regions are open: 1 at the function's top level, more inside staged control flow. */
  get depth(): number {
    return this.open.length;
  }

  /** The nodes of the region being built. */
  get currentNodes(): Node[] {
    return this.open.at(-1)!;
  }

  /** The nodes of the function's top region. */
  get topNodes(): Node[] {
    return this.open[0]!;
  }

  /** Where the op being recorded was called: the innermost user frame of the stack (source-mapped under the loader). */
  private at(): string {
    const where = this.where ?? userFrame();
    return where ? `${where}: ` : '';
  }
}

/** `file:line:col: ` of the user's code being traced (empty when unknown), for staging errors. */
export function userLocation(trace: Trace | null | undefined): string {
  const where = userWhere(trace);
  return where ? `${where}: ` : '';
}

/** `file:line:col` of the user's code being traced, found now. */
export function userWhere(trace: Trace | null | undefined): string | undefined {
  return trace?.where ?? userFrame();
}

/** This package's code, compiled (dist/) or, through source maps, original (src/). */
const LIBRARY_DIRS = platform.libraryDirs;
/** Dependencies' frames, including tfjs's source-mapped ones (`…/tfjs-core/src/engine.ts`). */
const TFJS_FRAME = /\/node_modules\/|\/tfjs-(core|backend-\w+)\/src\//;

/** `file:line:col` of the first stack frame outside tfjs and autograph-ts. */
function userFrame(): string | undefined {
  return userSite()();
}

/**
 * The user's frame, found later: the stack is captured now (cheap) and formatted only when the
 * location is read (formatting with source maps is what costs).
 */
function userSite(): () => string | undefined {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 60; // tfjs's own frames come first
  const captured = new Error();
  Error.stackTraceLimit = limit;
  return () => firstUserFrame(captured.stack ?? '');
}

function firstUserFrame(stack: string): string | undefined {
  return userFrames(stack)[0]?.location;
}

/** The stack's frames in user code, innermost first: where, and in which function. */
function userFrames(stack: string): { location: string; fn: string | undefined }[] {
  const frames = [];
  for (const line of stack.split('\n').slice(1)) {
    const match = /^\s*at (?:(.+?) \()?((?:file:\/\/)?[^()\s]+:\d+:\d+)\)?\s*$/.exec(line);
    if (!match) continue;
    const location = match[2]!.replace(/^file:\/\//, '');
    if (
      TFJS_FRAME.test(location) ||
      LIBRARY_DIRS.some((dir) => location.startsWith(dir)) ||
      location.startsWith('node:')
    )
      continue;
    frames.push({ location, fn: match[1]?.replace(/^(?:Object|Module)\./, '') });
  }
  return frames;
}

/**
 * Where user code read a symbolic tensor's value: a function that was not converted (a JS
 * condition on a tensor, a `dataSync`), named with its `file:line:col`.
 */
export function unconvertedReader(): string {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 60;
  const stack = new Error().stack ?? '';
  Error.stackTraceLimit = limit;
  const [frame] = userFrames(stack);
  if (!frame) return '';
  return `${frame.location}: ${frame.fn ? `the function '${frame.fn}'` : 'this code'} runs unconverted and reads a symbolic tensor's value: `;
}
