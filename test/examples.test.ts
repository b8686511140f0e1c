import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const run = (file: string) =>
  spawnSync(process.execPath, ['--import', 'autograph-ts/register', file], { cwd: root, encoding: 'utf8' });

describe('examples run under the loader as the README says', () => {
  it('quick start prints what the README shows', () => {
    const r = run('examples/quickstart.ts');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('[ 2.5, 4 ]');
    expect(r.stdout).toMatch(/Tensor\s+2\.5\n4\n/);
    expect(r.stdout).toContain('ag__.while_(() => ag__.gt(x, limit)');
  });

  it('the showcase (npm start) agrees between original, converted and eager-tensor runs', () => {
    const r = run('examples/showcase.ts');
    expect(r.status, r.stderr).toBe(0);
    const rows = r.stdout.split('\n').filter((l) => /^(n|limit)=/.test(l));
    expect(rows).toHaveLength(8);
    for (const row of rows) {
      const values = [...row.matchAll(/(?:original|converted|tensor|tf\.scalar) (?:tensor )?(-?\d+)/g)].map(
        (m) => m[1],
      );
      expect(values, row).toHaveLength(3);
      expect(new Set(values).size, row).toBe(1);
    }
    expect(r.stdout).toContain('TensorConditionError: ');
    // Part 2: the staged RNN, its IR, agreement of the three runs, timings and the exported model
    expect(r.stdout.match(/= while\(/g)).toHaveLength(1);
    for (const executor of ['ONNX Runtime', 'tfjs executor']) {
      const gap = new RegExp(`max \\|staged on ${executor} - eager\\| = (\\S+)`).exec(r.stdout);
      expect(Number(gap?.[1]), executor).toBeLessThan(1e-5);
    }
    expect(r.stdout).toMatch(/staged, ONNX Runtime +\d+\.\d+ ms/);
    expect(r.stdout).toContain('wrote out/rnn.onnx');
  });

  it('the staging example traces one while loop and returns what eager code would', () => {
    const r = run('examples/staging.ts');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Tensor\s+\[0\.25, 0\.25, 0\.25, 0\.25\]\nTensor\s+2\n/);
    expect(r.stdout.match(/= while\(/g)).toHaveLength(1);
  });

  it('the dynamic-shapes example traces once for two batch sizes, exports, and decodes lists', () => {
    const r = run('examples/dynamic.ts');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('step 3 [ 3, 16 ]\nstep 5 [ 5, 16 ]\ntraces: 1');
    expect(r.stdout).toContain('wrote out/step.onnx');
    expect(r.stdout).toMatch(/Tensor\s+\[1, 3, 4, 2\]\nTensor\s+\[2\]\n/);
    expect(r.stdout).toContain('-> (i32[?])');
  });

  it('the gradients example differentiates through a staged loop, exports it, and trains in one call', () => {
    const r = run('examples/gradients.ts');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Tensor\s+\[992, 1504\]\n/);
    expect(r.stdout).toContain('wrote out/grad.onnx');
    const fitted = /Tensor\s+\[(\S+), (\S+)\]\nTensor\s+(\d+)/.exec(
      r.stdout.split('wrote out/grad.onnx')[1]!,
    );
    expect(Math.abs(Number(fitted?.[1]) - 3)).toBeLessThan(1e-2);
    expect(Math.abs(Number(fitted?.[2]) + 1)).toBeLessThan(1e-2);
    expect(Number(fitted?.[3])).toBeGreaterThan(1);
  });
  it('the recursion example stages a TreeLSTM once for every tree, exports it, and trains it', () => {
    const r = run('examples/recursion.ts');
    expect(r.status, r.stderr).toBe(0);
    const gaps = [...r.stdout.matchAll(/max \|staged - eager\| = (\S+)/g)].map((m) => Number(m[1]));
    expect(gaps).toHaveLength(3);
    for (const gap of gaps) expect(gap).toBeLessThan(1e-5);
    expect(r.stdout).toContain('1 trace; the IR calls node#1 from node#1');
    expect(r.stdout).toContain('wrote out/tree-lstm.onnx');
    const [, first, last] = /loss (\S+) -> (\S+) after 30 staged training steps/.exec(r.stdout) ?? [];
    expect(Number(last)).toBeLessThan(Number(first) / 10);
  });
  it('the training example trains a layers model per staged step, rejects a NaN batch, fits in one call', () => {
    const r = run('examples/training.ts');
    expect(r.status, r.stderr).toBe(0);
    const [, first, last] = /xor loss: (\S+) -> (\S+) after 301 staged steps/.exec(r.stdout) ?? [];
    expect(Number(last)).toBeLessThan(Number(first) / 4);
    expect(r.stdout).toContain('rejected: RangeError: NaN in the batch');
    const [, w0, w1] = /w = \[(\S+),(\S+)\] after \d+ steps in one call/.exec(r.stdout) ?? [];
    expect(Math.abs(Number(w0) - 3)).toBeLessThan(1e-2);
    expect(Math.abs(Number(w1) + 1)).toBeLessThan(1e-2);
  });
});
