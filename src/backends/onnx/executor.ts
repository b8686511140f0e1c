/**
 * The ONNX Runtime executor: one InferenceSession per IR function, created on first use, cached, and
 * released with `release`. Tensors cross between tfjs and ORT as the typed arrays they already are.
 * ONNX Runtime is onnxruntime-node in Node and onnxruntime-web in the browser (`#platform`), or the
 * module given to `setOnnxRuntime`.
 */
import { platform } from '#platform';
import type { InferenceSession, Tensor as OrtTensor } from 'onnxruntime-common';
import { ExecutionError, locatedMessage } from '../../errors.ts';
import type { IRFunction } from '../../ir/graph.ts';
import type { Tensor, Tf } from '../../ir/ops/index.ts';
import { tooDeep } from '../../ir/ops/recursion.ts';
import type { Ort } from '../../platform/types.ts';
import { type LoweredModel, lowerFunction } from './lower.ts';
import { decodePrints, PRINT_LOG_OUTPUT } from './prints.ts';

type OrtSession = InferenceSession;
export type { Ort as OnnxRuntime };
let userOrt: Ort | undefined;

/**
 * Runs staged functions on `ort` (a module of onnxruntime-node, onnxruntime-web or one of its builds:
 * `import * as ort from 'onnxruntime-web/webgpu'`, configured as the app likes); `undefined` returns
 * to the platform's own (onnxruntime-node in Node, onnxruntime-web in the browser). Sessions already
 * created keep theirs.
 */
export function setOnnxRuntime(ort: Ort | undefined): void {
  userOrt = ort;
}

interface Loaded {
  model: LoweredModel;
  ort: Ort | undefined;
  session: Promise<OrtSession>;
}

const loaded = new WeakMap<IRFunction, Loaded>();

export type SessionOptions = InferenceSession.SessionOptions;

/**
 * Added to every session's options: ONNX Runtime's log off but for fatal errors (failures come back
 * as ExecutionErrors, and the graph optimizer's notes are not for users). Everything else is ONNX
 * Runtime's default (all cores for intra-op threads) unless the user asks otherwise.
 */
const QUIET: SessionOptions = { logSeverityLevel: 4 };
let defaults: SessionOptions = {};

/** The ONNX Runtime session options of staged functions that give none (`ag.setSessionOptions`). */
export function setDefaultSessionOptions(options: SessionOptions): void {
  defaults = { ...options };
}

/** The options a session is created with: `options` (a staged function's own) or the defaults. */
export const sessionOptions = (options?: SessionOptions): SessionOptions => ({
  ...QUIET,
  ...(platform.name === 'browser' ? BROWSER : {}),
  ...(options ?? defaults),
});

/** In the browser, the wasm execution provider unless the options name others (`webgpu`, `webgl`). */
const BROWSER: SessionOptions = { executionProviders: ['wasm'] };

function load(fn: IRFunction, options?: SessionOptions): Loaded {
  let entry = loaded.get(fn);
  if (!entry) {
    const model = lowerFunction(fn);
    const opts = sessionOptions(options);
    const created: Loaded = { model, ort: undefined, session: undefined as never };
    created.session = (userOrt ? Promise.resolve(userOrt) : platform.ort(opts))
      .then((ort) => {
        created.ort = ort;
        return ort.InferenceSession.create(model.bytes, opts);
      })
      .catch((e: Error) => {
        throw new ExecutionError(`ONNX Runtime could not load '${fn.name}': ${e.message}`);
      });
    entry = created;
    loaded.set(fn, entry);
  }
  return entry;
}

/**
 * Runs `fn` on ONNX Runtime (its session created on first use with `options`, see `sessionOptions`);
 * prints it staged are logged after the run, in order.
 */
export async function executeOnnx(
  fn: IRFunction,
  inputs: Tensor[],
  tf: Tf,
  options?: SessionOptions,
): Promise<Tensor[]> {
  const entry = load(fn, options);
  const { model } = entry;
  const s = await entry.session;
  const ort = entry.ort!;
  const feeds: Record<string, OrtTensor> = {};
  inputs.forEach((t, i) => {
    // On the cpu backend this is the tensor's own array, not a copy.
    const data = t.dataSync() as Float32Array | Int32Array | Uint8Array;
    feeds[`input${i}`] = new ort.Tensor(t.dtype as 'float32', data as Float32Array, t.shape);
  });
  let results: Record<string, OrtTensor>;
  try {
    results = await s.run(feeds);
  } catch (e) {
    throw executionError(fn, model, (e as Error).message);
  }
  const log = results[PRINT_LOG_OUTPUT];
  if (log)
    for (const line of decodePrints(log.data as Float64Array, model.printSites, tf)) console.log(...line);
  return fn.body.results.map((v, i) => {
    const out = results[`output${i}`]!;
    // A typed array of the tensor's own dtype: tfjs keeps it as the tensor's storage.
    // Its run-time shape: the type's shape may have dynamic dims.
    return tf.tensor(out.data as Float32Array, out.dims.map(Number), v.type.dtype);
  });
}

/** Releases the session of `fn`, if one was created. */
export async function releaseSession(fn: IRFunction): Promise<void> {
  const entry = loaded.get(fn);
  if (!entry) return;
  loaded.delete(fn);
  const s = await entry.session.catch(() => null);
  await s?.release();
}

/**
 * ONNX Runtime names the failing node (`Name:'GatherV2#12.0'`, the innermost one last when it fails
 * inside a Loop or If): the error names the staged op and the user's line that produced it.
 */
function executionError(fn: IRFunction, model: LoweredModel, message: string): ExecutionError {
  const names = [...message.matchAll(/Name:'([^']*)'/g)].map((m) => m[1]!);
  const irNode = names.map((n) => model.sources.get(n)).findLast((n) => n !== undefined);
  const status = message.match(/Status Message: ([\s\S]*)$/)?.[1]?.trim() ?? message;
  if (!irNode) return new ExecutionError(`ONNX Runtime failed running '${fn.name}': ${message}`);
  if (irNode.op === 'RecursionGuard')
    return new ExecutionError(
      locatedMessage(tooDeep(irNode.attrs.limit as number, irNode.attrs.callee as string), irNode.where),
    );
  const onnxOp = message.match(/running (\w+) node\. Name:'[^']*' Status Message: (?![\s\S]*Name:')/)?.[1];
  const reason = `ONNX Runtime failed in the staged op '${irNode.op}'${onnxOp && onnxOp !== irNode.op ? ` (ONNX ${onnxOp})` : ''} of '${fn.name}': ${status}`;
  return new ExecutionError(locatedMessage(reason, irNode.where));
}
