/**
 * The package as a browser bundle sees it: dist/ bundled by esbuild under the `browser` condition
 * (tfjs and onnxruntime-web left external) pulls in no Node-only module, and the runtime entry that
 * converted code imports is part of it. Needs `npm run build` (npm test runs it first).
 */
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const entry = (path: string) => fileURLToPath(new URL(`../dist/${path}`, import.meta.url));

async function bundle(path: string) {
  const result = await build({
    entryPoints: [entry(path)],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    metafile: true,
    logLevel: 'silent',
    external: ['@tensorflow/*', 'onnxruntime-web', 'onnxruntime-web/*', 'onnxruntime-common'],
  });
  return { inputs: Object.keys(result.metafile.inputs), text: result.outputFiles[0]!.text };
}

describe('the browser entry', () => {
  for (const path of ['index.js', 'runtime/index.js']) {
    it(`${path} bundles for the browser without Node modules`, async () => {
      const { inputs, text } = await bundle(path);
      expect(inputs.filter((i) => /^node:|onnxruntime-node|amaro|platform\/node/.test(i))).toEqual([]);
      expect(inputs.some((i) => i.endsWith('dist/platform/browser.js'))).toBe(true);
      expect(text).not.toMatch(/require\(|from"node:|import\("node:/);
    });
  }
});
