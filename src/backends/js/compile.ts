/**
 * The compiled-JS backend's code generator: an IR function (and every function its `call` nodes reach)
 * becomes one JS module, built from the templates of templates.ts and instantiated with `new Function`.
 *
 * - A tensor op with a tfjs kernel is a direct call of the backend's kernel on TensorInfos: no engine
 *   bookkeeping, no tidy scope, no tape. Other ops (ours: constants, lists, random, prints, fused ops)
 *   run through their eager hook (runtime.ts).
 * - Every tensor the code makes is freed right after its last use, known statically per region: a
 *   value is owned by the region that defines it (a loop body also owns its parameters, the loop state)
 *   and is either freed after the last node that reads it or handed over as a result of its region.
 *   A result that is not the region's own (an outer value, a parameter it only borrows, a value it
 *   gives twice) is shared: one more reference, no copy.
 * - Static scalars from ops with a scalar lowering are JS numbers (kinds.ts), converted to tensors only
 *   where a tensor op or an output needs them.
 * - `cond` is an `if`, `while` a `for` loop, `call` a call of the callee's generated function.
 */
import {
  type Attrs,
  calleeOf,
  type IRFunction,
  type Node,
  type Region,
  reads,
  type Value,
} from '../../ir/graph.ts';
import { opDef, type Tensor } from '../../ir/ops/index.ts';
import { numberLiteral, SCALAR_HELPERS } from '../../ir/ops/scalar.ts';
import type { TensorType } from '../../ir/types.ts';
import { isScalar, Kinds } from './kinds.ts';
import type { Held, Info, KernelFunc, Runtime } from './runtime.ts';
import * as code from './templates.ts';

/** A compiled IR function: `run` takes the inputs (only read) and gives owned outputs. */
export interface Compiled {
  readonly run: (...inputs: Info[]) => Info[];
  /** The constant tensors the code holds (released by `dispose`). */
  readonly constants: readonly Tensor[];
  /** The generated source, for debugging. */
  readonly source: string;
}

/** Compiles `fn` (and the functions it calls) for the runtime's backend. */
export function compile(fn: IRFunction, runtime: Runtime): Compiled {
  const module = new ModuleBuilder(runtime, fn);
  const entry = module.functionName(fn);
  module.compilePending();
  const source = code.moduleCode(module.prelude, module.functions, entry);
  const factory = new Function('R', 'K', 'A', 'X', 'C', 'T', 'H', 'V', source);
  const run = factory(
    runtime,
    module.kernels,
    module.attrs,
    module.eagerCalls,
    module.constants,
    module.types,
    SCALAR_HELPERS,
    module.arrays,
  );
  return { run, constants: module.constants, source };
}

/** The shared parts of the module: per-node kernels, attributes, eager calls and constants, and its functions. */
class ModuleBuilder {
  readonly kernels: (KernelFunc | undefined)[] = [];
  readonly attrs: Attrs[] = [];
  readonly eagerCalls: ((inputs: Held[]) => Info[])[] = [];
  readonly constants: Tensor[] = [];
  readonly types: TensorType[] = [];
  /** Constant data held as JS typed arrays (small constants used by array code). */
  readonly arrays: ArrayLike<number>[] = [];
  readonly prelude: string[] = [];
  readonly functions: string[] = [];
  private readonly names = new Map<IRFunction, string>();
  private readonly pending: IRFunction[] = [];
  private slots = 0;

  constructor(
    readonly runtime: Runtime,
    readonly root: IRFunction,
  ) {}

  /** The generated name of `fn`, compiled once (recursion refers to the name). */
  functionName(fn: IRFunction): string {
    let name = this.names.get(fn);
    if (!name) {
      name = `f${this.names.size}`;
      this.names.set(fn, name);
      this.pending.push(fn);
    }
    return name;
  }

  compilePending(): void {
    for (let fn = this.pending.shift(); fn; fn = this.pending.shift()) {
      this.functions.push(new FunctionCompiler(this, fn).compile());
    }
  }

  /** A module-level slot for one node (its kernel, attributes, eager call or constant). */
  slot(): number {
    return this.slots++;
  }

  kernelSlot(kernel: KernelFunc, attrs: Attrs): number {
    const i = this.slot();
    this.kernels[i] = kernel;
    this.attrs[i] = attrs;
    this.prelude.push(code.kernelBinding(i));
    return i;
  }

  eagerSlot(n: Node): number {
    const i = this.slot();
    this.eagerCalls[i] = this.runtime.eager(
      opDef(n.op)!,
      n.attrs,
      n.inputs.map((v) => v.type),
    );
    this.prelude.push(code.eagerBinding(i));
    return i;
  }

  /** A constant tensor made once, kept for every run. */
  constantSlot(n: Node): number {
    const i = this.slot();
    const { tf } = this.runtime;
    this.constants[i] = tf.keep(opDef('Const')!.eager(tf, [], n.attrs)[0]!);
    this.prelude.push(code.constBinding(i));
    return i;
  }

  /** A small constant's data, as array code reads it. */
  arraySlot(data: ArrayLike<number>): number {
    const i = this.slot();
    this.arrays[i] = data;
    this.prelude.push(code.arrayBinding(i));
    return i;
  }

  typeSlot(t: TensorType): number {
    this.types.push(t);
    return this.types.length - 1;
  }
}

/**
 * The elementwise ops of a region waiting to be emitted as one loop (compile.ts's fusedLoop): ops of one
 * element count, in region order. They read only numbers and arrays, which never change, so computing
 * them later, just before the first node that reads one of them, gives the same values.
 */
class Fusion {
  private group: Node[] = [];
  private outputs = new Set<Value>();
  /** Per value, the nodes of the region that read it (at any depth), and the region's results. */
  private readonly readers = new Map<Value, Node[]>();
  private readonly results: ReadonlySet<Value>;

  constructor(region: Region) {
    for (const n of region.nodes)
      for (const v of reads(n)) this.readers.set(v, [...(this.readers.get(v) ?? []), n]);
    this.results = new Set(region.results);
  }

  /** Whether `n` reads a value of the pending group (which must then be computed first). */
  isReadBy(n: Node): boolean {
    return this.group.length > 0 && reads(n).some((v) => this.outputs.has(v));
  }

  /** Whether `n` computes as many elements as the pending group. */
  fits(n: Node): boolean {
    return !this.group.length || size(this.group[0]!.outputs[0]!) === size(n.outputs[0]!);
  }

  add(n: Node): void {
    this.group.push(n);
    this.outputs.add(n.outputs[0]!);
  }

  /** The pending group, emptied. */
  take(): Node[] {
    const group = this.group;
    this.group = [];
    this.outputs = new Set();
    return group;
  }

  /** Whether `v` is read outside the group `members` or is a result of the region: stored in its array. */
  isUsedOutside(v: Value, members: ReadonlySet<Value>): boolean {
    return this.results.has(v) || (this.readers.get(v) ?? []).some((n) => !members.has(n.outputs[0]!));
  }
}

const size = (v: Value) => v.type.shape.reduce<number>((k, d) => k * (d ?? 0), 1);

/** A generated temporary: a number's tensor for one op, freed after it. */
interface Temp {
  readonly name: string;
  readonly definition: string;
}

/** One region's values that it owns, and after which of its nodes each is last used. */
interface Ownership {
  readonly owned: ReadonlySet<Value>;
  /** Values to free after node i (owned, not results). */
  readonly freeAfter: ReadonlyMap<number, Value[]>;
  /** Owned values never used (freed where they are made, or at entry for parameters). */
  readonly unused: ReadonlySet<Value>;
  /** Owned results already handed over (a second occurrence is shared). */
  readonly handedOver: Set<Value>;
}

class FunctionCompiler {
  private readonly kinds: Kinds;
  /** Scalar parameters whose number the code reads at entry. */
  private readonly twins = new Set<Value>();
  /** Constant values and the slot of their tensor (made when a tensor use asks for it). */
  private readonly constantTensors = new Map<Value, number>();
  private readonly constantNodes = new Map<Value, Node>();
  private temps = 0;

  constructor(
    private readonly module: ModuleBuilder,
    private readonly fn: IRFunction,
  ) {
    this.kinds = new Kinds(fn.body);
  }

  compile(): string {
    const body = this.fn.body;
    const lines = this.region(body, false);
    const ownership = this.ownership(body, false);
    const results = body.results.map((v) => this.ownedTensor(v, ownership));
    const twins = [...this.twins].map((p) =>
      code.define(`n${p.id}`, isScalar(p.type) ? code.toNumber(name(p)) : code.toArray(name(p))),
    );
    return code.functionCode(this.module.functionName(this.fn), body.params.map(name), [
      ...twins,
      ...lines,
      code.returnCode(results),
    ]);
  }

  /** The lines of a region's nodes, each owned value freed after its last use (results are left to the caller). */
  private region(region: Region, ownsParams: boolean): string[] {
    const ownership = this.ownership(region, ownsParams);
    const lines: string[] = [];
    for (const p of region.params) if (ownership.unused.has(p)) lines.push(code.freeCode(name(p)));
    const fusion = new Fusion(region);
    const flush = () => lines.push(...this.fusedLoop(fusion.take(), fusion));
    region.nodes.forEach((n, i) => {
      if (fusion.isReadBy(n)) flush();
      if (this.isArrayOp(n)) {
        if (!fusion.fits(n)) flush();
        return fusion.add(n);
      }
      const temps: Temp[] = [];
      const nodeLines = this.node(n, temps);
      lines.push(...temps.map((t) => t.definition), ...nodeLines);
      for (const t of temps) lines.push(code.freeCode(t.name));
      for (const o of n.outputs) if (ownership.unused.has(o)) lines.push(code.freeCode(name(o)));
      for (const v of ownership.freeAfter.get(i) ?? []) lines.push(code.freeCode(name(v)));
    });
    flush();
    return lines;
  }

  /** An elementwise op computed on typed arrays (it reads numbers and arrays only, never a tensor). */
  private isArrayOp(n: Node): boolean {
    const out = n.outputs[0];
    const computed = n.op !== 'Const' && n.op !== 'call' && n.regions.length === 0;
    return computed && n.outputs.length === 1 && this.kinds.kind(out!) === 'array';
  }

  /**
   * One loop computing a group of elementwise ops of one size element by element: each op's element
   * is a local constant; an output used outside the group (or a result of the region) is also stored
   * in its typed array.
   */
  private fusedLoop(group: readonly Node[], fusion: Fusion): string[] {
    if (!group.length) return [];
    const members = new Set(group.map((n) => n.outputs[0]!));
    const stored = group.map((n) => n.outputs[0]!).filter((v) => fusion.isUsedOutside(v, members));
    const body = group.flatMap((n) => {
      const out = n.outputs[0]!;
      const args = n.inputs.map((v) =>
        members.has(v)
          ? code.elementName(v.id)
          : isScalar(v.type)
            ? this.numberOf(v)
            : code.element(this.arrayOf(v)),
      );
      const element = code.define(code.elementName(out.id), this.kinds.elementCode(n, args)!);
      return stored.includes(out)
        ? [element, code.storeElement(name(out), code.elementName(out.id))]
        : [element];
    });
    const size = group[0]!.outputs[0]!.type.shape.reduce<number>((k, d) => k * d!, 1);
    return [
      ...stored.map((v) => code.newArray(name(v), v.type.dtype, size)),
      ...code.elementLoop(size, body),
    ];
  }

  private ownership(region: Region, ownsParams: boolean): Ownership {
    const owned = new Set<Value>();
    const isOwned = (v: Value) => this.kinds.kind(v) === 'tensor' && !this.constantNodes.has(v);
    if (ownsParams) for (const p of region.params) if (isOwned(p)) owned.add(p);
    for (const n of region.nodes) {
      if (n.op === 'Const') continue;
      for (const o of n.outputs) if (this.kinds.kind(o) === 'tensor') owned.add(o);
    }
    const last = new Map<Value, number>();
    region.nodes.forEach((n, i) => {
      for (const v of reads(n)) if (owned.has(v)) last.set(v, i);
    });
    const results = new Set(region.results);
    const freeAfter = new Map<number, Value[]>();
    const unused = new Set<Value>();
    for (const v of owned) {
      if (results.has(v)) continue;
      const i = last.get(v);
      if (i === undefined) unused.add(v);
      else freeAfter.set(i, [...(freeAfter.get(i) ?? []), v]);
    }
    return { owned, freeAfter, unused, handedOver: new Set() };
  }

  private node(n: Node, temps: Temp[]): string[] {
    switch (n.op) {
      case 'cond':
        return this.cond(n);
      case 'while':
        return this.loop(n);
      case 'call':
        return this.call(n, temps);
      case 'Const':
        return this.constant(n);
    }
    const out = n.outputs[0];
    if (out && this.kinds.kind(out) === 'number') {
      const expr = this.kinds.elementCode(
        n,
        n.inputs.map((v) => this.numberOf(v)),
      )!;
      return [code.define(name(out), expr)];
    }
    return this.tensorOp(n, temps);
  }

  /** An elementwise op on small static shapes: one loop over typed arrays (scalar operands as numbers). */

  private constant(n: Node): string[] {
    const out = n.outputs[0]!;
    this.constantNodes.set(out, n);
    if (this.kinds.kind(out) === 'number') {
      const value = (n.attrs.value as ArrayLike<number>)[0]!;
      return [code.define(name(out), numberLiteral(value))];
    }
    if (this.kinds.kind(out) === 'array')
      return [code.define(name(out), `d${this.module.arraySlot(n.attrs.value as ArrayLike<number>)}`)];
    return [code.define(name(out), this.constantTensor(out))];
  }

  private constantTensor(v: Value): string {
    let slot = this.constantTensors.get(v);
    if (slot === undefined) {
      slot = this.module.constantSlot(this.constantNodes.get(v)!);
      this.constantTensors.set(v, slot);
    }
    return `c${slot}`;
  }

  /** A tensor op: the backend's kernel called directly where the op is that kernel, its eager hook otherwise. */
  private tensorOp(n: Node, temps: Temp[]): string[] {
    const def = opDef(n.op)!;
    const inputs = n.inputs.map((v) => this.tensorOf(v, temps));
    const outputs = n.outputs.map(name);
    const kernel = def.tfjsKernel ? this.module.runtime.kernel(n.op) : undefined;
    const byName = def.variadic || n.inputs.length === def.inputNames.length;
    if (!kernel || !byName) {
      const i = this.module.eagerSlot(n);
      return [code.eagerCall(i, outputs, inputs)];
    }
    const i = this.module.kernelSlot(kernel, n.attrs);
    const args = def.variadic ? code.listInputs(inputs) : code.namedInputs(def.inputNames, inputs);
    return [code.kernelCall(i, outputs, args, !!def.multipleOutputs || outputs.length > 1)];
  }

  private call(n: Node, temps: Temp[]): string[] {
    const callee = this.module.functionName(calleeOf(this.fn, n));
    const inputs = n.inputs.map((v) => this.tensorOf(v, temps));
    const slot = this.module.slot();
    this.module.runtime.calls[slot] = n;
    return code.callCode(slot, callee, n.outputs.map(name), inputs);
  }

  private cond(n: Node): string[] {
    const [then, otherwise] = n.regions as [Region, Region];
    const branch = (r: Region) => {
      const lines = this.region(r, false);
      const ownership = this.ownership(r, false);
      n.outputs.forEach((o, i) =>
        lines.push(code.assign(name(o), this.resultAs(o, r.results[i]!, ownership))),
      );
      return lines;
    };
    return [
      ...code.declare(n.outputs.map(name)),
      ...code.ifElse(this.truth(n.inputs[0]!), branch(then), branch(otherwise)),
    ];
  }

  /**
   * A `while`: its loop values live in `s<id>` variables (numbers or owned tensors); each iteration
   * runs the test region on them, then the body, whose results become the next state (and per-iteration
   * rows, stacked after the loop). A `tripCount` bounds the iterations as the tfjs executor does: the
   * test is not run once the count is reached.
   */
  private loop(n: Node): string[] {
    const [test, body] = n.regions as [Region, Region];
    const carried = n.inputs.length;
    const states = n.outputs.slice(0, carried);
    const scans = n.outputs.slice(carried);
    const state = (i: number) => `s${states[i]!.id}`;
    const rows = (j: number) => `r${scans[j]!.id}`;
    const lines = states.map((o, i) =>
      code.initialize(state(i), this.resultAs(o, n.inputs[i]!, borrowing())),
    );
    scans.forEach((_, j) => lines.push(code.define(rows(j), '[]')));

    const iteration: string[] = [];
    test.params.forEach((p, i) => iteration.push(code.define(name(p), state(i))));
    iteration.push(...this.region(test, false));
    const verdict = test.results[0]!;
    const go = `g${this.temps++}`;
    iteration.push(code.define(go, this.truth(verdict)));
    if (this.ownership(test, false).owned.has(verdict)) iteration.push(code.freeCode(name(verdict)));
    iteration.push(code.breakUnless(go));
    body.params.forEach((p, i) => iteration.push(code.define(name(p), state(i))));
    iteration.push(...this.region(body, true));
    const ownership = this.ownership(body, true);
    const next = states.map((o, i) => this.resultAs(o, body.results[i]!, ownership));
    next.forEach((expr, i) => iteration.push(code.assign(state(i), expr)));
    scans.forEach((_, j) => {
      const v = body.results[carried + j]!;
      const row = this.kinds.hasNumber(v) ? this.numberOf(v) : this.ownedTensor(v, ownership);
      iteration.push(code.push(rows(j), row));
    });

    const trips = (n.attrs.tripCount as number | undefined) ?? null;
    lines.push(...code.loop(`i${this.temps++}`, trips, iteration));
    states.forEach((o, i) => lines.push(code.define(name(o), state(i))));
    scans.forEach((o, j) => {
      const v = body.results[carried + j]!;
      const stacked = this.kinds.hasNumber(v)
        ? code.stackNumbers(rows(j), o.type.dtype)
        : code.stackTensors(rows(j), this.module.typeSlot(o.type));
      lines.push(code.define(name(o), stacked));
    });
    return lines;
  }

  /** A JS truth value of a bool scalar (a number, or a tensor read). */
  private truth(v: Value): string {
    return this.kinds.hasNumber(v) ? this.numberOf(v) : `${code.toNumber(name(v))} !== 0`;
  }

  /** `v` as the value `target` holds: a number, an array, or an owned tensor. */
  private resultAs(target: Value, v: Value, ownership: Ownership): string {
    const kind = this.kinds.kind(target);
    if (kind === 'number') return this.numberOf(v);
    if (kind === 'array') return this.arrayOf(v);
    return this.ownedTensor(v, ownership);
  }

  /** `v` as a number: itself, the number read from its parameter at entry, or its tensor read. */
  private numberOf(v: Value): string {
    if (this.kinds.kind(v) === 'number') return name(v);
    if (this.kinds.hasNumber(v)) {
      this.twins.add(v);
      return `n${v.id}`;
    }
    return code.toNumber(name(v));
  }

  /** `v` as a typed array: itself, the array read from its parameter at entry, or its tensor read. */
  private arrayOf(v: Value): string {
    if (this.kinds.kind(v) === 'array') return name(v);
    if (this.kinds.hasArray(v)) {
      this.twins.add(v);
      return `n${v.id}`;
    }
    return code.toArray(name(v));
  }

  /** A number's or an array's value as a new owned tensor. */
  private newTensor(v: Value): string {
    const { dtype, shape } = v.type;
    return this.kinds.kind(v) === 'number'
      ? code.toTensor(name(v), dtype)
      : code.arrayTensor(name(v), shape as number[], dtype);
  }

  /** `v` as a tensor input of an op: itself, its constant tensor, or a temporary made from its number. */
  private tensorOf(v: Value, temps: Temp[]): string {
    if (this.constantNodes.has(v)) return this.constantTensor(v);
    if (this.kinds.kind(v) === 'tensor') return name(v);
    const t = `t${this.temps++}`;
    temps.push({ name: t, definition: code.define(t, this.newTensor(v)) });
    return t;
  }

  /** `v` as an owned tensor: handed over when the region owns it (once), otherwise a new reference. */
  private ownedTensor(v: Value, ownership: Ownership): string {
    if (this.kinds.kind(v) !== 'tensor') return this.newTensor(v);
    if (ownership.owned.has(v) && !ownership.handedOver.has(v)) {
      ownership.handedOver.add(v);
      return name(v);
    }
    const tensor = this.constantNodes.has(v) ? this.constantTensor(v) : name(v);
    return code.shareCode(tensor);
  }
}

const name = (v: Value) => `v${v.id}`;

/** The ownership of a place that owns nothing (a loop's initial values are all shared). */
const borrowing = (): Ownership => ({
  owned: new Set(),
  freeAfter: new Map(),
  unused: new Set(),
  handedOver: new Set(),
});
