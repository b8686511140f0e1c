/**
 * The browser suite (test/browser/): Vitest browser mode in Debian's chromium-headless-shell, driven by
 * Playwright (no browser download). The package is used as an app bundles it: 'autograph-ts' resolves
 * to dist/ under the `browser` condition (its `#platform` is the browser one: onnxruntime-web, no
 * Node imports), and autograph-ts/vite converts the modules that opt in. `npm run build` first.
 */
import { fileURLToPath } from 'node:url';
import { playwright } from '@vitest/browser-playwright';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';
import autograph from './dist/plugin/vite.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * bench/handbuilt/onnx.ts loads onnxruntime-node when imported; the page imports the bench workloads
 * for their programs and never runs the hand-built graphs: `node:module` is a stub there, whose
 * `require` returns an empty module.
 */
const nodeModuleStub: Plugin = {
  name: 'node-module-stub',
  enforce: 'pre',
  resolveId: (id) => (id === 'node:module' ? '\0node-module-stub' : undefined),
  load: (id) => (id === '\0node-module-stub' ? 'export const createRequire = () => () => ({});' : undefined),
};

export default defineConfig({
  plugins: [autograph(), nodeModuleStub],
  resolve: {
    alias: [
      { find: /^autograph-ts$/, replacement: here('./dist/index.js') },
      { find: /^autograph-ts\/runtime$/, replacement: here('./dist/runtime/index.js') },
    ],
  },
  optimizeDeps: {
    include: [
      '@tensorflow/tfjs-core',
      '@tensorflow/tfjs-backend-cpu',
      '@tensorflow/tfjs-backend-wasm',
      'acorn',
      'astring',
      'source-map',
      'protobufjs',
    ],
    // Its wasm files are found next to its own module (import.meta.url): served from node_modules as is.
    exclude: ['onnxruntime-web'],
  },
  test: {
    include: ['test/browser/**/*.test.ts'],
    globalSetup: ['test/browser/expected.ts'],
    testTimeout: 60_000,
    // One file at a time, in one page: the demo's timings are not shared with other pages, and the
    // package's modules load once (each file sets the tfjs backend it uses).
    fileParallelism: false,
    isolate: false,
    browser: {
      enabled: true,
      headless: true,
      screenshotFailures: false,
      provider: playwright({
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium-headless-shell',
          args: ['--no-sandbox', '--enable-unsafe-webgpu'],
        },
      }),
      instances: [{ browser: 'chromium' }],
    },
  },
});
