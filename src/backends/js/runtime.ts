/**
 * What compiled functions call at run time (backends/js/compile.ts): tensor data as tfjs `TensorInfo`s
 * (a data id, shape and dtype) owned by reference count on the backend, with no engine bookkeeping.
 * A value the generated code owns holds one backend reference; `free` drops it, `share` takes another.
 * Tensors of the engine (the caller's inputs, constants, what eager hooks return) are only ever read.
 */
import type { DType, TensorType } from '../../ir/types.ts';
import type { OpDef, Tensor, Tf } from '../../ir/ops/index.ts';
import type { Attrs, Node } from '../../ir/graph.ts';
import { overflowedInJs, tooDeepInJs } from '../../ir/ops/recursion.ts';
import { isStackOverflow } from '../../errors.ts';

/**
 * How deep staged recursion goes on compiled JS: its calls are JS recursion, and Node's default stack
 * ends at about 4,000 of them (an overflow there is reported too, but a kernel may fail first).
 */
export const JS_RECURSION_DEPTH_LIMIT = 2000;

/** A tfjs TensorInfo: what kernels take and return. */
export interface Info {
  readonly dataId: object;
  readonly shape: number[];
  readonly dtype: string;
}

/** The backend methods the generated code uses (every tfjs KernelBackend has them). */
export interface Backend {
  write(values: Float32Array | Int32Array | Uint8Array, shape: number[], dtype: string): object;
  readSync(dataId: object): ArrayLike<number>;
  incRef(dataId: object): void;
  disposeData(dataId: object, force?: boolean): boolean;
}

export type KernelFunc = (args: { inputs: unknown; backend: Backend; attrs: Attrs }) => Info | Info[];

/** Whether a kernel's output is an engine Tensor (it has a rank; a TensorInfo has none). */
const isTensor = (x: Info): x is Info & Tensor => (x as { rank?: number }).rank !== undefined;

/** A number or a tensor, as generated code holds values. */
export type Held = number | Info;

const arrayOf = (dtype: string, values: ArrayLike<number>) =>
  dtype === 'float32'
    ? Float32Array.from(values)
    : dtype === 'int32'
      ? Int32Array.from(values)
      : Uint8Array.from(values);

/** The run-time helpers of code compiled for one tfjs backend. */
export class Runtime {
  readonly backend: Backend;
  private readonly engine: {
    makeTensorFromTensorInfo(info: Info, backend: unknown): Tensor;
    removeDataId(dataId: object, backend: unknown): void;
  };
  private readonly pack: KernelFunc | undefined;
  /** The `call` nodes of the compiled code, by slot (for the location of a recursion error). */
  readonly calls: Node[] = [];
  /** Calls active in the current run, and the slot of the last one entered. */
  depth = 0;
  private site = -1;
  private readonly fill: KernelFunc | undefined;

  constructor(
    readonly tf: Tf,
    readonly backendName: string,
  ) {
    this.backend = tf.findBackend(backendName) as unknown as Backend;
    this.engine = tf.engine() as any;
    this.pack = this.kernel('Pack');
    this.fill = this.kernel('Fill');
  }

  /** The backend's kernel `name`, or undefined where it has none. */
  kernel(name: string): KernelFunc | undefined {
    return this.tf.getKernel(name, this.backendName)?.kernelFunc as KernelFunc | undefined;
  }

  /**
   * Drops the generated code's reference to `x`'s data (the engine forgets data it wrapped once). Some
   * kernels return an engine Tensor rather than a TensorInfo (the cpu backend's `makeOutput`: Abs,
   * ...): that one is disposed as a tensor, for the engine's counts.
   */
  free = (x: Info): void => {
    if (isTensor(x)) x.dispose();
    else if (this.backend.disposeData(x.dataId)) this.engine.removeDataId(x.dataId, this.backend);
  };

  /** Another owned reference to `x`'s data (no copy). */
  share = (x: Info): Info => {
    this.backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };

  /** A number as an owned scalar tensor of `dtype`. */
  tensor = (n: number, dtype: string): Info => ({
    dataId: this.backend.write(arrayOf(dtype, [n]), [], dtype),
    shape: [],
    dtype,
  });

  /** A scalar tensor's value (bool: 0 or 1). */
  number = (x: Info): number => this.backend.readSync(x.dataId)[0]!;

  /** A tensor's values, only read (the cpu backend gives its own array, without a copy). */
  values = (x: Info): ArrayLike<number> => this.backend.readSync(x.dataId);

  /** An owned tensor of these values (the cpu backend keeps the array itself: array code never writes one twice). */
  fromArray = (values: Float32Array | Int32Array | Uint8Array, shape: number[], dtype: string): Info => ({
    dataId: this.backend.write(values, shape, dtype),
    shape,
    dtype,
  });

  /** Stacks a loop's per-iteration tensors (owned, freed here) into an owned `[n, ...element]` tensor. */
  stack = (rows: Info[], type: TensorType): Info => {
    if (!rows.length) return this.zeros(type);
    const out = this.pack!({ inputs: rows, backend: this.backend, attrs: { axis: 0 } }) as Info;
    for (const r of rows) this.free(r);
    return out;
  };

  /** Stacks a loop's per-iteration numbers into an owned `[n]` tensor of `dtype`. */
  stackNumbers = (rows: number[], dtype: string): Info => ({
    dataId: this.backend.write(arrayOf(dtype, rows), [rows.length], dtype),
    shape: [rows.length],
    dtype,
  });

  /** `[0, ...element]` zeros (a dynamic dim of the element 0), as the tfjs executor gives for no iteration. */
  private zeros(type: TensorType): Info {
    const shape = type.shape.map((d) => d ?? 0);
    return this.fill!({
      inputs: {},
      backend: this.backend,
      attrs: { shape, value: 0, dtype: type.dtype },
    }) as Info;
  }

  /**
   * An op through its eager hook (the normal tfjs API, in a tidy scope): a function from the node's
   * inputs (numbers or tensors) to owned outputs.
   */
  eager(def: OpDef, attrs: Attrs, inputTypes: readonly TensorType[]): (inputs: Held[]) => Info[] {
    const { tf } = this;
    return (inputs) => {
      const outputs = tf.tidy(() =>
        def.eager(
          tf,
          inputs.map((x, i) => this.wrap(x, inputTypes[i]!.dtype)),
          attrs,
        ),
      );
      return outputs.map((t) => {
        const owned = this.share(t);
        t.dispose();
        return owned;
      });
    };
  }

  /** Entering call `slot`: staged recursion deeper than this executor allows fails the run there. */
  enter = (slot: number): void => {
    this.site = slot;
    if (++this.depth <= JS_RECURSION_DEPTH_LIMIT) return;
    throw tooDeepInJs(this.calls[slot]!, JS_RECURSION_DEPTH_LIMIT, 'compiled-JS');
  };

  /** A run's error, where the JS stack ran out in staged recursion: an ExecutionError at the last call. */
  runError(e: unknown): unknown {
    if (!isStackOverflow(e) || this.site < 0) return e;
    return overflowedInJs(this.calls[this.site]!, this.depth, 'compiled-JS', e);
  }

  /** Starts a run: no call active. */
  start(): void {
    this.depth = 0;
    this.site = -1;
  }

  /** A value as a tfjs Tensor the caller owns (a number becomes a new scalar). */
  wrap(x: Held, dtype: DType): Tensor {
    if (typeof x === 'number') return this.tf.scalar(x, dtype);
    this.backend.incRef(x.dataId);
    return this.engine.makeTensorFromTensorInfo(x, this.backend);
  }

  /** An owned value as a tfjs Tensor, handing the reference over. */
  adopt(x: Info): Tensor {
    return isTensor(x) ? x : this.engine.makeTensorFromTensorInfo(x, this.backend);
  }
}
