/**
 * Recursion as a loop with explicit stacks, for targets without calls (ONNX). Each `call` node of the
 * staged function becomes a `while` node that runs the callee and every function it reaches as a
 * state machine:
 *
 * - each function's body is cut into blocks at its calls: a `cond` whose branches call becomes a
 *   branch to two blocks that join in a third; a call ends its block and resumes in the next one;
 * - the loop carries the number of the block to run next (one per iteration, found by a tree of
 *   `cond`s on that number), one register per value that a block uses but another one defines, one
 *   register per result of each function, and per saved register a stack (a tensor whose rows are
 *   the saved values, the top row first) plus a stack of the blocks to resume at;
 * - a call pushes the registers its function still needs after it and the block to resume at, then
 *   starts the callee; a return writes the result registers and pops the block to resume at (the
 *   loop ends when that is the bottom mark, -1); resuming pops the saved registers.
 *
 * A parameter that every call passes on unchanged (a weight, a captured tensor) is not a register: the
 * loop reads the value the outer call passes. Calls inside staged loops are refused.
 */
import { StagingError } from '../../errors.ts';
import {
  allNodes,
  calleeOf,
  constData,
  cloneRegion,
  IRFunction,
  type Node,
  Region,
  reads,
  type Value,
  type ValueFactory,
} from '../graph.ts';
import { opDef } from '../ops/index.ts';
import { RECURSION_DEPTH_LIMIT } from '../ops/recursion.ts';
import { sameType, type TensorType, tensorType } from '../types.ts';
import { verify } from '../verify.ts';
import { replaceUses, rewriteRegions } from './rewrite.ts';

/** A copy of `fn` in which every call runs as a loop (see the module comment); `fn` is untouched. */
export function withoutRecursion(fn: IRFunction): IRFunction {
  const top = cloneFunction(fn, fn.values);
  top.inputDimNames = fn.inputDimNames;
  rewriteRegions(top.body, (n) => (n.op === 'call' ? machine(fn, n) : undefined));
  top.functions = new Map();
  verify(top);
  return top;
}

/** Where a call node comes from, for errors. */
const at = (n: Node) => (n.where ? `${n.where}: ` : '');

type Term =
  | { goto: Block; args: Value[] }
  | { branch: Value; ifTrue: Block; ifFalse: Block }
  | { call: Node; callee: Fn; resume: Block }
  | { return: Value[] };

interface Block {
  /** The block's number in the loop's dispatch (-1 for a branch's block, which runs in its brancher's iteration). */
  id: number;
  /** The block whose iteration runs this one: itself, or for a branch's block the block that branches. */
  group?: Block;
  fn: Fn;
  nodes: Node[];
  /** Values bound on entry: a function's parameters, a join's values (written by the blocks before). */
  params: Value[];
  /** For a block that resumes after a call: the call's outputs, read from the callee's result registers. */
  resumed?: { call: Node; callee: Fn };
  term?: Term;
}

/** One function of a machine (a copy of the graph's function). */
interface Fn {
  ir: IRFunction;
  entry?: Block;
  /** Per parameter, the outer value every call passes on to it, or undefined (a register). */
  invariant: (Value | undefined)[];
}

/** The nodes replacing call node `call` (of the graph `graph`): the machine's set-up and its loop. */
function machine(graph: IRFunction, call: Node): { nodes: Node[]; replacement: Map<Value, Value> } {
  const values = graph.values;
  const fns = reachableFunctions(graph, call, values);
  const entryFn = fns.get(call.attrs.callee as string)!;
  findInvariants(fns, entryFn, call);
  const prelude: Node[] = [];
  const emit = (op: string, inputs: Value[], attrs: Record<string, unknown> = {}, into = prelude): Value => {
    const types = opDef(op)!.infer(
      inputs.map((v) => v.type),
      attrs,
    );
    const node = values.node(op, inputs, attrs, types, [], call.site);
    into.push(node);
    return node.outputs[0]!;
  };
  // constants of the functions are computed once, before the loop
  for (const f of fns.values()) {
    prelude.push(...f.ir.body.nodes.filter((n) => n.op === 'Const'));
    f.ir.body.nodes = f.ir.body.nodes.filter((n) => n.op !== 'Const');
  }
  const blocks: Block[] = [];
  for (const f of fns.values()) cutIntoBlocks(f, fns, blocks);
  const dispatched = iterations(blocks, fns);
  const layout = stateLayout(blocks, fns);
  const ids = new Map<number, Value>();
  const idConst = (id: number) => {
    let v = ids.get(id);
    if (!v) ids.set(id, (v = emit('Const', [], { value: Int32Array.of(id), shape: [], dtype: 'int32' })));
    return v;
  };
  const cond = (predicate: Value, branches: Region[], into: Node[]) =>
    stateCond(branches, layout.types, into, (outputTypes) =>
      values.node('cond', [predicate], {}, outputTypes, branches, call.site),
    );
  const codegen = new BlockCode(layout, emit, idConst, cond);
  const bodyParams = layout.types.map((t) => values.value(t));
  const regions = dispatched.map((b) => codegen.region(b, bodyParams, bodyParams, new Map()));
  // as staged loops do (and ONNX Loop needs), the loop carries its condition first: whether a block
  // is left to run, recomputed at the end of the body
  const body = dispatch(regions, bodyParams[layout.pc]!, [0, dispatched.length], emit, idConst, cond);
  // (block numbers are never negative: one op, where NotEqual lowers to two)
  const running = emit('Greater', [body.results[layout.pc]!, idConst(-1)], {}, body.nodes);
  const testParams = layout.types.map((t) => values.value(t));
  const test = new Region(testParams, [], [testParams[layout.running]!]);
  const initial = initialState(layout, entryFn, call, emit, idConst);
  const loop = values.node(
    'while',
    initial,
    {},
    layout.types,
    [test, new Region(bodyParams, body.nodes, [running, ...body.results.slice(1)])],
    call.site,
  );
  const results = layout.results.get(entryFn)!;
  return {
    nodes: [...prelude, loop],
    replacement: new Map(call.outputs.map((o, k) => [o, loop.outputs[results[k]!]!])),
  };
}

/** Copies of the functions `call` reaches, by name. */
function reachableFunctions(graph: IRFunction, call: Node, values: ValueFactory): Map<string, Fn> {
  const fns = new Map<string, Fn>();
  const pending = [call];
  while (pending.length) {
    const c = pending.pop()!;
    const name = c.attrs.callee as string;
    if (fns.has(name)) continue;
    const ir = cloneFunction(calleeOf(graph, c), values);
    fns.set(name, { ir, invariant: ir.body.params.map(() => undefined) });
    for (const n of allNodes(ir.body)) {
      if (n.op === 'while' && [...allNodes(n.regions[1]!)].some((m) => m.op === 'call'))
        throw new StagingError(
          `${at(n)}a staged recursive call inside a staged loop cannot be lowered to ONNX (its loop would need a stack of loop states); stage it with { executor: 'tfjs' }`,
        );
      if (n.op === 'call') pending.push(n);
    }
  }
  return fns;
}

/**
 * The parameters that every call passes on unchanged from the outer call (a fixpoint over the calls),
 * replaced in the functions by the outer value.
 */
function findInvariants(fns: Map<string, Fn>, entry: Fn, call: Node): void {
  const unset = Symbol('unset');
  const binding = new Map<Fn, (Value | typeof unset | null)[]>(
    [...fns.values()].map((f) => [f, f.ir.body.params.map(() => unset)]),
  );
  const bind = (f: Fn, k: number, v: Value | null): boolean => {
    const now = binding.get(f)![k]!;
    const next = now === unset ? v : now === v ? now : null;
    binding.get(f)![k] = next;
    return next !== now;
  };
  call.inputs.forEach((v, k) => bind(entry, k, v));
  for (let changed = true; changed; ) {
    changed = false;
    for (const f of fns.values()) {
      const params = f.ir.body.params;
      for (const n of allNodes(f.ir.body)) {
        if (n.op !== 'call') continue;
        const callee = fns.get(n.attrs.callee as string)!;
        n.inputs.forEach((v, k) => {
          const i = params.indexOf(v);
          const outer = i >= 0 ? binding.get(f)![i]! : null;
          if (bind(callee, k, outer === unset ? null : outer)) changed = true;
        });
      }
    }
  }
  for (const f of fns.values()) {
    f.invariant = binding.get(f)!.map((b) => (b === unset || b === null ? undefined : b));
    const outer = new Map<Value, Value>();
    f.ir.body.params.forEach((p, k) => f.invariant[k] && outer.set(p, f.invariant[k]!));
    replaceUses(f.ir.body, outer);
  }
}

const containsCall = (n: Node) =>
  n.op === 'call' || n.regions.some((r) => [...allNodes(r)].some((m) => m.op === 'call'));

/** Cuts `f`'s body into blocks at its calls (see the module comment), appended to `blocks`. */
function cutIntoBlocks(f: Fn, fns: Map<string, Fn>, blocks: Block[]): void {
  const block = (params: Value[] = []): Block => {
    const b: Block = { id: -1, fn: f, nodes: [], params };
    blocks.push(b);
    return b;
  };
  const lower = (region: Region, start: Block, end: (last: Block, results: Value[]) => void) => {
    let current = start;
    for (const n of region.nodes) {
      if (!containsCall(n)) {
        current.nodes.push(n);
        continue;
      }
      if (n.op === 'call') {
        const callee = fns.get(n.attrs.callee as string)!;
        const resume = block();
        resume.resumed = { call: n, callee };
        current.term = { call: n, callee, resume };
        current = resume;
        continue;
      }
      // a cond whose branches call: a branch to two blocks that go to a join
      const join = block(n.outputs);
      const [thenStart, elseStart] = [block(), block()];
      current.term = { branch: n.inputs[0]!, ifTrue: thenStart, ifFalse: elseStart };
      n.regions.forEach((r, i) =>
        lower(r, i === 0 ? thenStart : elseStart, (last, results) => {
          last.term = { goto: join, args: results };
        }),
      );
      current = join;
    }
    end(current, region.results);
  };
  const params = f.ir.body.params.filter((_, k) => !f.invariant[k]);
  f.entry = block(params);
  lower(f.ir.body, f.entry, (last, results) => {
    last.term = { return: results };
  });
}

/**
 * Which blocks the loop dispatches to, numbered: entries, joins and resumptions. A branch's blocks run
 * in the iteration of the block that branches (as a cond there), and a jump to a join that only
 * returns returns at once: a leaf of a recursion takes one iteration.
 */
function iterations(blocks: Block[], fns: Map<string, Fn>): Block[] {
  for (const b of blocks) {
    const t = b.term!;
    if (!('goto' in t) || t.goto.nodes.length || !('return' in t.goto.term!)) continue;
    const { goto: join, args } = t;
    b.term = {
      return: (join.term as { return: Value[] }).return.map((v) => args[join.params.indexOf(v)] ?? v),
    };
  }
  const dispatched: Block[] = [];
  const visit = (b: Block, group: Block) => {
    if (b.group) return;
    b.group = group;
    const t = b.term!;
    if ('branch' in t) {
      visit(t.ifTrue, group);
      visit(t.ifFalse, group);
    } else if ('goto' in t) start(t.goto);
    else if ('call' in t) start(t.resume);
  };
  const start = (b: Block) => {
    if (b.group) return;
    b.id = dispatched.push(b) - 1;
    visit(b, b);
  };
  for (const f of fns.values()) start(f.entry!);
  return dispatched;
}

/** What the loop carries, by index: the block number, registers, result registers, stacks. */
interface StateLayout {
  types: TensorType[];
  /** Whether a block is left to run (first: the loop's condition). */
  running: number;
  pc: number;
  resumeStack: number;
  registers: Map<Value, number>;
  results: Map<Fn, number[]>;
  stacks: Map<Value, number>;
  /** The block defining each value of the functions. */
  definedBy: Map<Value, Block>;
  /** Per call node, the values its function needs after it (saved on their stacks). */
  saved: Map<Node, Value[]>;
}

function stateLayout(all: Block[], fns: Map<string, Fn>): StateLayout {
  const blocks = all.filter((b) => b.group);
  const types: TensorType[] = [];
  const slot = (t: TensorType) => types.push(t) - 1;
  const running = slot(tensorType('bool', []));
  const pc = slot(tensorType('int32', []));
  const resumeStack = slot(tensorType('int32', [null]));
  const definedBy = new Map<Value, Block>();
  for (const b of blocks) {
    for (const p of b.params) definedBy.set(p, b);
    for (const o of b.resumed?.call.outputs ?? []) definedBy.set(o, b);
    for (const n of b.nodes) for (const o of n.outputs) definedBy.set(o, b);
  }
  const used = new Map(blocks.map((b) => [b, usedIn(b)]));
  // a register per value used in another iteration than its own, and per parameter of a dispatched
  // block (written by the iteration before)
  const registers = new Map<Value, number>();
  const register = (v: Value) => registers.has(v) || registers.set(v, slot(v.type));
  for (const b of blocks) b.params.forEach(register);
  for (const b of blocks)
    for (const v of used.get(b)!) if (definedBy.has(v) && definedBy.get(v)!.group !== b.group) register(v);
  const results = new Map(
    [...fns.values()].map((f) => [f, f.ir.body.results.map((v) => slot(v.type))] as const),
  );
  // what a call's function still needs after it: used from the resuming block on, defined before
  const saved = new Map<Node, Value[]>();
  const stacks = new Map<Value, number>();
  for (const b of blocks) {
    if (!b.term || !('call' in b.term)) continue;
    const after = reachableFrom(b.term.resume);
    const needed = [...new Set([...after].flatMap((a) => [...used.get(a)!]))].filter(
      (v) => definedBy.has(v) && !after.has(definedBy.get(v)!),
    );
    saved.set(b.term.call, needed);
    for (const v of needed)
      if (!stacks.has(v)) stacks.set(v, slot(tensorType(v.type.dtype, [null, ...v.type.shape])));
  }
  return { types, running, pc, resumeStack, registers, results, stacks, definedBy, saved };
}

/** The values a block reads: its nodes' (their regions' too) and its ending's. */
function usedIn(b: Block): Set<Value> {
  const used = new Set<Value>(b.nodes.flatMap(reads));
  const t = b.term!;
  if ('goto' in t) t.args.forEach((v) => used.add(v));
  else if ('branch' in t) used.add(t.branch);
  else if ('call' in t) t.call.inputs.forEach((v) => used.add(v));
  else t.return.forEach((v) => used.add(v));
  return used;
}

/** The blocks of the same function that may run after `start` (calls resume, so they continue there). */
function reachableFrom(start: Block): Set<Block> {
  const found = new Set<Block>();
  const pending = [start];
  while (pending.length) {
    const b = pending.pop()!;
    if (found.has(b)) continue;
    found.add(b);
    const t = b.term!;
    if ('goto' in t) pending.push(t.goto);
    else if ('branch' in t) pending.push(t.ifTrue, t.ifFalse);
    else if ('call' in t) pending.push(t.resume);
  }
  return found;
}

type Emit = (op: string, inputs: Value[], attrs?: Record<string, unknown>, into?: Node[]) => Value;

/** The code of one block: a region that yields the next state. */
class BlockCode {
  constructor(
    private readonly layout: StateLayout,
    private readonly emit: Emit,
    private readonly id: (n: number) => Value,
    /** A cond yielding the state (see `stateCond`), recorded into the given nodes. */
    private readonly cond: StateCond,
  ) {}

  /**
   * The code of `b` in an iteration that started in `state` (the loop's values): `next` holds the
   * state so far (what the blocks before it in the iteration wrote), `local` the values they made
   * that stand for others (a resumed call's results, popped saved values).
   */
  region(b: Block, state: Value[], before: Value[], inherited: ReadonlyMap<Value, Value>): Region {
    const { layout } = this;
    const nodes: Node[] = [];
    const emit = (op: string, inputs: Value[], attrs: Record<string, unknown> = {}) =>
      this.emit(op, inputs, attrs, nodes);
    const next = [...before];
    const local = new Map(inherited);
    // a resumed call: its outputs are the callee's results; what its function saved comes back
    if (b.resumed) {
      const { call, callee } = b.resumed;
      const results = layout.results.get(callee)!;
      call.outputs.forEach((o, k) => local.set(o, state[results[k]!]!));
      for (const v of layout.saved.get(call)!) {
        const s = layout.stacks.get(v)!;
        const [top, rest] = pop(emit, next[s]!, v.type, this.id(0));
        local.set(v, top);
        next[s] = rest;
        next[layout.registers.get(v)!] = top;
      }
    }
    // a value of another iteration (or a dispatched block's parameter) is read from its register
    const read = (v: Value): Value => {
      const own = local.get(v);
      if (own) return own;
      const r = layout.registers.get(v);
      const def = layout.definedBy.get(v);
      if (r !== undefined && (def!.group !== b.group || def!.params.includes(v))) return state[r]!;
      return v;
    };
    const outside = new Map<Value, Value>();
    for (const n of b.nodes) for (const v of reads(n)) if (read(v) !== v) outside.set(v, read(v));
    for (const n of b.nodes) {
      n.inputs = n.inputs.map(read);
      for (const r of n.regions) replaceUses(r, outside);
      nodes.push(n);
    }
    // values this block defines that other iterations read
    for (const n of b.nodes) for (const o of n.outputs) this.store(next, o, o);
    for (const o of b.resumed?.call.outputs ?? []) this.store(next, o, read(o));
    const t = b.term!;
    if ('goto' in t) {
      t.goto.params.forEach((p, k) => {
        next[layout.registers.get(p)!] = read(t.args[k]!);
      });
      next[layout.pc] = this.id(t.goto.id);
    } else if ('branch' in t) {
      // both ways run in this iteration
      const ways = [t.ifTrue, t.ifFalse].map((w) => this.region(w, state, next, local));
      return new Region([], nodes, this.cond(read(t.branch), ways, nodes));
    } else if ('call' in t) {
      for (const v of layout.saved.get(t.call)!) {
        const s = layout.stacks.get(v)!;
        next[s] = push(emit, next[s]!, read(v));
      }
      next[layout.resumeStack] = push(emit, next[layout.resumeStack]!, this.id(t.resume.id));
      const callee = t.callee;
      const args = t.call.inputs.filter((_, k) => !callee.invariant[k]);
      callee.entry!.params.forEach((p, k) => {
        next[layout.registers.get(p)!] = read(args[k]!);
      });
      // (0, or the run fails: recursion deeper than the limit)
      const guard = emit('RecursionGuard', [next[layout.resumeStack]!], {
        limit: RECURSION_DEPTH_LIMIT,
        callee: t.call.attrs.callee,
      });
      next[layout.pc] = emit('Add', [this.id(callee.entry!.id), guard]);
    } else {
      const results = layout.results.get(b.fn)!;
      t.return.forEach((v, k) => {
        next[results[k]!] = read(v);
      });
      const [top, rest] = pop(emit, next[layout.resumeStack]!, tensorType('int32', []), this.id(0));
      next[layout.pc] = top;
      next[layout.resumeStack] = rest;
    }
    return new Region([], nodes, next);
  }

  private store(next: Value[], v: Value, value: Value): void {
    const r = this.layout.registers.get(v);
    if (r !== undefined) next[r] = value;
  }
}

/** `stack` with `v` on top (as its first row). */
function push(
  emit: (op: string, inputs: Value[], attrs?: Record<string, unknown>) => Value,
  stack: Value,
  v: Value,
): Value {
  const row = emit('ExpandDims', [v], { dim: 0 });
  return emit('Concat', [row, stack], { axis: 0 });
}

/** The top row of `stack` (a value of `type`; `zero` an int32 0) and the stack without it. */
function pop(
  emit: (op: string, inputs: Value[], attrs?: Record<string, unknown>) => Value,
  stack: Value,
  type: TensorType,
  zero: Value,
): [Value, Value] {
  const rank = type.shape.length;
  const top = emit('GatherV2', [stack, zero], { axis: 0, batchDims: 0 });
  const rest = emit('Slice', [stack], {
    begin: [1, ...new Array(rank).fill(0)],
    size: new Array(rank + 1).fill(-1),
  });
  return [forget(emit, top, type), rest];
}

/** `v` typed as `type` (dims it knows that `type` leaves dynamic forgotten). */
function forget(
  emit: (op: string, inputs: Value[], attrs?: Record<string, unknown>) => Value,
  v: Value,
  type: TensorType,
): Value {
  if (sameType(v.type, type)) return v;
  const shape = emit('Shape', [v]);
  return emit('DynamicReshape', [v, shape], { dims: [...type.shape] });
}

/** The loop body: a tree of conds on the block number, each leaf a block's region. */
function dispatch(
  regions: Region[],
  pc: Value,
  [lo, hi]: [number, number],
  emit: Emit,
  id: (n: number) => Value,
  cond: StateCond,
): Region {
  if (hi - lo === 1) return regions[lo]!;
  const mid = (lo + hi) >> 1;
  const nodes: Node[] = [];
  const low = emit('Less', [pc, id(mid)], {}, nodes);
  const branches = [
    dispatch(regions, pc, [lo, mid], emit, id, cond),
    dispatch(regions, pc, [mid, hi], emit, id, cond),
  ];
  return new Region([], nodes, cond(low, branches, nodes));
}

/** Builds a cond on a predicate over `branches` (which yield the state) into `into`; gives the state after it. */
type StateCond = (predicate: Value, branches: Region[], into: Node[]) => Value[];

/**
 * A cond whose branches yield the whole state, made by `make` (with its predicate) with outputs for the slots the branches
 * may change only: a slot both leave at the same outer value of its type is that value after the cond
 * (no output; ONNX Runtime would copy it through an Identity in each branch).
 */
function stateCond(
  branches: Region[],
  types: readonly TensorType[],
  into: Node[],
  make: (outputTypes: TensorType[]) => Node,
): Value[] {
  const inside = new Set(branches.flatMap((r) => [...allNodes(r)].flatMap((n) => n.outputs)));
  const [first, second] = branches as [Region, Region];
  const same = types.map(
    (t, k) =>
      first.results[k] === second.results[k] &&
      !inside.has(first.results[k]!) &&
      sameType(first.results[k]!.type, t),
  );
  // (an If has at least one output)
  if (same.every(Boolean)) same[same.length - 1] = false;
  const changed = types.map((_, k) => k).filter((k) => !same[k]);
  const unchanged = [...first.results];
  for (const r of branches) r.results = changed.map((k) => r.results[k]!);
  const node = make(changed.map((k) => types[k]!));
  into.push(node);
  return types.map((_, k) => (same[k] ? unchanged[k]! : node.outputs[changed.indexOf(k)]!));
}

/** The loop's entry state: the entry function's block and arguments, zeros and empty stacks elsewhere. */
function initialState(
  layout: StateLayout,
  entry: Fn,
  call: Node,
  emit: Emit,
  id: (n: number) => Value,
): Value[] {
  const state = layout.types.map((t) => zeros(emit, t));
  state[layout.running] = emit('Const', [], { value: Uint8Array.of(1), shape: [], dtype: 'bool' });
  state[layout.pc] = id(entry.entry!.id);
  state[layout.resumeStack] = forget(
    emit,
    emit('Const', [], { value: Int32Array.of(-1), shape: [1], dtype: 'int32' }),
    layout.types[layout.resumeStack]!,
  );
  const args = call.inputs.filter((_, k) => !entry.invariant[k]);
  entry.entry!.params.forEach((p, k) => {
    const r = layout.registers.get(p)!;
    state[r] = forget(emit, args[k]!, layout.types[r]!);
  });
  return state;
}

/** Zeros of `type` (a dynamic dim empty). */
function zeros(emit: Emit, type: TensorType): Value {
  const shape = type.shape.map((d) => d ?? 0);
  const size = shape.reduce((n, d) => n * d, 1);
  const value = constData(type.dtype, new Array(size).fill(0));
  return forget(emit, emit('Const', [], { value, shape, dtype: type.dtype }), type);
}

/** A copy of `fn` with fresh values (from `values`), its calls unchanged. */
function cloneFunction(fn: IRFunction, values: ValueFactory): IRFunction {
  const clone = new IRFunction(fn.name, cloneRegion(fn.body, new Map(), values), values);
  clone.functions = fn.functions;
  return clone;
}
