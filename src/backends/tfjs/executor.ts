/**
 * The tfjs executor: interprets an IR function with tfjs kernels on the active tfjs backend — every
 * op through its registered eager execution, `cond` by reading the predicate, `while` by looping,
 * `call` by running the callee (recursion is JS recursion here).
 */
import { calleeOf, type IRFunction, type Node, type Region, scanCount, type Value } from '../../ir/graph.ts';
import { opDef, type Tensor, type Tf } from '../../ir/ops/index.ts';
import { overflowedInJs, tooDeepInJs } from '../../ir/ops/recursion.ts';
import { isStackOverflow } from '../../errors.ts';

export function execute(fn: IRFunction, inputs: Tensor[], tf: Tf): Tensor[] {
  if (inputs.length !== fn.body.params.length) {
    throw new Error(`'${fn.name}' takes ${fn.body.params.length} inputs, got ${inputs.length}`);
  }
  // Everything made while running is released; only the results survive.
  const context: Run = { fn, tf, constants: new Map(), depth: 0 };
  try {
    return tf.tidy(() => run(context, fn.body, inputs, new Map()));
  } catch (e) {
    // (reported here, where the stack has room again)
    const at = context.overflow;
    if (at && isStackOverflow(e)) throw overflowedInJs(at.call, at.depth, 'tfjs', e);
    throw e;
  }
}

/**
 * How deep staged recursion goes on this executor: each call is a JS recursion several frames deep,
 * and Node's default stack ends at about 1,000 (an overflow there is reported too, but where it
 * strikes, a tfjs engine scope may fail first with an error of its own).
 */
export const TFJS_RECURSION_DEPTH_LIMIT = 500;

/** One run: the graph, tfjs, the constants made so far (a recursive callee's are made once), the calls active. */
interface Run {
  fn: IRFunction;
  tf: Tf;
  constants: Map<Node, Tensor[]>;
  depth: number;
  /** The innermost call active when the JS stack overflowed, and its depth. */
  overflow?: { call: Node; depth: number };
}

/** A call: its callee's body run on `args`; recursion deeper than the limit (or than the JS stack) fails the run. */
function call(context: Run, n: Node, args: Tensor[]): Tensor[] {
  if (context.depth >= TFJS_RECURSION_DEPTH_LIMIT) throw tooDeepInJs(n, TFJS_RECURSION_DEPTH_LIMIT, 'tfjs');
  context.depth++;
  try {
    return run(context, calleeOf(context.fn, n).body, args, new Map());
  } catch (e) {
    if (e instanceof RangeError && /call stack/.test(e.message))
      context.overflow ??= { call: n, depth: context.depth };
    throw e;
  } finally {
    context.depth--;
  }
}

function run(context: Run, region: Region, args: Tensor[], outer: ReadonlyMap<Value, Tensor>): Tensor[] {
  const { fn, tf, constants } = context;
  const env = new Map(outer);
  region.params.forEach((p, i) => env.set(p, args[i]!));
  const get = (v: Value) => env.get(v)!;
  for (const n of region.nodes) {
    let outputs: Tensor[];
    if (n.op === 'cond') {
      const taken = readBool(get(n.inputs[0]!)) ? n.regions[0]! : n.regions[1]!;
      outputs = run(context, taken, [], env);
    } else if (n.op === 'while') {
      const [test, body] = n.regions as [Region, Region];
      let carried = n.inputs.map(get);
      const count = carried.length;
      // each iteration's scan values (graph.ts), stacked once the loop ends
      const scans: Tensor[][] = Array.from({ length: scanCount(n) }, () => []);
      const trips = (n.attrs.tripCount as number | undefined) ?? Number.POSITIVE_INFINITY;
      for (let k = 0; k < trips && readBool(run(context, test, carried, env)[0]!); k++) {
        const results = run(context, body, carried, env);
        carried = results.slice(0, count);
        results.slice(count).forEach((v, i) => scans[i]!.push(v));
      }
      const stacked = scans.map((rows, i) => {
        if (rows.length) return tf.stack(rows);
        // no iteration: [0, ...element], a dynamic dim of the element 0 (as ONNX Runtime's Loop does)
        const { dtype, shape } = n.outputs[count + i]!.type;
        return tf.zeros(
          shape.map((d) => d ?? 0),
          dtype,
        );
      });
      outputs = [...carried, ...stacked];
    } else if (n.op === 'call') {
      outputs = call(context, n, n.inputs.map(get));
    } else if (n.op === 'Const') {
      let made = constants.get(n);
      if (!made) constants.set(n, (made = opDef(n.op)!.eager(tf, [], n.attrs)));
      outputs = made;
    } else {
      outputs = opDef(n.op)!.eager(tf, n.inputs.map(get), n.attrs);
    }
    n.outputs.forEach((o, i) => env.set(o, outputs[i]!));
  }
  return region.results.map(get);
}

const readBool = (t: Tensor) => t.dataSync()[0] !== 0;
