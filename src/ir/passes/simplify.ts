/**
 * Simplification, for what tracing leaves behind and a backend pays for on every loop iteration:
 * - no-op nodes are forwarded to their input: `Identity` (tfjs records some), a `Cast` to the same
 *   dtype, a `Reshape` to the same shape;
 * - a `Select` of a tiled condition (tfjs's `where` broadcasting it) selects with the condition itself;
 * - what `tf.norm` records gets shorter: `Pow(x, 2)` is `Square(x)`, `Square(Abs(x))` is
 *   `Square(x)`, a Square moves before a Reshape, a sum of every element of a Reshape sums its
 *   input, and a sum of squares is one `SumSquares` (ONNX ReduceSumSquare);
 * - what tfjs's `logSoftmax` records becomes one `LogSoftmax`, and the runtime's JS `%` on float
 *   tensors one `JsMod`;
 * - a bool `Select` with a constant branch is `LogicalOr`/`LogicalAnd` (a staged `break` flag);
 * - a `cond` whose predicate is a constant is replaced by the branch it takes;
 * - a small `cond` with scalar results whose branches cannot fail is if-converted: both branches
 *   are computed and the results chosen by `LogicalAnd`/`LogicalOr` (the staged `&&` and `||`) or
 *   `Select`. A staged `while (a && b)` then has no `If` in its body, which costs ONNX Runtime a
 *   subgraph launch per iteration.
 */
import type { IRFunction, Node, Region, Value } from '../graph.ts';
import { opDef } from '../ops/index.ts';
import { reductionAxes } from '../ops/onnx.ts';
import { broadcastShapes, sameType, sizeOf } from '../types.ts';
import { type NodeRewrite, rewriteRegions } from './rewrite.ts';

/** If-conversion limits: branches this small cost less computed than launched as a subgraph. */
const MAX_SPECULATED_NODES = 8;
const MAX_SPECULATED_ELEMENTS = 64;

export function simplify(fn: IRFunction): void {
  rewriteRegions(fn.body, (n) => simplifyNode(fn, n));
}

function simplifyNode(fn: IRFunction, n: Node): NodeRewrite | undefined {
  const forwarded = noOpInput(n);
  if (forwarded) return { nodes: [], replacement: new Map([[n.outputs[0]!, forwarded]]) };
  const rewritten = rewrittenNode(fn, n);
  if (rewritten.at(-1) !== n)
    return { nodes: rewritten, replacement: new Map([[n.outputs[0]!, rewritten.at(-1)!.outputs[0]!]]) };
  if (n.op !== 'cond') return undefined;
  const flattened = constantBranch(n) ?? ifConverted(fn, n);
  if (!flattened) return undefined;
  // the nodes an if-conversion makes (its Selects) are simplified in turn
  const renamed = new Map<Value, Value>();
  const nodes = flattened.nodes.flatMap((m) => {
    m.inputs = m.inputs.map((v) => renamed.get(v) ?? v);
    const simpler = rewrittenNode(fn, m);
    if (simpler.at(-1) !== m) renamed.set(m.outputs[0]!, simpler.at(-1)!.outputs[0]!);
    return simpler;
  });
  return {
    nodes,
    replacement: new Map(
      n.outputs.map((o, i) => [o, renamed.get(flattened.results[i]!) ?? flattened.results[i]!]),
    ),
  };
}

/** `n` rewritten until no local rewrite applies: the nodes replacing it, the last computing its value (`[n]` if none). */
function rewrittenNode(fn: IRFunction, n: Node): Node[] {
  const nodes: Node[] = [];
  let last = n;
  for (let next = rewrite(fn, n); next; next = rewrite(fn, last)) {
    last = next.at(-1)!;
    nodes.push(...next.slice(0, -1));
  }
  return [...nodes, last];
}

/** One local rewrite of `n`, if one applies: the nodes replacing it, the last computing its value. */
function rewrite(fn: IRFunction, n: Node): Node[] | undefined {
  const one =
    untiledSelect(fn, n) ??
    squared(fn, n) ??
    flatSum(fn, n) ??
    sumOfSquares(fn, n) ??
    logSoftmax(fn, n) ??
    jsMod(fn, n);
  return one ? [one] : (squareBeforeReshape(fn, n) ?? boolSelect(fn, n));
}

/** The input a node passes through unchanged, if it is a no-op. */
function noOpInput(n: Node): Value | undefined {
  const [input] = n.inputs;
  const [output] = n.outputs;
  if (!input || !output || n.outputs.length !== 1) return undefined;
  const passesThrough = n.op === 'Identity' || n.op === 'Cast' || n.op === 'Reshape';
  // [?,4] → [?,4] keeps every element in place, but [?,?] → [?,?] may be [2,6] → [3,4] at run time
  const unknown = output.type.shape.filter((d) => d === null).length;
  if (n.op === 'Reshape' && unknown > 1) return undefined;
  return passesThrough && sameType(input.type, output.type) ? input : undefined;
}

/**
 * `Select(Tile(c), t, e)` where the Tile only repeats size-1 dimensions (tfjs's `where` broadcasting
 * its condition) as a broadcasting Select of `c`; the Tile is then dead.
 */
function untiledSelect(fn: IRFunction, n: Node): Node | undefined {
  const tile = n.inputs[0]?.producer;
  if (n.op !== 'Select' || n.attrs.broadcast || tile?.op !== 'Tile') return undefined;
  const condition = tile.inputs[0]!;
  const reps = tile.attrs.reps as number[];
  if (!condition.type.shape.every((d, i) => d === 1 || reps[i] === 1)) return undefined;
  const [, t, e] = n.inputs as [Value, Value, Value];
  return fn.values.node('Select', [condition, t, e], { broadcast: true }, [n.outputs[0]!.type], [], n.site);
}

/** `Pow(x, 2)` and `Square(Abs(x))` as `Square(x)`. */
function squared(fn: IRFunction, n: Node): Node | undefined {
  const [x, exponent] = n.inputs;
  const square = (input: Value) =>
    sameType(input.type, n.outputs[0]!.type)
      ? fn.values.node('Square', [input], {}, [n.outputs[0]!.type], [], n.site)
      : undefined;
  if (n.op === 'Pow' && exponent?.producer?.op === 'Const' && exponent.type.shape.length === 0) {
    if ((exponent.producer.attrs.value as ArrayLike<number>)[0] === 2) return square(x!);
  }
  if (n.op === 'Square' && x?.producer?.op === 'Abs') return square(x.producer.inputs[0]!);
  return undefined;
}

/** `Square(Reshape(x))` as `Reshape(Square(x))`, so that a full sum after it can drop the Reshape. */
function squareBeforeReshape(fn: IRFunction, n: Node): Node[] | undefined {
  const reshaped = n.inputs[0]?.producer;
  if (n.op !== 'Square' || reshaped?.op !== 'Reshape') return undefined;
  const x = reshaped.inputs[0]!;
  const square = fn.values.node('Square', [x], {}, [x.type], [], n.site);
  const reshape = fn.values.node('Reshape', square.outputs, reshaped.attrs, [n.outputs[0]!.type], [], n.site);
  return [square, reshape];
}

/** A sum of every element of `Reshape(x)` (to a scalar) as the sum of every element of `x`. */
function flatSum(fn: IRFunction, n: Node): Node | undefined {
  const reshaped = n.inputs[0]?.producer;
  const sums = n.op === 'Sum' || n.op === 'SumSquares';
  if (!sums || reshaped?.op !== 'Reshape' || n.outputs[0]!.type.shape.length !== 0) return undefined;
  const x = reshaped.inputs[0]!;
  if (x.type.dtype !== n.inputs[0]!.type.dtype) return undefined;
  return fn.values.node(n.op, [x], { axis: null, keepDims: false }, [n.outputs[0]!.type], [], n.site);
}

/**
 * A bool `Select` with a constant branch as logic (a staged `break` flag: `c ? true : flag`): ONNX
 * Runtime's Where has no bool kernel, so it would cost three casts around it.
 */
function boolSelect(fn: IRFunction, n: Node): Node[] | undefined {
  if (n.op !== 'Select' || n.outputs[0]!.type.dtype !== 'bool') return undefined;
  const [c, t, e] = n.inputs as [Value, Value, Value];
  const constant = (v: Value) =>
    v.producer?.op === 'Const' && v.type.shape.length === 0
      ? (v.producer.attrs.value as ArrayLike<number>)[0] !== 0
      : undefined;
  const [ct, ce] = [constant(t), constant(e)];
  const node = (op: string, inputs: Value[]) =>
    fn.values.node(op, inputs, {}, [{ dtype: 'bool', shape: n.outputs[0]!.type.shape }], [], n.site);
  const not = () => fn.values.node('LogicalNot', [c], {}, [c.type], [], n.site);
  let nodes: Node[] | undefined;
  if (ct === true) nodes = [node('LogicalOr', [c, e])];
  else if (ce === false) nodes = [node('LogicalAnd', [c, t])];
  else if (ct === false) {
    const negated = not();
    nodes = [negated, node('LogicalAnd', [negated.outputs[0]!, e])];
  } else if (ce === true) {
    const negated = not();
    nodes = [negated, node('LogicalOr', [negated.outputs[0]!, t])];
  }
  // only where the logic op broadcasts to the Select's own type
  const last = nodes?.at(-1);
  if (!last) return undefined;
  const [a, b] = last.inputs as [Value, Value];
  const shape = broadcastShapes(a.type.shape, b.type.shape);
  return shape.join() === n.outputs[0]!.type.shape.join() ? nodes : undefined;
}

/** `Sum(Square(x))` (float32) as `SumSquares(x)`: one ONNX ReduceSumSquare instead of two nodes. */
function sumOfSquares(fn: IRFunction, n: Node): Node | undefined {
  const squared = n.inputs[0]?.producer;
  if (n.op !== 'Sum' || squared?.op !== 'Square' || n.inputs[0]!.type.dtype !== 'float32') return undefined;
  return fn.values.node('SumSquares', [squared.inputs[0]!], n.attrs, [n.outputs[0]!.type], [], n.site);
}

/**
 * What tfjs's `logSoftmax` records, `s - Log(Sum(Exp(s)))` with `s = x - Max(x)` over one axis (keeping
 * it), as one `LogSoftmax(x)`.
 */
function logSoftmax(fn: IRFunction, n: Node): Node | undefined {
  const [shifted, logSum] = n.inputs as [Value, Value];
  if (n.op !== 'Sub' || logSum?.producer?.op !== 'Log') return undefined;
  const sum = logSum.producer.inputs[0]!.producer;
  const exp = sum?.op === 'Sum' ? sum.inputs[0]!.producer : undefined;
  const sub = shifted.producer;
  if (exp?.op !== 'Exp' || exp.inputs[0] !== shifted || sub?.op !== 'Sub') return undefined;
  const [x, max] = sub.inputs as [Value, Value];
  if (max.producer?.op !== 'Max' || max.producer.inputs[0] !== x || x.type.dtype !== 'float32')
    return undefined;
  const rank = x.type.shape.length;
  const axes = [
    reductionAxes(max.producer.attrs.reductionIndices, rank),
    reductionAxes(sum!.attrs.axis, rank),
  ];
  const keeps = !!max.producer.attrs.keepDims && !!sum!.attrs.keepDims;
  if (!keeps || axes.some((a) => a.length !== 1) || axes[0]![0] !== axes[1]![0]) return undefined;
  return fn.values.node('LogSoftmax', [x], { axis: axes[0]![0] }, [x.type], [], n.site);
}

/**
 * The runtime's JS `%` on float tensors, `Sign(a) * Mod(Abs(a), |b|)` (|b| an Abs, or a constant that
 * folding made non-negative), as one `JsMod(a, b)`.
 */
function jsMod(fn: IRFunction, n: Node): Node | undefined {
  if (n.op !== 'Multiply' || n.outputs[0]!.type.dtype !== 'float32') return undefined;
  const [sign, mod] = n.inputs.map((v) => v.producer) as [Node | null, Node | null];
  if (sign?.op !== 'Sign' || mod?.op !== 'Mod') return undefined;
  const a = sign.inputs[0]!;
  const [absA, absB] = mod.inputs as [Value, Value];
  if (absA.producer?.op !== 'Abs' || absA.producer.inputs[0] !== a) return undefined;
  const b =
    absB.producer?.op === 'Abs'
      ? absB.producer.inputs[0]!
      : absB.producer?.op === 'Const' &&
          Array.from(absB.producer.attrs.value as Float32Array).every((x) => x >= 0)
        ? absB
        : undefined;
  if (!b || b.type.dtype !== 'float32' || a.type.dtype !== 'float32') return undefined;
  return fn.values.node('JsMod', [a, b], {}, [n.outputs[0]!.type], [], n.site);
}

interface Flattened {
  nodes: Node[];
  results: Value[];
}

/** The taken branch of a cond on a constant. */
function constantBranch(n: Node): Flattened | undefined {
  const predicate = n.inputs[0]!.producer;
  if (predicate?.op !== 'Const') return undefined;
  const taken = (predicate.attrs.value as ArrayLike<number>)[0] ? n.regions[0]! : n.regions[1]!;
  return { nodes: taken.nodes, results: taken.results };
}

/** Both branches computed, results selected, when that is safe and cheaper than a subgraph. */
function ifConverted(fn: IRFunction, n: Node): Flattened | undefined {
  const [thenRegion, elseRegion] = n.regions as [Region, Region];
  const branchNodes = [...thenRegion.nodes, ...elseRegion.nodes];
  if (
    branchNodes.length > MAX_SPECULATED_NODES ||
    !branchNodes.every(speculatable) ||
    !n.outputs.every((o) => o.type.shape.length === 0)
  )
    return undefined;
  const predicate = n.inputs[0]!;
  const nodes = [...branchNodes];
  const results = n.outputs.map((o, i) => {
    const [a, b] = [thenRegion.results[i]!, elseRegion.results[i]!];
    if (a === b) return a;
    const [op, inputs] =
      o.type.dtype === 'bool' && b === predicate
        ? ['LogicalAnd', [predicate, a]] // p && a
        : o.type.dtype === 'bool' && a === predicate
          ? ['LogicalOr', [predicate, b]] // p || b
          : ['Select', [predicate, a, b]];
    const select = fn.values.node(op as string, inputs as Value[], {}, [o.type], [], n.site);
    nodes.push(select);
    return select.outputs[0]!;
  });
  return { nodes, results };
}

/** Safe to run when its branch is not taken: pure, never failing on values, and small. */
function speculatable(n: Node): boolean {
  const def = opDef(n.op);
  return (
    !!def &&
    def.pure &&
    !def.canFail &&
    n.regions.length === 0 &&
    n.outputs.every((o) => (sizeOf(o.type.shape) ?? Number.POSITIVE_INFINITY) <= MAX_SPECULATED_ELEMENTS)
  );
}
