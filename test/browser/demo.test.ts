/**
 * The browser demo (examples/browser/) rendered in headless Chromium: its results (timings, chart,
 * converted code, IR) are on the page, and a screenshot of it is taken (out/browser-demo.png). Logs
 * the RNN's staged (onnxruntime-web, wasm) vs eager (tfjs wasm backend) timing in this page.
 */
import { expect, it } from 'vitest';
import { page } from 'vitest/browser';
import { runDemo } from '../../examples/browser/src/demo.ts';

it('the demo renders the RNN staged vs eager, its converted code and IR; screenshot', async () => {
  await page.viewport(1000, 1500);
  const root = document.createElement('main');
  document.body.append(root);
  const result = await runDemo(root, { reps: 5 });
  console.log(
    `RNN B=32 T=64 in the page: eager tfjs-wasm ${result.eagerMs.toFixed(1)} ms, staged onnxruntime-web (wasm) ${result.stagedMs.toFixed(1)} ms: staged ${result.speedup.toFixed(2)}× eager`,
  );
  expect(result.maxDifference).toBeLessThan(1e-4);
  expect(root.querySelectorAll('svg.chart rect')).toHaveLength(2);
  const text = root.textContent ?? '';
  expect(text).toMatch(/staged is [\d.]+× eager/);
  expect(text).toContain('ag__.forOf');
  expect(text).toMatch(/while|loop/);
  const shot = await page.screenshot({ path: '../../out/browser-demo.png', base64: true });
  // A PNG of the rendered page (a blank one compresses to a few kilobytes).
  expect(atob(shot.base64).slice(1, 4)).toBe('PNG');
  expect(shot.base64.length).toBeGreaterThan(40_000);
});
