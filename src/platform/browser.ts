/**
 * The platform in browsers (and other bundled, non-Node environments): tfjs-core imported (the
 * bundler resolves it to the app's own copy), onnxruntime-web imported when a staged function first
 * runs (a separate chunk), no file system. TypeScript is compiled by the bundler: functions converted
 * at run time (`ag.convert` without the bundler plugin) must be JavaScript already.
 */
import * as tfjs from '@tensorflow/tfjs-core';
import type { Ort, Platform, Tf } from './types.ts';

let ortAll: Promise<Ort> | undefined;
let ortDefault: Promise<Ort> | undefined;

/**
 * Where this package's modules are served from (`…/dist/` or `…/src/`), to tell its stack frames
 * from the user's; nothing when the package was bundled into the app's own chunks.
 */
const ownDir = new URL('..', import.meta.url).href;

const named = (ep: unknown) => (typeof ep === 'string' ? ep : (ep as { name?: string })?.name);

export const platform: Platform = {
  name: 'browser',
  tfIfLoaded: () => tfjs as Tf,
  tf: () => tfjs as Tf,
  ort(options) {
    // The default build has the wasm and WebGPU execution providers; WebGL is only in the full one.
    if (options?.executionProviders?.some((ep) => named(ep) === 'webgl'))
      return (ortAll ??= import('onnxruntime-web/all') as Promise<Ort>);
    return (ortDefault ??= import('onnxruntime-web') as Promise<Ort>);
  },
  stripTypes(_source, file) {
    throw new Error(
      `${file}: TypeScript cannot be converted at run time in the browser; compile it first (the bundler does, and autograph-ts/vite converts it at build time)`,
    );
  },
  sourceLine: () => undefined,
  warn(message, code) {
    console.warn(`AutoGraphWarning [${code}]: ${message}`);
  },
  env: () => undefined,
  isProxy: () => false,
  libraryDirs: /\/(dist|src)\/$/.test(ownDir) ? [ownDir] : [],
  async writeFile() {
    throw new Error(
      'files cannot be written in the browser: use exportOnnxBytes and save the bytes (a Blob)',
    );
  },
  base64(text) {
    let binary = '';
    for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
    return btoa(binary);
  },
};
