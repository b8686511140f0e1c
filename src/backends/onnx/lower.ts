/**
 * IR → ONNX (opset 20). Dynamic dims of the inputs become named `dim_param`s, those of other values
 * unknown dims. Values are named by id; constants become initializers; each op emits the
 * nodes of the lowering beside its registration; `cond` becomes `If` and `while` becomes `Loop`, whose
 * bodies read outer values by name as ONNX allows. The staged loop already carries its condition as
 * its first value, recomputed at the end of the body: exactly ONNX Loop's `cond_in`/`cond_out`; a
 * `while`'s scan values (graph.ts) are the Loop body's extra outputs after the carried ones, which
 * ONNX Loop stacks into its scan outputs.
 *
 * Staged prints: ONNX has no effects, so a function that prints threads a print log through the
 * graph, a float64 vector that each `Print` appends to (see ./prints.ts) and that every `If` and
 * `Loop` around a print passes on as an extra output and loop-carried value. It ends as the model's
 * last output, `prints`, which the executor decodes and logs after the run.
 */
import { locatedMessage, StagingError } from '../../errors.ts';
import {
  allNodes,
  constData,
  type IRFunction,
  type Node,
  type Region,
  scanCount,
  type Value,
} from '../../ir/graph.ts';
import { opDef } from '../../ir/ops/index.ts';
import { withoutRecursion } from '../../ir/passes/recursion-to-loop.ts';
import type { OnnxLowering } from '../../ir/ops/registry.ts';
import type { DType } from '../../ir/types.ts';
import { encodeModel, node, type OnnxGraph, type OnnxNode, tensor, valueInfo } from './model.ts';
import { PRINT_LOG_OUTPUT, type PrintSite } from './prints.ts';

const name = (v: Value) => `v${v.id}`;
const INT64 = 7;

/** A lowered function: the model, what its print log holds, and which IR node each ONNX node came from. */
export interface LoweredModel {
  bytes: Uint8Array;
  /** The `Print` nodes, indexed by the marker that precedes their values in the log. */
  printSites: PrintSite[];
  /** ONNX node name → the IR node it lowers (to name the staged op when ONNX Runtime fails). */
  sources: Map<string, Node>;
}

/** The ONNX model of `fn`: inputs `input0…`, outputs `output0…` (and `prints` when it prints). */
export function lowerToOnnx(fn: IRFunction): Uint8Array {
  return lowerFunction(fn).bytes;
}

export function lowerFunction(fn: IRFunction): LoweredModel {
  // ONNX has no calls: recursion runs as a loop with explicit stacks
  if (fn.functions.size) fn = withoutRecursion(fn);
  const lowering = new Lowering();
  const nodes: OnnxNode[] = [];
  const inputs = fn.body.params.map((p, i) => {
    nodes.push(node('Identity', [`input${i}`], [name(p)]));
    return valueInfo(`input${i}`, p.type.dtype, p.type.shape, inputDimNames(fn, i));
  });
  const prints = printsIn(fn.body);
  if (prints) lowering.log = lowering.constant('float64', [0], new Float64Array(0));
  nodes.push(...lowering.region(fn.body));
  const outputs = fn.body.results.map((v, i) => {
    nodes.push(node('Identity', [name(v)], [`output${i}`]));
    return valueInfo(`output${i}`, v.type.dtype, v.type.shape);
  });
  if (prints) {
    nodes.push(node('Identity', [lowering.log!], [PRINT_LOG_OUTPUT]));
    outputs.push(valueInfo(PRINT_LOG_OUTPUT, 'float64', [null]));
  }
  const bytes = encodeModel({
    name: fn.name,
    node: nodes,
    initializer: lowering.initializers,
    input: inputs,
    output: outputs,
  });
  return { bytes, printSites: lowering.printSites, sources: lowering.sources };
}

/**
 * The `dim_param` of each dynamic dim of input `i`: the user's name (fn.inputDimNames), else
 * `input<i>_dim<axis>`. Outputs' dynamic dims stay unnamed (unknown): which input dim, if any, an
 * output dim equals is not recorded in the IR's types, and a wrong name would be a false promise.
 */
function inputDimNames(fn: IRFunction, i: number): string[] {
  return fn.body.params[i]!.type.shape.map(
    (_, axis) => fn.inputDimNames?.[i]?.[axis] ?? `input${i}_dim${axis}`,
  );
}

const printsIn = (region: Region): boolean => {
  for (const n of allNodes(region)) if (n.op === 'Print') return true;
  return false;
};

class Lowering {
  readonly initializers: object[] = [];
  readonly printSites: PrintSite[] = [];
  readonly sources = new Map<string, Node>();
  /** The print log's current value (null when the function does not print). */
  log: string | null = null;
  private temps = 0;

  region(region: Region): OnnxNode[] {
    const out: OnnxNode[] = [];
    for (const n of region.nodes) out.push(...this.node(n));
    return out;
  }

  private node(n: Node): OnnxNode[] {
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
    const emitted =
      n.op === 'while'
        ? this.distinctInputs(n, (inputs) => this.loop(n, inputs))
        : n.op === 'cond'
          ? [this.cond(n)]
          : this.op(n);
    // Named after the IR node, so that an ONNX Runtime failure can be traced to the user's line.
    emitted.forEach((e, i) => {
      e.name = `${n.op}#${this.temps++}.${i}`;
      this.sources.set(e.name, n);
    });
    return emitted;
  }

  private op(n: Node): OnnxNode[] {
    const lower = opDef(n.op)?.onnx;
    if (!lower) {
      throw new StagingError(
        `${n.where ? `${n.where}: ` : ''}the op '${n.op}' has no ONNX lowering yet; stage with { executor: 'tfjs' }`,
      );
    }
    const emitted: OnnxNode[] = [];
    const emit: OnnxLowering['emit'] = (opType, inputs, outputs, attrs) =>
      void emitted.push(node(opType, [...inputs], [...outputs], attrs));
    const ctx: OnnxLowering = {
      op: n.op,
      inputs: n.inputs.map(name),
      outputs: n.outputs.map(name),
      attrs: n.attrs,
      inputTypes: n.inputs.map((v) => v.type),
      outputTypes: n.outputs.map((v) => v.type),
      emit,
      temp: () => `t${this.temps++}`,
      int64: (values, shape) => this.constant('int64', shape ?? [values.length], values),
      scalar: (value, dtype) => this.constant(dtype, [], constData(dtype, [value])),
      float32: (values, shape) =>
        this.constant('float32', shape ?? [values.length], Float32Array.from(values)),
      constantInput: (i) => {
        const producer = n.inputs[i]?.producer;
        return producer?.op === 'Const' ? (producer.attrs.value as ArrayLike<number>) : undefined;
      },
      log: (values) => {
        const marker = this.constant('float64', [1], Float64Array.of(this.printSites.length));
        this.printSites.push({ parts: n.attrs.parts as (string | null)[], types: ctx.inputTypes });
        const next = `log${this.temps++}`;
        emit('Concat', [this.log!, marker, ...values], [next], { axis: 0 });
        this.log = next;
      },
    };
    try {
      lower(ctx);
    } catch (e) {
      // A case the lowering refuses (GatherV2 batchDims, StridedSlice masks): named at the user's line
      throw new StagingError(
        locatedMessage(`${(e as Error).message}; stage with { executor: 'tfjs' }`, n.where),
      );
    }
    return emitted;
  }

  constant(
    dtype: DType | 'int64' | 'float64',
    shape: readonly number[],
    values: ArrayLike<number> | ArrayBufferView,
  ): string {
    const id = `c${this.temps++}`;
    this.initializers.push(tensor(id, dtype, shape, values as ArrayLike<number>));
    return id;
  }

  /**
   * A subgraph: the region's nodes, then Identity nodes naming its results `resultNames`; when
   * `logIn` is given (the region prints), the region starts from that log and also returns its end.
   */
  private subgraph(
    region: Region,
    graphName: string,
    inputs: object[],
    resultNames: string[],
    logIn: string | null,
    scans = 0,
  ): OnnxGraph {
    const outer = this.log;
    this.log = logIn;
    const nodes = this.region(region);
    // A result computed by a node of this subgraph is its output as it is; a parameter, an outer
    // value, a constant (an initializer) or a repeated result needs an Identity to be one.
    const computedHere = new Set(region.nodes.filter((n) => n.op !== 'Const').flatMap((n) => n.outputs));
    const outputs = region.results.map((v, i) => {
      let output = name(v);
      if (!computedHere.delete(v)) {
        output = resultNames[i]!;
        nodes.push(node('Identity', [name(v)], [output]));
      }
      return valueInfo(output, v.type.dtype, v.type.shape);
    });
    if (logIn !== null) {
      const logOut = `${graphName}_log`;
      nodes.push(node('Identity', [this.log!], [logOut]));
      // the log is a loop-carried value: after the carried outputs, before a Loop body's scan outputs
      outputs.splice(outputs.length - scans, 0, valueInfo(logOut, 'float64', [null]));
    }
    this.log = outer;
    return { name: graphName, node: nodes, initializer: [], input: inputs, output: outputs };
  }

  /** The log's value after an If or Loop whose subgraphs print, as an extra output name. */
  private logAfter(prints: boolean): string[] {
    if (!prints) return [];
    this.log = `log${this.temps++}`;
    return [this.log];
  }

  private cond(n: Node): OnnxNode {
    const id = this.temps++;
    const logIn = n.regions.some(printsIn) ? this.log : null;
    const branch = (r: Region, which: string) =>
      this.subgraph(
        r,
        `${which}${id}`,
        [],
        r.results.map((_, i) => `${which}${id}_${i}`),
        logIn,
      );
    const [thenBranch, elseBranch] = [branch(n.regions[0]!, 'then'), branch(n.regions[1]!, 'else')];
    return node('If', [name(n.inputs[0]!)], [...n.outputs.map(name), ...this.logAfter(logIn !== null)], {
      then_branch: { graph: thenBranch },
      else_branch: { graph: elseBranch },
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
    const logIn = printsIn(body) ? `loop${id}_log_in` : null;
    const inputs = [
      { name: iteration, type: { tensorType: { elemType: INT64, shape: { dim: [] } } } },
      valueInfo(name(condParam!), 'bool', []),
      ...carried.map((p) => valueInfo(name(p), p.type.dtype, p.type.shape)),
      ...(logIn ? [valueInfo(logIn, 'float64', [null])] : []),
    ];
    const logBefore = logIn ? [this.log!] : [];
    // The body's scan values (graph.ts) are its last results: ONNX Loop's scan outputs, which it
    // stacks along a new leading axis, come after the carried values (and the print log) too.
    const scans = scanCount(n);
    const graph = this.subgraph(
      body,
      `loop${id}`,
      inputs,
      body.results.map((_, i) => `loop${id}_${i}`),
      logIn,
      scans,
    );
    // ONNX Loop outputs only the carried values, not the final condition (which nothing reads)
    const carriedOutputs = n.outputs.slice(1, n.outputs.length - scans);
    const scanOutputs = n.outputs.slice(n.outputs.length - scans);
    const trips = n.attrs.tripCount as number | undefined;
    const maxTrips = trips === undefined ? '' : this.constant('int64', [], [trips]);
    return node(
      'Loop',
      [maxTrips, ...inputNames, ...logBefore],
      [...carriedOutputs.map(name), ...this.logAfter(logIn !== null), ...scanOutputs.map(name)],
      {
        body: { graph },
      },
    );
  }
}
