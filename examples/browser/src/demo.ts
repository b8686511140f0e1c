/**
 * The demo page: the model's source, its converted code, its staged IR, and staged (onnxruntime-web,
 * wasm) vs eager (tfjs, wasm backend) timings with a chart. `runDemo` renders into `root` and returns
 * the numbers (the screenshot test calls it with few repetitions).
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import './style.css';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import * as ag from 'autograph-ts';
import { FEATURES, HIDDEN, makeRnn } from './model.ts';
import modelSource from './model.ts?raw';

export interface DemoOptions {
  batch?: number;
  steps?: number;
  /** Timed calls of each variant (after one warm-up call each). */
  reps?: number;
}

export interface DemoResult {
  eagerMs: number;
  stagedMs: number;
  /** eager / staged: how many times faster the staged function is. */
  speedup: number;
  maxDifference: number;
}

setWasmPaths({
  'tfjs-backend-wasm.wasm': wasm,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
});

/** Seeded uniform numbers in [-scale, scale). */
function uniform(n: number, scale: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let r = Math.imul(s ^ (s >>> 15), 1 | s);
    r ^= r + Math.imul(r ^ (r >>> 7), 61 | r);
    return ((((r ^ (r >>> 14)) >>> 0) / 4294967296) * 2 - 1) * scale;
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function section(root: HTMLElement, title: string, body: string | Node): HTMLElement {
  const el = document.createElement('section');
  const h = document.createElement('h2');
  h.textContent = title;
  el.append(h);
  if (typeof body === 'string') {
    const pre = document.createElement('pre');
    pre.textContent = body;
    el.append(pre);
  } else el.append(body);
  root.append(el);
  return el;
}

/** A horizontal bar chart of milliseconds, as SVG. */
function chart(bars: { label: string; ms: number; kind: string }[]): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const width = 560;
  const rowHeight = 44;
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${bars.length * rowHeight + 10}`);
  svg.setAttribute('width', String(width));
  svg.classList.add('chart');
  const max = Math.max(...bars.map((b) => b.ms));
  bars.forEach((b, i) => {
    const y = 5 + i * rowHeight;
    const label = document.createElementNS(ns, 'text');
    label.setAttribute('x', '0');
    label.setAttribute('y', String(y + 24));
    label.textContent = b.label;
    const rect = document.createElementNS(ns, 'rect');
    rect.setAttribute('x', '200');
    rect.setAttribute('y', String(y + 6));
    rect.setAttribute('height', '26');
    rect.setAttribute('width', String(Math.max(2, (b.ms / max) * 280)));
    rect.setAttribute('class', b.kind);
    const value = document.createElementNS(ns, 'text');
    value.setAttribute('x', String(206 + (b.ms / max) * 280));
    value.setAttribute('y', String(y + 24));
    value.textContent = `${b.ms.toFixed(1)} ms`;
    svg.append(label, rect, value);
  });
  return svg;
}

/** Stages the RNN, times it against eager tfjs on the wasm backend, and renders everything into `root`. */
export async function runDemo(root: HTMLElement, options: DemoOptions = {}): Promise<DemoResult> {
  const { batch = 32, steps = 64, reps = 7 } = options;
  root.replaceChildren();
  const header = document.createElement('header');
  header.innerHTML = `<h1>autograph-ts in the browser</h1><p>A plain TypeScript RNN (batch ${batch}, ${steps} steps, hidden ${HIDDEN}), converted by <code>autograph-ts/vite</code>, staged with <code>ag.stage</code> and run on onnxruntime-web (wasm), against the same function run eagerly on tfjs's wasm backend.</p>`;
  root.append(header);
  const status = document.createElement('p');
  status.className = 'status';
  status.textContent = 'Running…';
  root.append(status);

  await tf.setBackend('wasm');
  const U = tf.tensor2d(uniform(FEATURES * HIDDEN, 1 / Math.sqrt(FEATURES), 1), [FEATURES, HIDDEN]);
  const W = tf.tensor2d(uniform(HIDDEN * HIDDEN, 1 / Math.sqrt(HIDDEN), 2), [HIDDEN, HIDDEN]);
  const b = tf.tensor1d(uniform(HIDDEN, 0.1, 3));
  const rnn = makeRnn(U, W, b, batch);
  const xs = tf.tensor3d(uniform(steps * batch * FEATURES, 1, 4), [steps, batch, FEATURES]);
  const lengths = tf.tensor2d(
    Int32Array.from({ length: batch }, (_, i) => steps - (i % (steps / 2))),
    [batch, 1],
    'int32',
  );

  const eager = ag.convert(rnn);
  const staged = ag.stage(rnn);
  const runEager = async () => {
    const h = tf.tidy(() => eager(xs, lengths) as tf.Tensor);
    await h.data();
    return h;
  };
  const runStaged = async () => (await staged(xs, lengths)) as tf.Tensor;
  const [e0, s0] = [await runEager(), await runStaged()];
  const [ev, sv] = [e0.dataSync(), s0.dataSync()];
  let maxDifference = 0;
  for (let i = 0; i < ev.length; i++) maxDifference = Math.max(maxDifference, Math.abs(ev[i]! - sv[i]!));
  tf.dispose([e0, s0]);

  const times = { eager: [] as number[], staged: [] as number[] };
  for (let r = 0; r < reps; r++) {
    for (const [kind, run] of [
      ['eager', runEager],
      ['staged', runStaged],
    ] as const) {
      const start = performance.now();
      const out = await run();
      times[kind].push(performance.now() - start);
      out.dispose();
    }
  }
  const result: DemoResult = {
    eagerMs: median(times.eager),
    stagedMs: median(times.staged),
    speedup: median(times.eager) / median(times.staged),
    maxDifference,
  };

  status.remove();
  const summary = document.createElement('div');
  summary.className = 'results';
  summary.append(
    chart([
      { label: 'eager (tfjs wasm)', ms: result.eagerMs, kind: 'eager' },
      { label: 'staged (ORT web, wasm)', ms: result.stagedMs, kind: 'staged' },
    ]),
  );
  const note = document.createElement('p');
  note.className = 'speedup';
  note.textContent = `staged is ${result.speedup.toFixed(2)}× eager (median of ${reps} calls each); largest difference between their results ${result.maxDifference.toExponential(1)}`;
  summary.append(note);
  section(root, 'Staged vs eager', summary);
  section(root, 'The model step (src/model.ts)', modelSource);
  section(root, 'Converted code (ag.toCode)', ag.toCode(rnn));
  section(root, 'Staged IR (staged.graph)', staged.graph(xs, lengths));
  await staged.dispose();
  tf.dispose([U, W, b, xs, lengths]);
  return result;
}
