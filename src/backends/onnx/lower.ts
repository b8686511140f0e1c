/**
 * IR → ONNX (opset 17). Values are named by id; constants become initializers; each op emits the
 * nodes of the lowering beside its registration; `cond` becomes `If` and `while` becomes `Loop`, whose
 * bodies read outer values by name as ONNX allows. The staged loop already carries its condition as
 * its first value, recomputed at the end of the body: exactly ONNX Loop's `cond_in`/`cond_out`.
 */
import { StagingError } from '../../errors.ts';
import type { IRFunction, Node, Region, Value } from '../../ir/graph.ts';
import { opDef } from '../../ir/ops/index.ts';
import type { OnnxLowering } from '../../ir/ops/registry.ts';
import type { DType } from '../../ir/types.ts';
import { encodeModel, node, type OnnxGraph, type OnnxNode, tensor, valueInfo } from './model.ts';

const name = (v: Value) => `v${v.id}`;
const INT64 = 7;

/** The ONNX model of `fn`: inputs `input0…`, outputs `output0…`. */
export function lowerToOnnx(fn: IRFunction): Uint8Array {
  const lowering = new Lowering();
  const nodes: OnnxNode[] = [];
  const inputs = fn.body.params.map((p, i) => {
    nodes.push(node('Identity', [`input${i}`], [name(p)]));
    return valueInfo(`input${i}`, p.type.dtype, p.type.shape);
  });
  nodes.push(...lowering.region(fn.body));
  const outputs = fn.body.results.map((v, i) => {
    nodes.push(node('Identity', [name(v)], [`output${i}`]));
    return valueInfo(`output${i}`, v.type.dtype, v.type.shape);
  });
  return encodeModel({
    name: fn.name,
    node: nodes,
    initializer: lowering.initializers,
    input: inputs,
    output: outputs,
  });
}

class Lowering {
  readonly initializers: object[] = [];
  private temps = 0;

  region(region: Region): OnnxNode[] {
    const out: OnnxNode[] = [];
    for (const n of region.nodes) out.push(...this.node(n));
    return out;
  }

  private node(n: Node): OnnxNode[] {
    if (n.op === 'while') return this.distinctInputs(n, (inputs) => this.loop(n, inputs));
    if (n.op === 'Const') {
      this.initializers.push(
        tensor(
          name(n.outputs[0]!),
          n.attrs.dtype as DType,
          n.attrs.shape as number[],
          n.attrs.value as ArrayBufferView,
        ),
      );
      return [];
    }
    if (n.op === 'cond') return [this.cond(n)];
    const lower = opDef(n.op)?.onnx;
    if (!lower) {
      throw new StagingError(
        `${n.where ? `${n.where}: ` : ''}the op '${n.op}' has no ONNX lowering yet; stage with { executor: 'tfjs' }`,
      );
    }
    const emitted: OnnxNode[] = [];
    const ctx: OnnxLowering = {
      inputs: n.inputs.map(name),
      outputs: n.outputs.map(name),
      attrs: n.attrs,
      inputTypes: n.inputs.map((v) => v.type),
      outputTypes: n.outputs.map((v) => v.type),
      emit: (opType, inputs, outputs, attrs) =>
        void emitted.push(node(opType, [...inputs], [...outputs], attrs)),
      temp: () => `t${this.temps++}`,
      int64: (values, shape) => this.constant('int64', shape ?? [values.length], values),
      scalar: (value, dtype) =>
        this.constant(
          dtype,
          [],
          dtype === 'float32'
            ? Float32Array.of(value)
            : dtype === 'int32'
              ? Int32Array.of(value)
              : Uint8Array.of(value),
        ),
    };
    lower(ctx);
    return emitted;
  }

  private constant(
    dtype: DType | 'int64',
    shape: readonly number[],
    values: ArrayLike<number> | ArrayBufferView,
  ): string {
    const id = `c${this.temps++}`;
    this.initializers.push(tensor(id, dtype, shape, values as ArrayLike<number>));
    return id;
  }

  /** A subgraph: the region's nodes, then Identity nodes naming its results `prefix…`. */
  private subgraph(region: Region, graphName: string, inputs: object[], resultNames: string[]): OnnxGraph {
    const nodes = this.region(region);
    const outputs = region.results.map((v, i) => {
      nodes.push(node('Identity', [name(v)], [resultNames[i]!]));
      return valueInfo(resultNames[i]!, v.type.dtype, v.type.shape);
    });
    return { name: graphName, node: nodes, initializer: [], input: inputs, output: outputs };
  }

  private cond(n: Node): OnnxNode {
    const id = this.temps++;
    const branch = (r: Region, which: string) =>
      this.subgraph(
        r,
        `${which}${id}`,
        [],
        r.results.map((_, i) => `${which}${id}_${i}`),
      );
    return node('If', [name(n.inputs[0]!)], n.outputs.map(name), {
      then_branch: { graph: branch(n.regions[0]!, 'then') },
      else_branch: { graph: branch(n.regions[1]!, 'else') },
    });
  }

  /**
   * ONNX Runtime misbehaves when one value feeds two loop-carried inputs (CSE merges equal initial
   * constants): each repeated input is passed through its own Identity.
   */
  private distinctInputs(n: Node, build: (inputs: string[]) => OnnxNode): OnnxNode[] {
    const seen = new Set<string>();
    const copies: OnnxNode[] = [];
    const inputs = n.inputs.map((v) => {
      const original = name(v);
      if (!seen.has(original)) {
        seen.add(original);
        return original;
      }
      const copy = `t${this.temps++}`;
      copies.push(node('Identity', [original], [copy]));
      return copy;
    });
    return [...copies, build(inputs)];
  }

  private loop(n: Node, inputNames: string[]): OnnxNode {
    const id = this.temps++;
    const body = n.regions[1]!;
    const [condParam, ...carried] = body.params;
    const iteration = `iter${id}`;
    const inputs = [
      { name: iteration, type: { tensorType: { elemType: INT64, shape: { dim: [] } } } },
      valueInfo(name(condParam!), 'bool', []),
      ...carried.map((p) => valueInfo(name(p), p.type.dtype, p.type.shape)),
    ];
    const graph = this.subgraph(
      body,
      `loop${id}`,
      inputs,
      body.results.map((_, i) => `loop${id}_${i}`),
    );
    // ONNX Loop outputs only the carried values, not the final condition (which nothing reads)
    const [, ...outputs] = n.outputs;
    return node('Loop', ['', ...inputNames], outputs.map(name), { body: { graph } });
  }
}
