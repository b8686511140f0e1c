/**
 * Constant folding: a pure node whose inputs are all constants (or whose result depends only on its
 * inputs' types, like ZerosLike) is run once, at compile time, with the op's own tfjs execution, and
 * replaced by a constant.
 */
import { type ConstData, constData, type IRFunction, type Node, type Region, type Value } from '../graph.ts';
import { opDef, type Tf } from '../ops/index.ts';
import { isStatic, sizeOf } from '../types.ts';
import { replaceUses } from './rewrite.ts';

/** Results larger than this stay computed at run time, so that folding never bloats a model. */
const MAX_FOLDED_ELEMENTS = 4096;

export function foldConstants(fn: IRFunction, tf: Tf): void {
  visit(fn, fn.body, tf);
}

function visit(fn: IRFunction, region: Region, tf: Tf): void {
  const replacement = new Map<Value, Value>();
  region.nodes = region.nodes.map((n) => {
    n.inputs = n.inputs.map((v) => replacement.get(v) ?? v);
    for (const r of n.regions) {
      replaceUses(r, replacement);
      visit(fn, r, tf);
    }
    const folded = foldable(n) ? fold(fn, n, tf) : undefined;
    if (!folded) return n;
    replacement.set(n.outputs[0]!, folded.outputs[0]!);
    return folded;
  });
  region.results = region.results.map((v) => replacement.get(v) ?? v);
}

function foldable(n: Node): boolean {
  const def = opDef(n.op);
  return (
    n.op !== 'Const' &&
    !!def?.pure &&
    n.regions.length === 0 &&
    n.outputs.length === 1 &&
    // (a dynamic dim has no size at compile time: constants are static, and so is what they fold to)
    (sizeOf(n.outputs[0]!.type.shape) ?? Number.POSITIVE_INFINITY) <= MAX_FOLDED_ELEMENTS &&
    // an op reading only its inputs' types folds when those are static (its stand-in inputs are zeros)
    (def.readsOnlyTypes
      ? n.inputs.every((v) => isStatic(v.type.shape))
      : n.inputs.every((v) => v.producer?.op === 'Const'))
  );
}

function fold(fn: IRFunction, n: Node, tf: Tf): Node {
  const def = opDef(n.op)!;
  const value = tf.tidy(() => {
    const inputs = n.inputs.map(
      (v) =>
        v.producer?.op === 'Const'
          ? opDef('Const')!.eager(tf, [], v.producer.attrs)[0]!
          : tf.zeros([...(v.type.shape as number[])], v.type.dtype), // a stand-in (static, see foldable): only its type is read
    );
    return def.eager(tf, inputs, n.attrs)[0]!.dataSync() as ConstData;
  });
  const { dtype, shape } = n.outputs[0]!.type;
  // A fresh array of the output's own element type: tfjs may keep an int32 array behind a float32
  // tensor (a Cast that did not convert its storage) or share a backend buffer.
  const typed = constData(dtype, value);
  return fn.values.node('Const', [], { value: typed, dtype, shape }, [n.outputs[0]!.type], [], n.site);
}
