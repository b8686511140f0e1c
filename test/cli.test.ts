import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
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
