/**
 * What autograph-ts needs from its environment, with one implementation for Node (./node.ts) and one
 * for browsers (./browser.ts). Modules import `#platform`, which package.json's `imports` field
 * resolves by condition (`browser` → browser.js, otherwise node.js), so a bundle for the browser never
 * sees a Node-only import. Both implementations are leaves: they import no other module of the package.
 */
import type * as OrtCommon from 'onnxruntime-common';

export type Tf = typeof import('@tensorflow/tfjs-core');

/** The parts of an ONNX Runtime package (onnxruntime-node or onnxruntime-web) the executor uses. */
export interface Ort {
  InferenceSession: typeof OrtCommon.InferenceSession;
  Tensor: typeof OrtCommon.Tensor;
}

export interface Platform {
  /** `'node'` or `'browser'`. */
  readonly name: 'node' | 'browser';
  /** tfjs-core if the program has loaded it already (it is not loaded for code without tensors). */
  tfIfLoaded(): Tf | undefined;
  /** tfjs-core, loaded on first use; throws when it cannot be. */
  tf(): Tf;
  /** ONNX Runtime for staged functions: onnxruntime-node, or onnxruntime-web in the browser. */
  ort(options?: { executionProviders?: readonly unknown[] }): Promise<Ort>;
  /** TypeScript with its types blanked (positions kept); throws where no stripper is available. */
  stripTypes(source: string, file: string): string;
  /** Line `line` (1-based) of the source file `file`, when the file can be read. */
  sourceLine(file: string, line: number): string | undefined;
  /** A warning for the user, with a stable code (`AUTOGRAPH_…`). */
  warn(message: string, code: string): void;
  /** An environment variable (undefined where there are none). */
  env(name: string): string | undefined;
  /** Whether `x` is a Proxy (false where that cannot be told). */
  isProxy(x: object): boolean;
  /** Prefixes of stack-frame locations that are this package's own code. */
  readonly libraryDirs: readonly string[];
  /** Writes `bytes` to the file `path`. */
  writeFile(path: string, bytes: Uint8Array): Promise<void>;
  /** `text` (UTF-8) as base64. */
  base64(text: string): string;
}
