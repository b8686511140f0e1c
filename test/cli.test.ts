import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = (...args: string[]) =>
  spawnSync(process.execPath, ['dist/cli/main.js', ...args], { cwd: root, encoding: 'utf8' });

describe('autograph CLI', () => {
  it('convert prints a function in graph form by default and in eager form on request', () => {
    const graph = cli('convert', 'examples/showcase.ts', '--fn', 'collatzSteps');
    expect(graph.status, graph.stderr).toBe(0);
    expect(graph.stdout).toContain('// collatzSteps');
    expect(graph.stdout).toContain('ag__.while_(');
    const eager = cli('convert', 'examples/showcase.ts', '--fn', 'collatzSteps', '--form', 'eager');
    expect(eager.stdout).toMatch(/while \(typeof n === "number" \? n > 1 : ag__\.truthy/);
  });

  it('convert reports a function that cannot be converted, with its location', () => {
    const r = cli('convert', 'examples/showcase.ts', '--fn', 'main');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /'main' cannot be converted: .*showcase\.ts:\d+:1: async functions cannot be converted/,
    );
  });

  it('bad usage exits 2 with the usage text', () => {
    for (const args of [
      ['bogus'],
      ['convert'],
      ['convert', 'examples/showcase.ts', '--fn', 'nope'],
      ['convert', 'x.ts', '--form', 'fast'],
    ]) {
      const r = cli(...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toContain('usage:');
    }
  });

  it('run executes a program under the loader', () => {
    const r = cli('run', 'examples/quickstart.ts');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('[ 2.5, 4 ]');
  });
});

/** `autograph export` of the fixture's `settle` with this tensor signature and 20 steps. */
function exportSettle(signature: string): { r: ReturnType<typeof cli>; out: string } {
  const out = join(mkdtempSync(join(tmpdir(), 'ag-export-')), 'settle.onnx');
  const r = cli(
    'export',
    'test/fixtures/export-app/model.ts',
    '--fn',
    'settle',
    '--input',
    signature,
    '--input',
    '20',
    '-o',
    out,
  );
  return { r, out };
}

describe('autograph export', () => {
  it('stages an exported function of a module and writes a model that ONNX Runtime runs', async () => {
    const { r, out } = exportSettle('float32[1,2]');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`wrote ${out}: settle(float32[1,2], 20)`);
    const { InferenceSession, Tensor } = await import('onnxruntime-node');
    const session = await InferenceSession.create(readFileSync(out));
    const x = [-0.9, 0.4];
    const result = await session.run({ input0: new Tensor('float32', Float32Array.from(x), [1, 2]) });
    const expected = settleByHand(x, 20).map((v) => expect.closeTo(v, 7));
    expect(Array.from(result.output0!.data as Float32Array)).toEqual(expected);
    await session.release();
  });

  it('exports dynamic dims (--input float32[batch,2]) as a dim_param: the model runs at any batch', async () => {
    const { r, out } = exportSettle('float32[batch,2]');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('settle(float32[batch,2], 20)');
    const { InferenceSession, Tensor } = await import('onnxruntime-node');
    const session = await InferenceSession.create(readFileSync(out));
    for (const rows of [
      [[-0.9, 0.4]],
      [
        [-0.9, 0.4],
        [0.3, 0.2],
        [1, -1],
      ],
    ]) {
      const input = new Tensor('float32', Float32Array.from(rows.flat()), [rows.length, 2]);
      const result = (await session.run({ input0: input })).output0!;
      expect(result.dims).toEqual([rows.length, 2]);
      const expected = settleByHand(rows, 20).map((v) => expect.closeTo(v, 6));
      expect(Array.from(result.data as Float32Array)).toEqual(expected);
    }
    await session.release();
  });

  it('explains a missing function, a bad signature and missing options', () => {
    const missing = cli('export', 'test/fixtures/export-app/model.ts', '--fn', 'nope', '-o', '/tmp/x.onnx');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain("has no exported function 'nope' (exported functions: settle)");
    const bad = cli(
      'export',
      'test/fixtures/export-app/model.ts',
      '--fn',
      'settle',
      '--input',
      'f32[2]',
      '-o',
      'x',
    );
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("--input 'f32[2]' is neither a tensor signature");
    const noOutput = cli('export', 'test/fixtures/export-app/model.ts', '--fn', 'settle');
    expect(noOutput.status).toBe(2);
    expect(noOutput.stderr).toContain('export needs -o <model.onnx>');
  });
});

/** The fixture's `settle` in float32 tfjs, step by step, without autograph. */
function settleByHand(start: number[] | number[][], steps: number): number[] {
  const W = tf.tensor2d([
    [0.5, -0.25],
    [0.125, 0.5],
  ]);
  let x: tf.Tensor = tf.tensor2d(Array.isArray(start[0]) ? (start as number[][]) : [start as number[]]);
  for (let i = 0; i < steps; i++) {
    const next = tf.tanh(tf.matMul(x, W));
    if (tf.max(tf.abs(tf.sub(next, x))).dataSync()[0]! < 1e-4) break;
    x = next;
  }
  if (tf.sum(x).dataSync()[0]! < 0) x = tf.neg(x);
  return Array.from(x.dataSync());
}
