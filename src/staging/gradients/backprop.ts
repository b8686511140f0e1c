/**
 * Reverse mode over IR nodes. A backward pass walks a region's nodes last to first, handing each the
 * adjoints of its outputs and adding what its gradient gives to the adjoints of its inputs; a tfjs
 * kernel's gradient is its registration's (tfjs's own, see ir/ops/registry.ts), run on symbolic
 * tensors so that its ops are recorded like any others; `cond` and `while` have theirs in
 * control-flow.ts. Only values that depend on what is differentiated ("active" values) take adjoints.
 */
import { StagingError } from '../../errors.ts';
import { allNodes, type Attrs, type Node, type Region, type Value } from '../../ir/graph.ts';
import { NoGradientError, opDef, type Tensor, type Tf } from '../../ir/ops/index.ts';
import type { GradientContext } from '../../ir/ops/registry.ts';
import { sameType, type TensorType, tensorType } from '../../ir/types.ts';
import { tf } from '../../runtime/tensors.ts';
import { forgetDims } from '../control-flow.ts';
import { activeRecorder, type Recorder, recordOp } from '../recording-backend.ts';
import { callVjp, callCaptures } from './calls.ts';
import { condVjp, whileVjp } from './control-flow.ts';

export type Adjoints = Map<Value, Value>;

/** A backward pass in progress. */
export interface Backprop {
  readonly r: Recorder;
  /** The values differentiated, and every value that depends on them. */
  readonly active: ReadonlySet<Value>;
}

/**
 * Which values carry adjoints: float32 ones, and int32 ones as tfjs's tape treats them (its `Cast`
 * passes an adjoint through to the float32 value an int32 one was cast from); booleans never do.
 */
export const differentiable = (v: Value): boolean => v.type.dtype !== 'bool';

/** The type of `v`'s adjoint: float32, of `v`'s shape. */
export const adjointType = (v: Value): TensorType => tensorType('float32', v.type.shape);

/** Records `op` in the region being built; its first output. */
export function emit(r: Recorder, op: string, inputs: Value[], attrs: Record<string, unknown> = {}): Value {
  return r.trace!.emit(op, inputs, attrs)[0]!;
}

/** `v` as a value of exactly `type` (cast, and dims forgotten where `type` has them dynamic). */
export function asType(r: Recorder, v: Value, type: TensorType): Value {
  if (v.type.dtype !== type.dtype) v = emit(r, 'Cast', [v], { dtype: type.dtype });
  return sameType(v.type, type) ? v : forgetDims(r, v, type);
}

/** Adds `g` to the adjoint of `v`. */
export function accumulate(r: Recorder, adjoints: Adjoints, v: Value, g: Value): void {
  if (!differentiable(v)) return;
  const previous = adjoints.get(v);
  adjoints.set(
    v,
    asType(r, previous ? emit(r, 'Add', [previous, asType(r, g, adjointType(v))]) : g, adjointType(v)),
  );
}

/** A zero adjoint for `v`: float32 zeros of its shape (dims as `v` has them at run time). */
export const zerosLike = (r: Recorder, v: Value): Value =>
  asType(r, emit(r, 'ZerosLike', [v]), adjointType(v));

/**
 * The backward pass of `nodes` (one region's, in order): `adjoints` holds the adjoints of some of
 * their outputs (or of values they use) and receives those of every active value they use.
 */
export function backprop(b: Backprop, nodes: readonly Node[], adjoints: Adjoints): void {
  for (let i = nodes.length - 1; i >= 0; i--) {
    const n = nodes[i]!;
    if (!n.outputs.some((o) => b.active.has(o) && adjoints.has(o))) continue;
    const dys = n.outputs.map((o) => adjoints.get(o));
    const grads =
      n.op === 'cond'
        ? condVjp(b, n, dys)
        : n.op === 'while'
          ? whileVjp(b, n, dys)
          : n.op === 'call'
            ? callVjp(b, n, dys)
            : opVjp(b, n, dys);
    for (const [v, g] of grads) if (b.active.has(v)) accumulate(b.r, adjoints, v, g);
  }
}

/** A kernel's gradient, from its registration, on symbolic tensors standing for the node's values. */
function opVjp(b: Backprop, n: Node, dys: (Value | undefined)[]): [Value, Value][] {
  const { r } = b;
  const def = opDef(n.op)!;
  const dyValues = n.outputs.map((o, i) => dys[i] ?? zerosLike(r, o));
  const trace = r.trace!;
  const outerWhere = trace.where;
  trace.where = n.where; // backward ops point at the forward op's line
  let grads: (unknown | undefined)[];
  try {
    grads = locatedGradient(n.op, n.where, n.inputs, () =>
      def.gradient(
        gradientContext(
          r,
          n.inputs.map((v) => r.tensorFor(v)),
          n.outputs.map((v) => r.tensorFor(v)),
          dyValues.map((v) => r.tensorFor(v)),
          trace.kernelAttrs.get(n) ?? n.attrs,
        ),
      ),
    );
  } finally {
    trace.where = outerWhere;
  }
  const out: [Value, Value][] = [];
  n.inputs.forEach((v, i) => {
    const g = grads[i];
    if (g && differentiable(v)) out.push([v, r.valueFor(g as any)]);
  });
  return out;
}

/**
 * Runs the gradient of `op` (recorded at `where`, on `inputs`); its failures become StagingErrors
 * naming the op and its line.
 */
export function locatedGradient(
  op: string,
  where: string | undefined,
  inputs: readonly Value[],
  run: () => (Tensor | undefined)[],
): (Tensor | undefined)[] {
  try {
    return run();
  } catch (e) {
    // tfjs's gradients of integer ops (Mod, FloorDiv on int32) may not run on integers: no adjoint
    // flows through integer-only arithmetic
    if (inputs.every((v) => v.type.dtype !== 'float32')) return [];
    const at = where ? `${where}: ` : '';
    if (e instanceof NoGradientError)
      throw new StagingError(
        `${at}cannot differentiate through '${op}': tfjs registers no gradient for it` +
          (tf().getGradient('Sum') ? '' : ` (tfjs-core alone registers none: import '@tensorflow/tfjs')`),
      );
    if (e instanceof StagingError)
      throw new StagingError(`${at}the gradient of '${op}': ${e.message.replace(at, '')}`);
    throw new StagingError(`${at}the gradient of '${op}' failed: ${(e as Error).message}`);
  }
}

/** What an op's registered gradient gets, for symbolic tensors of this trace. */
export function gradientContext(
  r: Recorder,
  inputs: Tensor[],
  outputs: Tensor[],
  dys: Tensor[],
  attrs: Attrs,
): GradientContext {
  const typeOf = (t: Tensor) => r.valueFor(t).type;
  return {
    tf: tf() as unknown as Tf,
    inputs,
    outputs,
    dys,
    attrs,
    inputTypes: inputs.map(typeOf),
    outputTypes: outputs.map(typeOf),
    withShape: (t, shape) => r.tensorFor(r.valueFor(t), shape),
    record: (op, ins, a) => recordOp(op, ins, a),
  };
}

/**
 * The values of `nodes` (and of the regions nested in them) that depend on `roots`: float32 values
 * computed from a root, loop values that become so in some iteration included.
 */
export function activeValues(nodes: readonly Node[], roots: Iterable<Value>): Set<Value> {
  const active = new Set<Value>([...roots].filter(differentiable));
  propagate(nodes, active);
  return active;
}

function propagate(nodes: readonly Node[], active: Set<Value>): void {
  const mark = (v: Value) => differentiable(v) && !active.has(v) && (active.add(v), true);
  for (const n of nodes) {
    if (n.op === 'while') {
      const [test, body] = n.regions as [Region, Region];
      const count = n.inputs.length;
      n.inputs.forEach((v, i) => active.has(v) && mark(body.params[i]!) && mark(test.params[i]!));
      for (let changed = true; changed; ) {
        propagate(body.nodes, active);
        changed = false;
        for (let i = 0; i < count; i++)
          if (active.has(body.results[i]!) && mark(body.params[i]!)) changed = mark(test.params[i]!) || true;
      }
      n.outputs.forEach((o, i) => {
        if (active.has(i < count ? body.params[i]! : body.results[i]!)) mark(o);
      });
    } else if (n.op === 'cond') {
      for (const region of n.regions) propagate(region.nodes, active);
      n.outputs.forEach((o, i) => {
        if (n.regions.some((region) => active.has(region.results[i]!))) mark(o);
      });
    } else if (
      n.inputs.some((v) => active.has(v)) ||
      // a call's outputs depend on what its callee reads from around it too
      (n.op === 'call' && callCaptures(activeRecorder()!, n).some((v) => active.has(v)))
    )
      n.outputs.forEach(mark);
  }
}

/** Values that `node`'s regions use but do not define: what its body captures from around it. */
export function capturesOf(node: Node): Value[] {
  const defined = new Set<Value>();
  const used = new Set<Value>();
  const visit = (region: Region) => {
    for (const p of region.params) defined.add(p);
    for (const n of allNodes(region)) {
      for (const v of n.inputs) used.add(v);
      for (const o of n.outputs) defined.add(o);
      for (const inner of n.regions) {
        for (const p of inner.params) defined.add(p);
        for (const v of inner.results) used.add(v);
      }
    }
    for (const v of region.results) used.add(v);
  };
  for (const region of node.regions) visit(region);
  return [...used].filter((v) => !defined.has(v));
}

/** The values of `defined` that the nodes and results of `region` (nested regions included) use, in first-use order. */
export function usesOf(region: Region, defined: ReadonlySet<Value>): Value[] {
  const found = new Set<Value>();
  const see = (v: Value) => defined.has(v) && found.add(v);
  for (const n of allNodes(region)) {
    n.inputs.forEach(see);
    for (const inner of n.regions) inner.results.forEach(see);
  }
  region.results.forEach(see);
  return [...found];
}

/** Replaces, in `region` and the regions nested in it, each use of a key of `map` by its value. */
export function substitute(region: Region, map: ReadonlyMap<Value, Value>): void {
  const swap = (v: Value) => map.get(v) ?? v;
  for (const n of allNodes(region)) {
    n.inputs = n.inputs.map(swap);
    for (const inner of n.regions) inner.results = inner.results.map(swap);
  }
  region.results = region.results.map(swap);
}
