/**
 * The IR: SSA values with types (dims static or dynamic, see types.ts), nodes (one op each), regions (a list of nodes with parameters
 * and results) and functions. Structured control flow nests regions in nodes: `cond` has a `then`
 * and an `else` region (no parameters, same result types); `while` has a `cond` region (loop values
 * → bool scalar) and a `body` region (loop values → next loop values), and may carry a `tripCount`
 * attribute: it then also stops after that many iterations (passes/trip-count.ts). Nodes in a region may use
 * values of enclosing regions, as ONNX `If`/`Loop` bodies may.
 *
 * Scan outputs (TensorFlow's TensorArray, ONNX Loop's scan outputs): a `while` with the attribute
 * `scans: k` (absent means 0) has a body whose results are the n next loop values followed by k
 * per-iteration values; the node's outputs are the n final loop values followed by k stacked values,
 * the i-th of type `[?, ...type of body result n + i]`: row t is what iteration t computed (the leading
 * dim is the iteration count; zero iterations give `[0, ...]`, any dynamic dim of the element 0, as
 * ONNX Runtime does). The node's inputs, the cond region's and the body region's parameters are the n
 * loop values only (passes/scan-outputs.ts makes them from lists that a loop only appends to).
 *
 * Calls (staged recursion, see staging/recursion.ts): a `call` node runs another function of the same
 * staged graph, named by its `callee` attribute and found in `IRFunction.functions`; its inputs are the
 * callee's parameters (compatible types), its outputs the callee's results (the same types). A callee
 * may call itself or its caller: that is what the node is for (calls that do not recurse are inlined).
 */
import type { DType, TensorType } from './types.ts';

export class Value {
  constructor(
    readonly id: number,
    readonly type: TensorType,
    /** The node that computes it; null for region parameters. */
    readonly producer: Node | null,
  ) {}
}

export type Attrs = Readonly<Record<string, unknown>>;

/**
 * Where a node comes from: the user's `file:line:col`, or a function that finds it (a captured stack
 * trace, formatted only when an error or the printer needs it: formatting one per recorded op, with
 * source maps, would dominate tracing).
 */
export type Site = string | (() => string | undefined) | undefined;

export class Node {
  constructor(
    readonly op: string,
    public inputs: Value[],
    public attrs: Attrs,
    readonly outputs: Value[],
    readonly regions: Region[],
    /** Where the node comes from (see `Site`); passes hand it on to the nodes they make. */
    public site?: Site,
  ) {}

  /** The user's `file:line:col` that produced this node, when known. */
  get where(): string | undefined {
    if (typeof this.site === 'function') this.site = this.site();
    return this.site;
  }
}

export class Region {
  constructor(
    readonly params: Value[],
    public nodes: Node[],
    public results: Value[],
  ) {}
}

/** Data of a `Const` node (its `value` attribute): weights captured at trace time, literals, folded results. */
export type ConstData = Float32Array | Int32Array | Uint8Array;

/** A fresh array of `dtype`'s element type holding `values` (bool as 0/1 bytes). */
export function constData(dtype: DType, values: ArrayLike<number>): ConstData {
  return dtype === 'float32'
    ? Float32Array.from(values)
    : dtype === 'int32'
      ? Int32Array.from(values)
      : Uint8Array.from(values);
}

export class IRFunction {
  /**
   * Per input, per axis, the user's name for a dynamic dim (null or absent: unnamed). Inputs sharing
   * a name share the dim: exported ONNX models give it that `dim_param` (backends/onnx/lower.ts).
   */
  inputDimNames?: (readonly (string | null)[])[];
  /**
   * The functions `call` nodes name, by name: one map shared by every function of a staged graph
   * (empty where nothing recurses).
   */
  functions: Map<string, IRFunction> = new Map();
  constructor(
    readonly name: string,
    /** `body.params` are the inputs, `body.results` the outputs. */
    readonly body: Region,
    readonly values: ValueFactory,
  ) {}
}

/** Hands out value ids, unique within one function. */
export class ValueFactory {
  private next = 0;
  /** The id the next value will get: values with smaller ids exist already. */
  peek(): number {
    return this.next;
  }
  value(type: TensorType, producer: Node | null = null): Value {
    return new Value(this.next++, type, producer);
  }
  /** A node whose outputs are fresh values of `outputTypes`. */
  node(
    op: string,
    inputs: Value[],
    attrs: Attrs,
    outputTypes: TensorType[],
    regions: Region[] = [],
    where?: Site,
  ): Node {
    const outputs: Value[] = [];
    const node = new Node(op, inputs, attrs, outputs, regions, where);
    for (const t of outputTypes) outputs.push(this.value(t, node));
    return node;
  }
}

/** The function a `call` node runs. */
export function calleeOf(fn: IRFunction, call: Node): IRFunction {
  const callee = fn.functions.get(call.attrs.callee as string);
  if (!callee)
    throw new Error(`'${fn.name}' calls '${String(call.attrs.callee)}', which is not one of its functions`);
  return callee;
}

/**
 * Copies of `nodes` (their regions too) with fresh values from `values`; `copy` maps each value they
 * read to its copy (values not in it are read as they are) and receives the copies they define.
 */
export function cloneNodes(nodes: readonly Node[], copy: Map<Value, Value>, values: ValueFactory): Node[] {
  const of = (v: Value) => copy.get(v) ?? v;
  return nodes.map((n) => {
    const regions = n.regions.map((r) => cloneRegion(r, copy, values));
    const m = values.node(
      n.op,
      n.inputs.map(of),
      { ...n.attrs },
      n.outputs.map((o) => o.type),
      regions,
      n.site,
    );
    n.outputs.forEach((o, i) => copy.set(o, m.outputs[i]!));
    return m;
  });
}

/** A copy of `region` with fresh parameters and values (see `cloneNodes`). */
export function cloneRegion(region: Region, copy: Map<Value, Value>, values: ValueFactory): Region {
  const params = region.params.map((p) => {
    const q = values.value(p.type);
    copy.set(p, q);
    return q;
  });
  const nodes = cloneNodes(region.nodes, copy, values);
  return new Region(
    params,
    nodes,
    region.results.map((v) => copy.get(v) ?? v),
  );
}

/** The number of scan outputs of a `while` node (its `scans` attribute; 0 when absent). */
export const scanCount = (n: Node): number => (n.attrs.scans as number | undefined) ?? 0;

/** Every node of a region and of the regions nested in it, outer nodes before the nodes of their regions. */
export function* allNodes(region: Region): Generator<Node> {
  for (const n of region.nodes) {
    yield n;
    for (const r of n.regions) yield* allNodes(r);
  }
}

/** What a node reads: its inputs and, inside its regions at any depth, every value used there. */
export function reads(n: Node): Value[] {
  const used = [...n.inputs];
  for (const r of n.regions) {
    used.push(...r.results);
    for (const m of allNodes(r)) {
      used.push(...m.inputs);
      for (const inner of m.regions) used.push(...inner.results);
    }
  }
  return used;
}

/**
 * The values `roots` (values of `region`, or used there) are computed from: the region's own values,
 * its parameters and the outer values it reads, through the regions nested in its nodes too.
 */
export function dependencies(region: Region, roots: readonly Value[]): Set<Value> {
  const producer = new Map(region.nodes.flatMap((n) => n.outputs.map((o) => [o, n] as const)));
  const found = new Set<Value>();
  const pending = [...roots];
  while (pending.length) {
    const v = pending.pop()!;
    if (found.has(v)) continue;
    found.add(v);
    const n = producer.get(v);
    if (n) pending.push(...reads(n));
  }
  return found;
}
