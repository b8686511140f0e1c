/**
 * The tfjs executor: interprets an IR function with tfjs kernels on the active tfjs backend — every
 * op through its registered eager execution, `cond` by reading the predicate, `while` by looping.
 */
import type { IRFunction, Region, Value } from '../../ir/graph.ts';
import { opDef, type Tensor, type Tf } from '../../ir/ops/index.ts';

export function execute(fn: IRFunction, inputs: Tensor[], tf: Tf): Tensor[] {
  if (inputs.length !== fn.body.params.length) {
    throw new Error(`'${fn.name}' takes ${fn.body.params.length} inputs, got ${inputs.length}`);
  }
  // Everything made while running is released; only the results survive.
  return tf.tidy(() => run(fn.body, inputs, new Map(), tf));
}

function run(region: Region, args: Tensor[], outer: ReadonlyMap<Value, Tensor>, tf: Tf): Tensor[] {
  const env = new Map(outer);
  region.params.forEach((p, i) => env.set(p, args[i]!));
  const get = (v: Value) => env.get(v)!;
  for (const n of region.nodes) {
    let outputs: Tensor[];
    if (n.op === 'cond') {
      const taken = readBool(get(n.inputs[0]!)) ? n.regions[0]! : n.regions[1]!;
      outputs = run(taken, [], env, tf);
    } else if (n.op === 'while') {
      const [test, body] = n.regions as [Region, Region];
      let carried = n.inputs.map(get);
      const trips = (n.attrs.tripCount as number | undefined) ?? Number.POSITIVE_INFINITY;
      for (let k = 0; k < trips && readBool(run(test, carried, env, tf)[0]!); k++)
        carried = run(body, carried, env, tf);
      outputs = carried;
    } else {
      outputs = opDef(n.op)!.eager(tf, n.inputs.map(get), n.attrs);
    }
    n.outputs.forEach((o, i) => env.set(o, outputs[i]!));
  }
  return region.results.map(get);
}

const readBool = (t: Tensor) => t.dataSync()[0] !== 0;
