/**
 * Helpers for writing ONNX graphs by hand: the "hand-written graph" baseline of the AutoGraph paper.
 * No autograph code: for serialization only, the protobuf helpers of src/backends/onnx/model.ts are
 * reused (a thin protobufjs encoder, the equivalent of the `onnx` Python package's `helper` module),
 * and sessions take ONNX Runtime's defaults (as the staged ones do); every node is written out explicitly, as an expert
 * would.
 */
import { createRequire } from 'node:module';
import { encodeModel, node, type OnnxNode, tensor, valueInfo } from '../../src/backends/onnx/model.ts';

export { node, type OnnxNode };

type Ort = typeof import('onnxruntime-node');
/** onnxruntime-node is CommonJS: loaded the way src/backends/onnx/executor.ts loads it. */
export const ort = createRequire(import.meta.url)('onnxruntime-node') as Ort;

/** ONNX TensorProto.DataType codes. */
const ELEM = { float32: 1, int32: 6, int64: 7, bool: 9 } as const;
export type ElemType = keyof typeof ELEM;

/** Value info of a graph input or output (ONNX needs types on subgraph inputs too). */
export const info = (name: string, dtype: ElemType, shape: readonly number[]): object =>
  dtype === 'int64'
    ? {
        name,
        type: { tensorType: { elemType: ELEM.int64, shape: { dim: shape.map((d) => ({ dimValue: d })) } } },
      }
    : valueInfo(name, dtype, shape);

/** Collects the initializers (weights and constants) of one model. */
export class Initializers {
  readonly list: object[] = [];
  f32(name: string, shape: readonly number[], data: Float32Array): string {
    this.list.push(tensor(name, 'float32', shape, data));
    return name;
  }
  i32(name: string, shape: readonly number[], data: Int32Array): string {
    this.list.push(tensor(name, 'int32', shape, data));
    return name;
  }
  i64(name: string, shape: readonly number[], data: readonly number[]): string {
    this.list.push(tensor(name, 'int64', shape, data));
    return name;
  }
  bool(name: string, shape: readonly number[], data: Uint8Array): string {
    this.list.push(tensor(name, 'bool', shape, data));
    return name;
  }
}

export interface GraphSpec {
  name: string;
  nodes: OnnxNode[];
  inputs: object[];
  outputs: object[];
  initializers?: object[];
}

/** A subgraph (Loop body, If branch) as a graph attribute value. */
export const subgraph = (g: GraphSpec): { graph: object } => ({
  graph: {
    name: g.name,
    node: g.nodes,
    initializer: g.initializers ?? [],
    input: g.inputs,
    output: g.outputs,
  },
});

/** The model bytes (opset 17, as the staged lowering). */
export const model = (g: GraphSpec): Uint8Array =>
  encodeModel({
    name: g.name,
    node: g.nodes,
    initializer: g.initializers ?? [],
    input: g.inputs,
    output: g.outputs,
  });

/**
 * The Loop-body signature for ONNX `Loop`: iteration number, incoming condition, carried values.
 * Returns the input infos; `carried` lists [name, dtype, shape] of each carried value.
 */
export const loopInputs = (
  iter: string,
  cond: string,
  carried: [string, ElemType, readonly number[]][],
): object[] => [
  info(iter, 'int64', []),
  info(cond, 'bool', []),
  ...carried.map(([n, d, s]) => info(n, d, s)),
];

/** A session as a user of ONNX Runtime makes one: its default options, unless `options` are given. */
export const createSession = (bytes: Uint8Array, options: InferenceSessionOptions = {}) =>
  ort.InferenceSession.create(bytes, options);
type InferenceSessionOptions = Parameters<typeof ort.InferenceSession.create>[1];

/** An input ort.Tensor over data the caller already has (no copy). */
export function feed(data: Float32Array | Int32Array, dims: readonly number[]) {
  return data instanceof Float32Array
    ? new ort.Tensor('float32', data, dims)
    : new ort.Tensor('int32', data, dims);
}
