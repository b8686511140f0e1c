/**
 * How staged control flow joins tfjs's gradient tape. tfjs records on its tape the kernels that run
 * inside `tf.grad`, `tf.variableGrads`, `Optimizer.minimize` and the like; a staged `if` or loop is
 * not one kernel but a piece of IR built by tracing user code. While the tape records, such a piece
 * (a "segment": the nodes one control-flow statement, or one of the IR's own ops, added to the
 * region being built) enters the tape as one node: its inputs are the tensors it read from around
 * it, its outputs the tensors it handed back, and its gradient is the backward pass of its nodes
 * (backprop.ts). That backward pass is itself a segment (over the forward nodes and its own), so a
 * gradient of a gradient works the same way.
 *
 * tfjs offers no public hook for this: we use its engine's `addTapeNode` and tape depth counters,
 * as tfjs's own `customGrad` does, and check that they are there.
 */
import { StagingError } from '../../errors.ts';
import { allNodes, type Node, type Value } from '../../ir/graph.ts';
import { type TensorLike, tf } from '../../runtime/tensors.ts';
import { opDef } from '../../ir/ops/index.ts';
import { activeRecorder, type Recorder } from '../recording-backend.ts';
import {
  type Adjoints,
  accumulate,
  activeValues,
  adjointType,
  asType,
  backprop,
  differentiable,
  emit,
  gradientContext,
  locatedGradient,
  zerosLike,
} from './backprop.ts';

type Tensor = { id: number; dataId: object; shape: number[] };

interface Engine {
  state: {
    gradientDepth: number;
    kernelDepth: number;
    activeTape: { gradient?: (this: any, dys: unknown[]) => unknown; saved?: { dispose(): void }[] }[];
  };
  addTapeNode(
    name: string,
    inputs: Record<string, Tensor>,
    outputs: Tensor[],
    gradient: (dys: unknown) => Record<string, () => Tensor>,
    saved: Tensor[],
    attrs: Record<string, unknown>,
  ): void;
}

/** A piece of IR on the tape: its nodes (in order) and the tensors it reads, with their values. */
interface Segment {
  nodes: Node[];
  inputs: [Tensor, Value][];
}

const SEGMENT = 'autograph-ts.staged';

function engine(): Engine {
  const e = tf().engine() as unknown as Engine;
  if (typeof e.addTapeNode !== 'function' || typeof e.state?.kernelDepth !== 'number')
    throw new StagingError(
      'this tfjs version has no engine.addTapeNode: gradients through staged control flow need tfjs 4.x',
    );
  return e;
}

/** The id tfjs gives the next tensor it makes (ids only grow). */
const nextTensorId = (e: Engine): number =>
  (e.constructor as unknown as { nextTensorId: number }).nextTensorId;

const tapeIsOn = (e: Engine) => e.state?.gradientDepth > 0 && e.state.kernelDepth === 0;

/**
 * Runs `build`, which records IR into the region being built and hands tensors back; while a tfjs
 * gradient tape records, what it recorded becomes one tape node whose gradient is its backward pass.
 */
export function taped<T>(build: () => T): T {
  const r = activeRecorder();
  if (!r) return build();
  if (!tapeIsOn(tf().engine() as unknown as Engine)) return build();
  return segment(r, engine(), build, { nodes: [], inputs: [] });
}

function segment<T>(r: Recorder, e: Engine, build: () => T, prior: Segment): T {
  const region = r.trace!.currentNodes;
  const start = region.length;
  const firstNewTensor = nextTensorId(e);
  const seen = new Map<Tensor, Value>();
  const made: [Tensor, Value][] = [];
  const stop = r.watch({
    read: (t, v) => 'id' in t && !seen.has(t as Tensor) && seen.set(t as Tensor, v),
    made: (t, v) => made.push([t as Tensor, v]),
  });
  // What runs inside goes on a tape of its own, not kernel by kernel on this one; a gradient taken
  // inside (a tf.grad in a staged loop body) still records there.
  const tape = e.state.activeTape;
  const inner: typeof tape = [];
  e.state.activeTape = inner;
  let result: T;
  try {
    result = build();
  } finally {
    e.state.activeTape = tape;
    stop();
    // what tfjs kept for gradients of that tape, which no gradient will now take
    for (const node of inner) for (const t of node.saved ?? []) t.dispose();
  }
  const own = region.slice(start);
  const nodes = [...prior.nodes, ...own];
  const defined = new Set<Value>();
  for (const n of nodes)
    for (const m of [n, ...n.regions.flatMap((g) => [...allNodes(g)])]) {
      m.outputs.forEach((o) => defined.add(o));
      m.regions.forEach((g) => g.params.forEach((p) => defined.add(p)));
    }
  // Only tensors that carry adjoints are inputs (a loop's condition is one too: it must not take one),
  // and tensors made inside (literals) have no path on the tape.
  const inputs = [...prior.inputs];
  for (const [t, v] of seen)
    if (differentiable(v) && t.id < firstNewTensor && !defined.has(v) && !inputs.some(([u]) => u === t))
      inputs.push([t, v]);
  const produced = new Set(own.flatMap((n) => n.outputs));
  const outputs = made.filter(([, v]) => produced.has(v));
  if (outputs.length && inputs.length) {
    const s: Segment = { nodes, inputs };
    e.addTapeNode(
      SEGMENT,
      Object.fromEntries(inputs.map(([t], i) => [String(i), t])),
      outputs.map(([t]) => t),
      () => ({}),
      [],
      {},
    );
    // tfjs calls a node's gradient on a copy holding only the inputs on a path from what is
    // differentiated: only their adjoints are built (tfjs's own gradients would not run elsewhere).
    e.state.activeTape.at(-1)!.gradient = function (
      this: { inputs: Record<string, Tensor> },
      dys: unknown[],
    ) {
      return gradient(r, s, outputs, dys, Object.keys(this.inputs).map(Number));
    };
  }
  return result;
}

/** The backward pass of segment `s` for its inputs `wanted`, seeded with the adjoints tfjs hands its outputs. */
function gradient(
  r: Recorder,
  s: Segment,
  outputs: [Tensor, Value][],
  dys: unknown[],
  wanted: number[],
): Record<string, () => Tensor> {
  const build = (): Tensor[] => {
    const trace = r.trace!;
    const firstNew = trace.values.peek();
    const adjoints: Adjoints = new Map();
    outputs.forEach(([, v], i) => {
      const dy = dys[i];
      if (dy) accumulate(r, adjoints, v, r.valueFor(dy as Tensor));
    });
    const active = activeValues(
      s.nodes,
      wanted.map((i) => s.inputs[i]![1]),
    );
    backprop({ r, active }, s.nodes, adjoints);
    return wanted.map((i) => {
      const v = s.inputs[i]![1];
      let g = adjoints.get(v);
      g ??= zerosLike(r, v);
      // an adjoint handed straight through is still a value of this segment (its tape output)
      if (g.id < firstNew) g = emit(r, 'Identity', [g]);
      return r.tensorFor(g);
    });
  };
  const e = engine();
  const grads = tapeIsOn(e) ? segment(r, e, build, s) : build();
  return Object.fromEntries(wanted.map((i, k) => [String(i), () => grads[k]!]));
}

const patched = new WeakSet<object>();

/**
 * While tracing, a kernel tfjs puts on its tape is differentiated by its registration's gradient
 * (ir/ops: tfjs's own, or one that handles dynamic dims), as the backward pass of staged control
 * flow does; and a missing adjoint is a recorded `ZerosLike`, not zeros tfjs would allocate from a
 * dynamic dim's huge stand-in size (dynamic-dims.ts).
 */
/** Which of a kernel's inputs and outputs the tensors tfjs saved for its gradient stand for. */
function savedTensors(kernel: string, names: readonly string[], outputs: number, saved: Tensor[]) {
  const config = tf().getGradient(kernel);
  const inputs: (Tensor | undefined)[] = [];
  const out: (Tensor | undefined)[] = [];
  if (!config) return { inputs, outputs: out };
  const savedInputs = config.saveAllInputs ? names : (config.inputsToSave ?? []);
  let k = 0;
  for (const n of savedInputs) inputs[names.indexOf(n)] = saved[k++];
  for (let i = 0; i < outputs; i++) if (config.outputsToSave?.[i]) out[i] = saved[k++];
  return { inputs, outputs: out };
}

export function routeTapeGradients(): void {
  const e = tf().engine() as unknown as Engine;
  if (patched.has(e) || typeof e.addTapeNode !== 'function') return;
  patched.add(e);
  const add = e.addTapeNode;
  e.addTapeNode = function (this: Engine, name, inputs, outputs, gradient, saved, attrs) {
    add.call(this, name, inputs, outputs, gradient, saved, attrs);
    const r = activeRecorder();
    const node = this.state.activeTape.at(-1);
    if (!r || !node || name === SEGMENT || !outputs.some((t) => r.isSymbolic(t))) return;
    const outputValues = outputs.map((t) => r.valueFor(t));
    const zeroFilled = (dys: unknown[]) =>
      dys.map((dy, i) => dy ?? r.tensorFor(zerosLike(r, outputValues[i]!)));
    const def = opDef(name);
    if (!def) {
      const inner = node.gradient;
      if (!inner) return;
      node.gradient = (dys: unknown[]) => inner(zeroFilled(dys));
      return;
    }
    const names = def.variadic ? Object.keys(inputs) : def.inputNames.filter((n) => inputs[n] != null);
    const inputValues = names.map((n) => r.valueFor(inputs[n]!));
    node.gradient = (dys: unknown[]) => {
      // the tensors tfjs saved for its gradient: taped, so a gradient of this one (second order) has a path
      const kept = savedTensors(name, names, outputs.length, saved);
      const grads = locatedGradient(name, outputValues[0]?.producer?.where, inputValues, () =>
        def.gradient(
          gradientContext(
            r,
            inputValues.map((v, i) => (kept.inputs[i] ?? r.tensorFor(v)) as any),
            outputValues.map((v, i) => (kept.outputs[i] ?? r.tensorFor(v)) as any),
            zeroFilled(dys) as any[],
            attrs,
          ),
        ),
      );
      return Object.fromEntries(
        names.map((n, i) => {
          const v = inputValues[i]!;
          const g = grads[i] as TensorLike | undefined;
          // tfjs checks that an adjoint is float32 of its input's shape as tfjs sees it; the tensor
          // itself is kept where it is (it is taped: a gradient of it has a path)
          const fits = g && g.dtype === 'float32' && g.shape.join() === inputs[n]!.shape.join();
          return [
            n,
            () => (fits ? g : r.tensorFor(asType(r, g ? r.valueFor(g) : zerosLike(r, v), adjointType(v)))),
          ];
        }),
      );
    };
  };
}
