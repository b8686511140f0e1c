/**
 * The compiled-JS executor (`executor: 'js'`): runs an IR function as the JS code compile.ts generates
 * for it, once per IR function and tfjs backend. Inputs are only read; outputs are new tensors, except
 * an output that is an input, which is that input (as on the tfjs executor).
 */
import type { IRFunction } from '../../ir/graph.ts';
import type { Tensor, Tf } from '../../ir/ops/index.ts';
import { type Compiled, compile } from './compile.ts';
import { type Info, Runtime } from './runtime.ts';

interface CompiledFor {
  readonly backend: unknown;
  readonly runtime: Runtime;
  readonly compiled: Compiled;
}

const cache = new WeakMap<IRFunction, Map<string, CompiledFor>>();

/** Runs `fn` on `inputs` with code compiled for the active tfjs backend. */
export function executeJs(fn: IRFunction, inputs: Tensor[], tf: Tf): Tensor[] {
  if (inputs.length !== fn.body.params.length) {
    throw new Error(`'${fn.name}' takes ${fn.body.params.length} inputs, got ${inputs.length}`);
  }
  const { runtime, compiled } = compiledFor(fn, tf);
  runtime.start();
  let outputs: Info[];
  try {
    outputs = compiled.run(...(inputs as unknown as Info[]));
  } catch (e) {
    throw runtime.runError(e);
  }
  return outputs.map((o, i) => {
    const param = fn.body.params.indexOf(fn.body.results[i]!);
    if (param < 0) return runtime.adopt(o);
    runtime.free(o);
    return inputs[param]!;
  });
}

/** The generated source of `fn` for the active backend (debugging; compiles it when needed). */
export function compiledSource(fn: IRFunction, tf: Tf): string {
  return compiledFor(fn, tf).compiled.source;
}

/** Releases the constant tensors of every compilation of `fn`. */
export function releaseCompiled(fn: IRFunction): void {
  for (const c of cache.get(fn)?.values() ?? []) for (const t of c.compiled.constants) t?.dispose();
  cache.delete(fn);
}

function compiledFor(fn: IRFunction, tf: Tf): CompiledFor {
  const backendName = tf.getBackend();
  const backend = tf.backend();
  const byBackend = cache.get(fn) ?? new Map<string, CompiledFor>();
  cache.set(fn, byBackend);
  const hit = byBackend.get(backendName);
  if (hit && hit.backend === backend) return hit;
  const runtime = new Runtime(tf, backendName);
  const entry = { backend, runtime, compiled: compile(fn, runtime) };

  byBackend.set(backendName, entry);
  return entry;
}
