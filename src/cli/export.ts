/**
 * The worker of `autograph export`, run by the CLI under the loader (so the module's functions are
 * converted with their closures): imports the module, stages the named export on tensors of the
 * given signatures and writes the ONNX model. Arguments: one JSON object (see ExportRequest).
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { AutoGraphError } from '../errors.ts';
import { tf } from '../runtime/tensors.ts';
import { STAGING_BACKEND } from '../staging/recording-backend.ts';
import { type SpecDim, spec, TensorSpec } from '../staging/spec.ts';
import { stage } from '../staging/stage.ts';

/** An argument of the exported function: a tensor signature, or a JS value fixed at export time. */
export type ExportArgument = { dtype: 'float32' | 'int32' | 'bool'; shape: SpecDim[] } | { value: unknown };

export interface ExportRequest {
  file: string;
  fn: string;
  args: ExportArgument[];
  output: string;
}

async function exportModel({ file, fn, args, output }: ExportRequest): Promise<void> {
  const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const target = module[fn];
  if (typeof target !== 'function') {
    const found = Object.keys(module).filter((k) => typeof module[k] === 'function');
    throw new AutoGraphError(
      `${file} has no exported function '${fn}' (exported functions: ${found.join(', ') || 'none'})`,
    );
  }
  await ensureBackend(file);
  const values = args.map((a) => ('value' in a ? a.value : spec(a.shape, a.dtype)));
  const staged = stage(target as (...a: unknown[]) => unknown);
  await staged.exportOnnx(values, output);
  const signature = values.map((v) => (v instanceof TensorSpec ? String(v) : JSON.stringify(v)));
  console.log(`wrote ${output}: ${fn}(${signature.join(', ')}); inputs input0…, outputs output0…`);
  await staged.dispose();
}

/** Input tensors need a tfjs backend: the module's own, else tfjs's cpu backend beside it. */
async function ensureBackend(file: string): Promise<void> {
  const t = tf();
  const backends = Object.keys(t.engine().registryFactory).filter((b) => b !== STAGING_BACKEND);
  if (backends.length === 0) {
    try {
      createRequire(file)('@tensorflow/tfjs-backend-cpu');
    } catch {
      throw new AutoGraphError(
        `no tfjs backend is registered: import '@tensorflow/tfjs' or '@tensorflow/tfjs-backend-cpu' in ${file}`,
      );
    }
  }
  await t.ready();
}

try {
  await exportModel(JSON.parse(process.argv[2]!) as ExportRequest);
} catch (e) {
  console.error(e instanceof AutoGraphError ? `autograph export: ${e.name}: ${e.message}` : e);
  process.exitCode = 1;
}
