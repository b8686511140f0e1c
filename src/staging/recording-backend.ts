/**
 * The recording backend: a tfjs backend, registered through tfjs's public `registerBackend` /
 * `registerKernel`, whose kernels record IR nodes instead of computing. While `ag.stage` traces, it
 * is the active backend, so every tfjs op the user's code calls becomes a node; its tensors are
 * symbolic (they have a shape and dtype, no values).
 */
import { StagingError } from '../errors.ts';
import { type ConstData, constData, type Value } from '../ir/graph.ts';
import { type OpDef, opDef, presentInputs, registeredOps } from '../ir/ops/index.ts';
import type { DType } from '../ir/types.ts';
import { tf } from '../runtime/tensors.ts';
import { checkConcreteShape, tfjsShape } from './dynamic-dims.ts';
import { taped } from './gradients/tape.ts';
import { type Trace, unconvertedReader } from './trace.ts';

export const STAGING_BACKEND = 'autograph-staging';

type DataId = object;
interface Entry {
  /** The IR value (made on first use for a concrete tensor moved in: a Const, or a variable's input). */
  value?: Value;
  /** The trace `value` belongs to: a concrete tensor used again in a later trace gets a new constant there. */
  trace?: Trace;
  refCount: number;
  /** The values of a concrete tensor (a captured weight, a literal, a variable): they stay readable,
   * so the tensor can move back to its own backend after tracing. */
  data?: Float32Array | Int32Array | Uint8Array;
  /** A concrete tensor's shape and dtype (its constant is made when a trace first uses it). */
  shape?: number[];
  dtype?: DType;
}
interface TensorInfo {
  dataId: DataId;
  shape: number[];
  dtype: string;
}

/** Ops that are not tfjs kernels (they are built by the control-flow operators). */
const NOT_KERNELS = new Set(['Const', 'Print']);

export interface Recorder {
  /** The trace that kernels record into; set while `ag.stage` traces. */
  trace: Trace | null;
  /** A symbolic tensor standing for `value`. */
  /** `shape`: what tfjs sees, where a dynamic dim's size is known (gradients). */
  tensorFor(value: Value, shape?: readonly number[]): any;
  /** The IR value of a tensor of this backend (or a Const capturing a concrete tensor from another). */
  valueFor(tensor: { dataId: DataId }): Value;
  isSymbolic(tensor: { dataId: DataId }): boolean;
  /** Reports every tensor turned into a value and every tensor made for one until the returned stop is called. */
  watch(watcher: Watcher): () => void;
  /** Moves a concrete tensor's data in (a variable's: reading it while tracing is then an error). */
  adopt(dataId: DataId): void;
}

export interface Watcher {
  read(tensor: object, value: Value): void;
  made(tensor: object, value: Value): void;
}

let recorder: Recorder | undefined;

/** The recorder while a trace is running, else null: what the runtime checks before anything symbolic. */
export function activeRecorder(): Recorder | null {
  return recorder?.trace ? recorder : null;
}

/** Whether `x` is a symbolic tensor of the trace in progress. */
export function isSymbolic(x: unknown): boolean {
  const r = activeRecorder();
  return (
    r !== null &&
    typeof x === 'object' &&
    x !== null &&
    'dataId' in x &&
    r.isSymbolic(x as { dataId: object })
  );
}

/**
 * Records `op` (one of the IR's own ops, not a tfjs kernel: `Shape`, `DynamicFill`, …) on tensors of
 * the trace in progress; returns its output as a symbolic tensor.
 */
export function recordOp(op: string, inputs: readonly unknown[], attrs: Record<string, unknown> = {}): any {
  const r = activeRecorder();
  if (!r) throw new StagingError(`'${op}' can only be recorded while ag.stage traces a function`);
  return taped(() => {
    const [out] = r.trace!.emit(
      op,
      inputs.map((x) => r.valueFor(x as any)),
      attrs,
    );
    return r.tensorFor(out!);
  });
}

/** Registers the backend and its kernels with the user's tfjs (once) and returns it. */
export function recordingBackend(): Recorder {
  if (recorder) return recorder;
  const t = tf();
  class RecordingBackend extends t.KernelBackend implements Recorder {
    trace: Trace | null = null;
    private watchers: Watcher[] = [];
    private readonly data = new t.DataStorage<Entry>(this as any, t.engine());

    private active(): Trace {
      if (!this.trace)
        throw new StagingError('symbolic tensors can only be used while ag.stage traces a function');
      return this.trace;
    }
    private store(value: Value, data?: Entry['data']): DataId {
      const dataId = {};
      this.data.set(dataId, { value, trace: this.active(), refCount: 1, data });
      return dataId;
    }
    tensorFor(value: Value, shape?: readonly number[]): any {
      const tensor = t
        .engine()
        .makeTensorFromDataId(
          this.store(value),
          shape ? [...shape] : tfjsShape(value.type.shape),
          value.type.dtype,
          this as any,
        );
      for (const w of this.watchers) w.made(tensor, value);
      return tensor;
    }
    watch(watcher: Watcher): () => void {
      this.watchers = [...this.watchers, watcher];
      return () => {
        this.watchers = this.watchers.filter((w) => w !== watcher);
      };
    }
    valueFor(tensor: { dataId: DataId }): Value {
      const trace = this.active();
      const value = trace.variables?.inputFor(tensor.dataId) ?? this.stored(tensor.dataId, trace);
      for (const w of this.watchers) w.read(tensor, value);
      return value;
    }
    private stored(dataId: DataId, trace: Trace): Value {
      const entry = this.data.get(dataId); // a foreign tensor is moved in by tfjs here
      if (!entry.value || entry.trace !== trace) {
        if (!entry.data)
          throw new StagingError(
            'a symbolic tensor of an earlier trace was used; symbolic tensors must not escape the function being staged',
          );
        const { shape, dtype } = entry.value?.type ?? entry;
        entry.value = trace.constant(entry.data, shape as number[], dtype!); // concrete: static
        entry.trace = trace;
      }
      return entry.value;
    }
    isSymbolic(tensor: { dataId: DataId }): boolean {
      return this.data.has(tensor.dataId);
    }
    adopt(dataId: DataId): void {
      if (!this.data.has(dataId)) t.engine().moveData(this as any, dataId);
    }
    /** A tensor created from values while tracing (`tf.scalar(2)`): a constant of the graph. */
    override write(values: any, shape: number[], dtype: string): DataId {
      checkConcreteShape(shape);
      const data = asTyped(values, dtype);
      return this.store(this.active().constant(data, shape, dtype as DType), data);
    }
    /** A concrete tensor of another backend used in a traced op (a captured weight): a constant. */
    override move(dataId: DataId, values: any, shape: number[], dtype: string, refCount: number): void {
      this.data.set(dataId, { refCount, data: asTyped(values, dtype), shape, dtype: dtype as DType });
    }
    override readSync(dataId: DataId): Float32Array | Int32Array | Uint8Array {
      if (this.trace?.variables?.isInput(dataId))
        throw new StagingError(
          `${unconvertedReader()}a tf.Variable's value was read while ag.stage traces the function: it is an input of the graph, known only when it runs`,
        );
      const data = this.data.has(dataId) ? this.data.get(dataId).data : undefined;
      if (data) return data;
      throw new StagingError(
        `${unconvertedReader()}a symbolic tensor has no value while ag.stage traces the function: it cannot be read with dataSync/data/array/print/toString or compared by JS; ` +
          'control flow on it must be in converted code (ag.stage converts the staged function and the functions it calls)',
      );
    }
    override async read(dataId: DataId): Promise<Float32Array | Int32Array | Uint8Array> {
      return this.readSync(dataId);
    }
    override refCount(dataId: DataId): number {
      return this.data.has(dataId) ? this.data.get(dataId).refCount : 0;
    }
    override incRef(dataId: DataId): void {
      this.data.get(dataId).refCount++;
    }
    override disposeData(dataId: DataId, force = false): boolean {
      if (!this.data.has(dataId)) return true;
      const entry = this.data.get(dataId);
      if (!force && --entry.refCount > 0) return false; // still held (a variable's value, a shared tensor)
      this.data.delete(dataId);
      return true;
    }
    override numDataIds(): number {
      return this.data.numDataIds();
    }
    override memory() {
      return { unreliable: true };
    }
    override floatPrecision(): 32 {
      return 32;
    }
    override epsilon(): number {
      return 1e-7;
    }
    override timerAvailable(): boolean {
      return false;
    }
    override dispose(): void {}

    /** A kernel call: one IR node; its outputs are new symbolic tensors. */
    record(def: OpDef, inputs: Record<string, TensorInfo> | TensorInfo[], attrs: Record<string, unknown>) {
      const given = def.variadic
        ? (inputs as TensorInfo[])
        : presentInputs(def, inputs as Record<string, TensorInfo>);
      const outputs = this.active()
        .emit(
          def.name,
          given.map((t) => this.valueFor(t)),
          attrs,
        )
        .map((v) => ({ dataId: this.store(v), shape: tfjsShape(v.type.shape), dtype: v.type.dtype }));
      return outputs.length === 1 && !def.multipleOutputs ? outputs[0]! : outputs;
    }
  }

  const backend = new RecordingBackend();
  t.registerBackend(STAGING_BACKEND, () => backend as any, -1);
  const supported = new Set(registeredOps().filter((op) => !NOT_KERNELS.has(op)));
  for (const name of supported) {
    const def = opDef(name)!;
    t.registerKernel({
      kernelName: name,
      backendName: STAGING_BACKEND,
      kernelFunc: ({ inputs, attrs }: any) => backend.record(def, inputs, attrs),
    });
  }
  // Every other kernel tfjs knows fails with a clear error instead of "kernel not registered".
  for (const { kernelName } of t.getKernelsForBackend('cpu')) {
    if (supported.has(kernelName)) continue;
    t.registerKernel({
      kernelName,
      backendName: STAGING_BACKEND,
      kernelFunc: () => backend.trace!.emit(kernelName, [], {}) as never, // emit raises the StagingError
    });
  }
  recorder = backend;
  return backend;
}

function asTyped(values: any, dtype: string): ConstData {
  if (dtype === 'int32' || dtype === 'bool' || dtype === 'float32') return constData(dtype, values);
  throw new StagingError(`tensors of dtype ${dtype} cannot be staged`);
}
