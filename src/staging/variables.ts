/**
 * tf.Variables in staged code, functionalized (what TensorFlow's resource variables become in a pure
 * graph): a variable the trace reads is an input of the graph, holding its value when the graph runs;
 * a variable the trace assigns is an output, written back after each run. While tracing,
 * `v.assign(x)` makes later reads of `v` see `x`; staged control flow carries the variables its
 * branches and loop bodies assign (control-flow.ts). A variable created while tracing is refused,
 * except the slot variables a tfjs optimizer creates on its first step (momentum, Adam's moments):
 * their initial values are computed at trace time and they are created for real, once, as a
 * `tf.function`'s first trace creates its variables.
 */
import { StagingError } from '../errors.ts';
import { constData, type ConstData, type Value } from '../ir/graph.ts';
import { opDef } from '../ir/ops/index.ts';
import { formatShape, isStatic, type TensorType, tensorType } from '../ir/types.ts';
import { isTensor, tf } from '../runtime/tensors.ts';
import type { Check } from './checks.ts';
import type { Recorder } from './recording-backend.ts';
import { type Trace, userLocation } from './trace.ts';

type DataId = object;
/** A tfjs Variable: a tensor whose `dataId` `assign` replaces. */
export interface Variable {
  dataId: DataId;
  readonly name: string;
  readonly shape: number[];
  readonly dtype: string;
  readonly trainable: boolean;
  readonly isDisposed: boolean;
  assign(value: unknown): void;
  dispose(): void;
}
type Engine = {
  registeredVariables: Record<string, Variable>;
  disposeTensor(t: unknown): void;
  incRef(t: unknown, backend: unknown): void;
  makeTensor(values: ConstData, shape: number[], dtype: string, backend?: unknown): unknown;
  readSync(dataId: DataId): ConstData;
  findBackend(name: string): unknown;
  state: { tensorInfo: { get(dataId: DataId): { backend: { refCount(dataId: DataId): number } } } };
};

const engine = () => tf().engine() as unknown as Engine;

/** Whether `x` is a tf.Variable (tfjs's own instanceof test: a tensor with an `assign` method). */
export const isVariable = (x: unknown): x is Variable => isTensor(x) && x instanceof (tf() as any).Variable;
const STAGED_DTYPES = new Set(['float32', 'int32', 'bool']);

/** How a staged function touches variables: what it reads (its extra inputs) and writes (extra outputs). */
export interface VariableEffects {
  /** Variables whose values are inputs, after the function's own inputs, in this order. */
  reads: Variable[];
  /** Variables written back from the outputs after the function's own outputs, in this order. */
  writes: Variable[];
  /** The staged checks: when there are any, the last output is the failure code (checks.ts). */
  checks: Check[];
}

/** The variables of one trace. */
export class TracedVariables {
  /** Every registered variable, by the dataId it holds when the trace starts. */
  private readonly atStart = new Map<DataId, Variable>();
  private readonly inputs = new Map<Variable, Value>();
  /** The dataId each assigned variable held before the trace: restored when it ends. */
  private readonly original = new Map<Variable, DataId>();

  constructor(
    private readonly trace: Trace,
    private readonly recorder: Recorder,
    /** The backend the user's tensors live on (optimizer slots are created there). */
    private readonly userBackend: string,
  ) {}

  /**
   * Takes every registered variable into the trace: its data moves to the recording backend, so that
   * reading its value while tracing (a `dataSync` in code that runs unconverted) is an error rather
   * than a value frozen into the graph. A variable sharing its data with another tensor (the tensor it
   * was made from) first gets a copy of its own, so that reading that tensor stays a constant.
   */
  adoptAll(adopt: (dataId: DataId) => void): void {
    for (const v of Object.values(engine().registeredVariables)) {
      if (!STAGED_DTYPES.has(v.dtype)) continue;
      const info = engine().state.tensorInfo.get(v.dataId);
      if (info && info.backend.refCount(v.dataId) > 1) ownCopy(v);
      adopt(v.dataId);
      this.atStart.set(v.dataId, v);
    }
  }

  /** Whether `dataId` is a variable's value at the start of the trace (an input of the graph). */
  isInput(dataId: DataId): boolean {
    return this.atStart.has(dataId);
  }

  /** The graph input holding the value of the variable whose start-of-trace data is `dataId`. */
  inputFor(dataId: DataId): Value | undefined {
    const v = this.atStart.get(dataId);
    if (!v || v.dataId !== dataId) return undefined;
    let value = this.inputs.get(v);
    if (!value) {
      value = this.trace.values.value(tensorType(v.dtype as 'float32', v.shape));
      this.inputs.set(v, value);
    }
    return value;
  }

  /** `v.assign(x)` while tracing: later reads of `v` see `x` (checked like tfjs: same dtype and shape). */
  assign(v: Variable, x: { dataId: DataId; dtype: string; shape: number[] }): void {
    const type = this.recorder.valueFor(x).type;
    if (x.dtype !== v.dtype || !isStatic(type.shape) || type.shape.join() !== v.shape.join())
      throw new StagingError(
        `${userLocation(this.trace)}variable '${v.name}' is ${v.dtype} [${v.shape.join(',')}]; it cannot be assigned a value of ${x.dtype} [${formatShape(type.shape)}] (a variable keeps its dtype and shape)`,
      );
    this.set(v, x);
  }

  /** Makes `v` hold `x` in the trace (no checks: control flow's merged values). */
  set(v: Variable, x: { dataId: DataId }): void {
    const e = engine();
    if (!this.original.has(v)) this.original.set(v, v.dataId);
    const original = this.original.get(v);
    // the variable's own reference to its value before the trace is kept (release restores it)
    if (v.dataId !== original) e.disposeTensor(v);
    v.dataId = x.dataId;
    if (x.dataId !== original) e.incRef(v, null);
  }

  /** What each assigned variable holds now (to restore with `restore`). */
  snapshot(): Map<Variable, DataId> {
    return new Map([...this.original.keys()].map((v) => [v, v.dataId]));
  }

  /** Makes every variable hold what it held at `snapshot` (its value at the start of the trace if it was not assigned then). */
  restore(snapshot: ReadonlyMap<Variable, DataId>): void {
    for (const [v, dataId] of this.original) {
      const then = snapshot.get(v) ?? dataId;
      if (v.dataId !== then) this.set(v, { dataId: then });
    }
  }

  /** The variables assigned since `snapshot`, each with a tensor standing for its value now. */
  assignedSince(snapshot: ReadonlyMap<Variable, DataId>): Map<Variable, unknown> {
    const changed = new Map<Variable, unknown>();
    for (const [v, dataId] of this.original)
      if (v.dataId !== (snapshot.get(v) ?? dataId)) changed.set(v, this.current(v));
    return changed;
  }

  /** A symbolic tensor holding `v`'s value now (a tensor of its own: `v` may be assigned again). */
  current(v: Variable): unknown {
    return this.recorder.tensorFor(this.recorder.valueFor(v));
  }

  /**
   * Ends the trace's use of variables: the function's extra inputs (variables read) and extra
   * outputs (variables whose value changed), and every variable back to its value before the trace.
   */
  finish(): { params: Value[]; results: Value[]; effects: Omit<VariableEffects, 'checks'> } {
    const writes = [...this.original.keys()].filter(
      (v) => v.dataId !== this.original.get(v) && v !== this.trace.checks?.cell,
    );
    const results = writes.map((v) => this.recorder.valueFor(v));
    const reads = [...this.inputs.keys()];
    return { params: reads.map((v) => this.inputs.get(v)!), results, effects: { reads, writes } };
  }

  /** Every assigned variable back to its value before the trace (also when tracing failed). */
  release(): void {
    const e = engine();
    for (const [v, dataId] of this.original) {
      if (v.dataId === dataId) continue;
      e.disposeTensor(v);
      v.dataId = dataId;
    }
    this.original.clear();
  }

  /**
   * `tf.variable(x)` while tracing. An optimizer's slot variable (created inside a tfjs optimizer,
   * from its variables' shapes) is created for real, holding the value `x` has at trace time;
   * any other is refused: each eager call would create a new variable, a staged one would keep one.
   */
  create(make: (initial: unknown) => Variable, initial: { dataId: DataId }, adopt: (dataId: DataId) => void) {
    const where = userLocation(this.trace);
    if (optimizing === 0)
      throw new StagingError(
        `${where}a tf.variable is created inside a staged function: every eager call would create a new variable, the graph would keep one. Create variables outside the staged function (as model weights are) and assign them inside`,
      );
    const value = this.recorder.valueFor(initial);
    const data = this.evaluate(value);
    if (!data)
      throw new StagingError(
        `${where}an optimizer creates a variable whose initial value depends on the staged function's inputs; run one optimizer step eagerly before staging`,
      );
    const t = tf();
    const concrete = engine().makeTensor(
      data,
      value.type.shape as number[],
      value.type.dtype,
      engine().findBackend(this.userBackend),
    );
    const v = make(concrete);
    t.dispose(concrete as never);
    adopt(v.dataId);
    this.atStart.set(v.dataId, v);
    return v;
  }

  /**
   * The value of `v` at trace time, when it is computed from constants alone (or from values'
   * types: a `zerosLike` of a variable), with the ops' own tfjs execution; undefined otherwise.
   */
  private evaluate(v: Value): ConstData | undefined {
    const t = tf();
    const staging = t.getBackend();
    void t.setBackend(this.userBackend);
    try {
      return t.tidy(() => {
        const value = (x: Value): any => {
          const n = x.producer;
          if (!n) return undefined;
          const def = opDef(n.op);
          if (n.op === 'Const') return def!.eager(t as any, [], n.attrs)[0];
          if (!def?.pure || n.regions.length) return undefined;
          const inputs = n.inputs.map((i) =>
            def.readsOnlyTypes && isStatic(i.type.shape) ? standIn(i.type) : value(i),
          );
          return inputs.every(Boolean)
            ? def.eager(t as any, inputs, n.attrs)[n.outputs.indexOf(x)]
            : undefined;
        };
        const result = value(v);
        return result ? constData(v.type.dtype, result.dataSync()) : undefined;
      });
    } finally {
      void t.setBackend(staging);
    }
  }
}

const standIn = (type: TensorType) => tf().zeros(type.shape as number[], type.dtype);

/** Gives `v` data of its own (a copy on its backend), where it shares it with another tensor. */
function ownCopy(v: Variable): void {
  const data = engine().readSync(v.dataId);
  const copy = engine().makeTensor(data.slice(), v.shape, v.dtype);
  v.assign(copy);
  tf().dispose(copy as never);
}

/** How many tfjs optimizer methods are running (their slot variables are created there). */
let optimizing = 0;

/**
 * Marks the time tfjs's optimizers spend in `minimize` and `applyGradients` (the built-in optimizers'
 * own methods, which create their slot variables on the first step); returns what undoes this.
 */
export function markOptimizerSteps(): () => void {
  const t = tf() as any;
  // (Optimizer's own instanceof only looks for a `minimize` method)
  const base = t.Optimizer.prototype;
  const classes = Object.values(t).filter(
    (c: any) =>
      typeof c === 'function' &&
      (c.prototype === base || Object.prototype.isPrototypeOf.call(base, c.prototype ?? null)),
  );
  const undo: (() => void)[] = [];
  for (const proto of classes.map((c: any) => c.prototype))
    for (const name of ['minimize', 'applyGradients'] as const) {
      if (!Object.hasOwn(proto, name)) continue;
      const method = proto[name];
      proto[name] = function (this: unknown, ...args: unknown[]) {
        optimizing++;
        try {
          return method.apply(this, args);
        } finally {
          optimizing--;
        }
      };
      undo.push(() => {
        proto[name] = method;
      });
    }
  return () => {
    for (const u of undo) u();
  };
}

/**
 * After a run: each written variable takes its output (a result that is also returned is copied, so
 * that the caller's tensor and the variable stay apart).
 */
export function writeBack(
  writes: readonly Variable[],
  values: readonly unknown[],
  results: readonly unknown[],
): void {
  const t = tf();
  writes.forEach((v, i) => {
    const value = values[i] as any;
    if (value.dataId === v.dataId) {
      // unchanged (a loop that ran no iteration): the variable itself on the tfjs executor, a new
      // tensor sharing its data on the compiled-JS one, which is released
      if (value !== v && !results.includes(value)) value.dispose();
      return;
    }
    const own = results.includes(value) ? t.clone(value) : value;
    v.assign(own);
    t.dispose(own);
  });
}
