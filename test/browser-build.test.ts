/**
 * The browser demo as a production bundle: `vite build` of examples/browser/ (the plugin converting
 * the model module, onnxruntime-web and its wasm emitted as assets), served by `vite preview` and
 * run in headless Chromium (Playwright, Debian's chromium-headless-shell): the page stages the RNN
 * and shows its results. Needs `npm run build`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright';
import { build, preview } from 'vite';
import { afterAll, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../examples/browser', import.meta.url));
const outDir = mkdtempSync(join(tmpdir(), 'ag-demo-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

it('the demo built by vite runs in Chromium: ag.stage on onnxruntime-web from a bundle', async () => {
  await build({ root, logLevel: 'silent', build: { outDir, emptyOutDir: true } });
  const server = await preview({ root, logLevel: 'silent', build: { outDir }, preview: { port: 0 } });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium-headless-shell',
    args: ['--no-sandbox'],
  });
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(server.resolvedUrls!.local[0]!);
    await page.waitForSelector('.speedup', { timeout: 120_000 });
    expect(await page.textContent('.speedup')).toMatch(
      /staged is [\d.]+× eager .* difference between their results \d/,
    );
    // The twin as the bundle holds it (minified), with its loop's location in the model's source.
    expect(await page.textContent('main')).toMatch(/examples\/browser\/src\/model\.ts:21:5/);
    expect(errors).toEqual([]);
  } finally {
    await browser.close();
    await server.close();
  }
});
