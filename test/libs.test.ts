/**
 * Third-party libraries as tests (test/libs): a small sample of `npm run fuzz:libs` in a real process
 * under the loader (a few argument lists per exported function of lodash-es, ramda, underscore and date-fns),
 * and a control showing that the harness does catch a wrong value, a mutated argument and an extra
 * callback call.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConversionError } from '../src/index.ts';
import { checkLibrary, type LibraryReport } from './libs/harness.ts';
import { LIBRARIES } from './libs/index.ts';
import { underscore } from './libs/underscore.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = 3;

let reports: LibraryReport[];

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist/loader/register.js'))) {
    const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}\n${build.stderr}`);
  }
  const run = spawnSync(
    process.execPath,
    ['--import', './dist/loader/register.js', 'scripts/fuzz-libs.ts', '--runs', String(RUNS), '--json'],
    { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 },
  );
  try {
    reports = JSON.parse(run.stdout);
  } catch {
    throw new Error(`fuzz-libs printed no JSON (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
  }
}, 120_000);

describe('third-party libraries under the loader (a sample)', () => {
  for (const spec of LIBRARIES) {
    it(`${spec.name} ${spec.version}: no function differs, ≥ 98% preserved or fallen back`, () => {
      const r = reports.find((x) => x.name === spec.name)!;
      expect(r.differed).toEqual([]);
      const fellBack = Object.values(r.fellBack).flat().length;
      const run = r.preserved.length + fellBack;
      expect(run + Object.keys(r.skipped).length).toBe(r.exported);
      expect(r.exported).toBeGreaterThan(100);
      expect(r.preserved.length / run).toBeGreaterThanOrEqual(0.98);
    });
  }
});

describe('the harness catches differences', () => {
  type Fn = (...args: any[]) => any;
  const check = (convert: (f: Fn) => Fn, only: string[]) =>
    checkLibrary(underscore, {
      convert,
      isConversionError: (e) => e instanceof ConversionError,
      runs: 30,
      seed: 1,
      only: (name) => only.includes(name),
    });

  it('a wrong value, a mutated argument, an extra callback call', async () => {
    const wrong =
      (f: Fn) =>
      (...a: any[]) => {
        const r = f(...a);
        return typeof r === 'number' ? r + 1 : r;
      };
    const mutating =
      (f: Fn) =>
      (...a: any[]) => {
        const r = f(...a);
        if (Array.isArray(a[0])) a[0].push(0);
        return r;
      };
    const calling =
      (f: Fn) =>
      (...a: any[]) => {
        for (const x of a) if (typeof x === 'function') x(0);
        return f(...a);
      };
    expect((await check(wrong, ['size'])).differed.map((d) => d.name)).toEqual(['size']);
    expect((await check(mutating, ['first'])).differed.map((d) => d.name)).toEqual(['first']);
    expect((await check(calling, ['map'])).differed.map((d) => d.name)).toEqual(['map']);
  });

  it('a function that does not convert is checked as it runs, and its reason recorded', async () => {
    const failing = () => {
      throw new ConversionError('no twin here', undefined, undefined, undefined);
    };
    const r = await check(failing, ['size', 'first']);
    expect(r.fellBack).toEqual({ 'no twin here': ['size', 'first'] });
    expect(r.differed).toEqual([]);
  });
});
