/** ONNX protobuf messages as plain objects, and their encoding. */
import protobuf from 'protobufjs';
import type { Dim, DType } from '../../ir/types.ts';
import { ONNX_PROTO } from './schema.ts';

const root = protobuf.parse(ONNX_PROTO, { keepCase: false }).root;
const ModelProto = root.lookupType('onnx.ModelProto');

export const OPSET = 20;
const IR_VERSION = 8;

/** ONNX TensorProto.DataType codes (float64 only carries the staged print log). */
export const ELEM_TYPE: Record<DType | 'float64', number> = { float32: 1, int32: 6, bool: 9, float64: 11 };
const INT64 = 7;

export interface OnnxNode {
  name?: string;
  opType: string;
  input: string[];
  output: string[];
  attribute: object[];
}

export const node = (
  opType: string,
  input: string[],
  output: string[],
  attrs: Record<string, unknown> = {},
): OnnxNode => ({
  opType,
  input,
  output,
  attribute: Object.entries(attrs).map(([name, v]) => attribute(name, v)),
});

function attribute(name: string, v: unknown): object {
  if (typeof v === 'object' && v !== null && 'graph' in v)
    return { name, type: 5, g: (v as { graph: object }).graph };
  // a float attribute whose value may be integral ({ float: 1 }: a bare 1 would be an INT)
  if (typeof v === 'object' && v !== null && 'float' in v)
    return { name, type: 1, f: (v as { float: number }).float };
  if (Array.isArray(v)) return { name, type: 7, ints: v };
  if (typeof v === 'number') return Number.isInteger(v) ? { name, type: 2, i: v } : { name, type: 1, f: v };
  if (typeof v === 'string') return { name, type: 3, s: new TextEncoder().encode(v) };
  throw new Error(`attribute ${name}: unsupported value ${String(v)}`);
}

/**
 * A typed value; a null dimension is unknown (a value whose length changes from run to run), and
 * named where `dimNames` names it (an ONNX `dim_param`: dims of the same name are the same size).
 */
export const valueInfo = (
  name: string,
  dtype: DType | 'float64',
  shape: readonly Dim[],
  dimNames?: readonly (string | null)[],
) => ({
  name,
  type: {
    tensorType: {
      elemType: ELEM_TYPE[dtype],
      shape: {
        dim: shape.map((d, i) =>
          d !== null ? { dimValue: d } : dimNames?.[i] ? { dimParam: dimNames[i] } : {},
        ),
      },
    },
  },
});

export function tensor(
  name: string,
  dtype: DType | 'int64' | 'float64',
  shape: readonly number[],
  data: ArrayLike<number> | ArrayBufferView,
) {
  const bytes =
    dtype === 'int64'
      ? new Uint8Array(BigInt64Array.from(Array.from(data as ArrayLike<number>, (x) => BigInt(x))).buffer)
      : new Uint8Array(
          (data as ArrayBufferView).buffer,
          (data as ArrayBufferView).byteOffset,
          (data as ArrayBufferView).byteLength,
        );
  return { name, dataType: dtype === 'int64' ? INT64 : ELEM_TYPE[dtype], dims: [...shape], rawData: bytes };
}

export interface OnnxGraph {
  name: string;
  node: OnnxNode[];
  initializer: object[];
  input: object[];
  output: object[];
}

export function encodeModel(graph: OnnxGraph): Uint8Array {
  const message = ModelProto.create({
    irVersion: IR_VERSION,
    producerName: 'autograph-ts',
    graph,
    opsetImport: [{ domain: '', version: OPSET }],
  });
  return ModelProto.encode(message).finish();
}
