/** The platform in Node: tfjs and onnxruntime-node through `require`, amaro for types, node:fs. */
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { types } from 'node:util';
import type { Ort, Platform, Tf } from './types.ts';

const require = createRequire(import.meta.url);
let tfModule: Tf | undefined;
let tfjsPath: string | null | undefined;
let amaro: typeof import('amaro') | undefined;

/** This package's code, compiled (dist/) or, through source maps, original (src/). */
const PACKAGE_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export const platform: Platform = {
  name: 'node',
  tfIfLoaded() {
    if (tfModule) return tfModule;
    if (tfjsPath === undefined) {
      try {
        tfjsPath = require.resolve('@tensorflow/tfjs-core');
      } catch {
        tfjsPath = null;
      }
    }
    return tfjsPath && require.cache[tfjsPath] ? platform.tf() : undefined;
  },
  tf: () => (tfModule ??= require('@tensorflow/tfjs-core') as Tf),
  // onnxruntime-node is CommonJS; it ignores the browser execution providers.
  ort: async () => require('onnxruntime-node') as Ort,
  stripTypes(source, file) {
    amaro ??= require('amaro') as typeof import('amaro');
    return amaro.transformSync(source, { mode: 'strip-only', filename: file }).code;
  },
  sourceLine(file, line) {
    try {
      return readFileSync(file, 'utf8').split(/\r?\n/)[line - 1];
    } catch {
      return undefined; // Not a readable file (code converted from a string).
    }
  },
  warn(message, code) {
    process.emitWarning(message, { type: 'AutoGraphWarning', code });
  },
  env: (name) => process.env[name],
  isProxy: (x) => types.isProxy(x),
  libraryDirs: [`${PACKAGE_ROOT}dist/`, `${PACKAGE_ROOT}src/`],
  writeFile: (path, bytes) => writeFile(path, bytes),
  base64: (text) => Buffer.from(text).toString('base64'),
};
