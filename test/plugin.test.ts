/**
 * The bundler plugin in Node: which modules it converts, the source map it hands the bundler, and
 * whole builds (Vite/Rolldown and esbuild) of an app module: converted twins in the bundle, the
 * runtime imported through `autograph-ts/runtime`, the bundle's map pointing at the .ts lines.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SourceMapConsumer } from 'source-map';
import { afterAll, describe, expect, it } from 'vitest';
import { includes, transformForBundler } from '../src/plugin/index.ts';

const APP = `import * as tfc from '@tensorflow/tfjs-core';
import * as ag from 'autograph-ts';

const tf: any = tfc;
const rate: number = 0.5;

export function decay(x: any, limit: number): any {
  while (x > limit) x = x * rate;
  return x;
}
export const f = ag.convert(decay);
`;

const dir = mkdtempSync(join(tmpdir(), 'ag-plugin-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('transformForBundler', () => {
  it('converts a module that imports autograph-ts: JS code and a map object back to the .ts text', async () => {
    const out = transformForBundler(APP, '/app/src/model.ts?v=1')!;
    expect(out.code).toContain('import * as ag__ from "autograph-ts/runtime"');
    expect(out.code).not.toMatch(/sourceMappingURL|: number/);
    expect(out.map.sources).toEqual(['/app/src/model.ts']);
    expect(out.map.sourcesContent).toEqual([APP]);
    // messages name the file relative to the project: a bundle holds no path of the build machine
    const rooted = transformForBundler(APP, '/app/src/model.ts', { root: '/app' })!;
    expect(rooted.code).toContain('"src/model.ts:');
    expect(rooted.code).not.toContain('/app/');
    expect(rooted.map.sources).toEqual(['/app/src/model.ts']);
    // A generated `rate` maps to the `rate` on the original line 8 (the twin's loop body).
    const consumer = await new SourceMapConsumer(out.map as any);
    const line = out.code.split('\n').findIndex((l) => l.includes('rate') && l.includes('ag__')) + 1;
    const column = out.code.split('\n')[line - 1]!.indexOf('rate');
    expect(consumer.originalPositionFor({ line, column }).line).toBe(8);
    consumer.destroy();
  });

  it('converts a module with the directive, and honours the runtime option', () => {
    const out = transformForBundler(
      "'use autograph';\nexport function g(x) { return x > 0 ? x : -x; }\n",
      '/a.js',
      {
        runtime: '/rt.js',
      },
    );
    expect(out?.code).toContain('from "/rt.js"');
  });

  it('leaves alone modules that do not opt in, node_modules and non-JS files', () => {
    expect(transformForBundler('export const x: number = 1;\n', '/a.ts')).toBeUndefined();
    expect(includes('/app/node_modules/lib/index.js')).toBe(false);
    expect(includes('\0virtual:x')).toBe(false);
    expect(includes('/app/src/style.css')).toBe(false);
    expect(includes('/app/src/types.d.ts')).toBe(false);
    expect(includes('/app/src/model.mts?import')).toBe(true);
    expect(includes('/app/src/gen.ts', { exclude: /gen\.ts$/ })).toBe(false);
  });

  it('leaves syntax errors to the bundler and warns about modules it cannot convert', () => {
    const warnings: string[] = [];
    const warn = (m: string) => warnings.push(m);
    expect(
      transformForBundler("import 'autograph-ts';\nexport const = 1;\n", '/a.js', {}, warn),
    ).toBeUndefined();
    expect(warnings).toEqual([]);
    expect(transformForBundler("import 'autograph-ts';\nenum E { A }\n", '/b.ts', {}, warn)).toBeUndefined();
    expect(warnings[0]).toMatch(/b\.ts is built without converted twins/);
  });
});

describe('whole builds', () => {
  const entry = join(dir, 'model.ts');
  writeFileSync(entry, APP);
  const external = ['@tensorflow/tfjs-core', 'autograph-ts', 'autograph-ts/runtime'];

  it('vite build: the bundle holds the twin and its map points at the .ts lines', async () => {
    const { build } = await import('vite');
    const { default: autograph } = await import('../src/plugin/vite.ts');
    await build({
      root: dir,
      logLevel: 'silent',
      configFile: false,
      plugins: [autograph()],
      build: {
        outDir: join(dir, 'vite'),
        sourcemap: true,
        minify: false,
        lib: { entry, formats: ['es'], fileName: () => 'model.js' },
        rollupOptions: { external },
      },
    });
    const code = readFileSync(join(dir, 'vite/model.js'), 'utf8');
    expect(code).toMatch(/from "autograph-ts\/runtime"/);
    expect(code).toMatch(/ag__\.\w+/);
    const map = JSON.parse(readFileSync(join(dir, 'vite/model.js.map'), 'utf8'));
    expect(map.sources.some((s: string) => s.endsWith('model.ts'))).toBe(true);
    const consumer = await new SourceMapConsumer(map);
    const lines = code.split('\n');
    const line = lines.findIndex((l) => /\brate\b/.test(l) && l.includes('ag__')) + 1;
    expect(consumer.originalPositionFor({ line, column: lines[line - 1]!.search(/\brate\b/) }).line).toBe(8);
    consumer.destroy();
  });

  it('esbuild: the same plugin converts the module', async () => {
    const esbuild = await import('esbuild');
    const { default: autograph } = await import('../src/plugin/esbuild.ts');
    const result = await esbuild.build({
      entryPoints: [entry],
      bundle: true,
      format: 'esm',
      write: false,
      external,
      plugins: [autograph()],
    });
    expect(result.outputFiles[0]!.text).toMatch(/from "autograph-ts\/runtime"/);
  });
});
