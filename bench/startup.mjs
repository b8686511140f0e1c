/**
 * Loader start-up benchmark: `npm run bench:startup` (= `node bench/startup.mjs`; run `npm run build`
 * first). Times whole `node` processes, with and without `--import autograph-ts/register`, on:
 *
 * - an empty program;
 * - (for comparison) the same with hooks that do nothing, installed as the loader installs its own;
 * - a library of many trivial ES modules under node_modules (never converted);
 * - many user modules, .js and .ts, that do not opt in (the .ts ones only have their types stripped);
 * - many user .ts modules that opt in ('use autograph').
 * The .ts cases run with the loader's on-disk cache warm, and disabled (`AUTOGRAPH_CACHE=0`).
 *
 * The cases run interleaved (one run of each, then the next round), so that a machine busy with other
 * work slows them alike; each row gives the median and the minimum over the rounds, in milliseconds.
 * The generated programs live in a temporary directory, removed at the end.
 *
 * Options: `--runs N` (rounds, default 15), `--modules N` (modules per case, default 640 for the
 * library, 200 for user modules), `--node PATH` (the Node binary to time, default this one),
 * `--only NAME[,NAME]` (cases whose name contains one of these), `--baseline PATH` (another build's
 * loader/register.js, e.g. a copy of dist/ made before a change: every loader case also runs with it,
 * interleaved with this build's).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : fallback;
};
const RUNS = Number(option('runs', 15));
const LIBRARY_MODULES = Number(option('modules', 640));
const USER_MODULES = Number(option('modules', 200));
const NODE = option('node', process.execPath);
const ONLY = option('only', '')?.split(',').filter(Boolean);
const BASELINE = option('baseline', undefined);

const REGISTER = new URL('../dist/loader/register.js', import.meta.url).href;
const dir = mkdtempSync(join(tmpdir(), 'autograph-startup-'));
const write = (path, text) => {
  mkdirSync(join(dir, path, '..'), { recursive: true });
  writeFileSync(join(dir, path), text);
};
const range = (n) => Array.from({ length: n }, (_, i) => i);

/** An entry module importing `count` modules `${prefix}${i}${extension}`, each exporting one function. */
function generate(entry, prefix, count, extension, body) {
  for (const i of range(count)) write(`${prefix}${i}${extension}`, body(i));
  const imports = range(count).map((i) => `import { f${i} } from './${prefix.split('/').pop()}${i}.js';`);
  const uses = range(count).map((i) => `f${i}(1);`);
  const exports = `export { ${range(count)
    .map((i) => `f${i}`)
    .join(', ')} };`;
  write(entry, `${imports.join('\n')}\n${uses.join('\n')}\n${exports}\n`);
}

write('empty.js', '');
write('empty.ts', 'export {};\n');
// Hooks that do nothing, installed as the loader installs its own: what Node itself costs.
write(
  'noop-hooks.mjs',
  'export const resolve = (s, c, next) => next(s, c);\nexport const load = (u, c, next) => next(u, c);\n',
);
write(
  'noop-register.mjs',
  "import * as m from 'node:module';\nimport * as hooks from './noop-hooks.mjs';\n" +
    "if (m.registerHooks) m.registerHooks(hooks);\nelse m.register('./noop-hooks.mjs', import.meta.url);\n",
);
write(
  'node_modules/many-lib/package.json',
  JSON.stringify({ name: 'many-lib', type: 'module', main: 'index.js' }),
);
generate(
  'node_modules/many-lib/index.js',
  'node_modules/many-lib/m',
  LIBRARY_MODULES,
  '.js',
  (i) => `export function f${i}(x) {\n  if (x > ${i}) return x - 1;\n  return x + ${i};\n}\n`,
);
write('package.json', JSON.stringify({ type: 'module' }));
write(
  'library.js',
  "import * as lib from 'many-lib';\nif (Object.keys(lib).length === 0) process.exit(1);\n",
);
generate(
  'user-js/index.js',
  'user-js/m',
  USER_MODULES,
  '.js',
  (i) => `export function f${i}(x) {\n  if (x > ${i}) return x - 1;\n  return x + ${i};\n}\n`,
);
generate(
  'user-ts/index.ts',
  'user-ts/m',
  USER_MODULES,
  '.ts',
  (i) => `export function f${i}(x: number): number {\n  if (x > ${i}) return x - 1;\n  return x + ${i};\n}\n`,
);
generate(
  'opt-in/index.ts',
  'opt-in/m',
  USER_MODULES,
  '.ts',
  (i) =>
    `'use autograph';\nexport function f${i}(x: number): number {\n  if (x > ${i}) return x - 1;\n  return x + ${i};\n}\n`,
);

const cacheDir = join(dir, 'cache');
const loader = ['--import', REGISTER];
const cases = [
  { name: 'empty program', args: ['empty.js'] },
  { name: 'empty program, no-op hooks', args: ['--import', './noop-register.mjs', 'empty.js'] },
  { name: 'empty program, loader', args: [...loader, 'empty.js'] },
  { name: 'empty .ts program, loader', args: [...loader, 'empty.ts'] },
  { name: `library of ${LIBRARY_MODULES} modules`, args: ['library.js'] },
  {
    name: `library of ${LIBRARY_MODULES} modules, no-op hooks`,
    args: ['--import', './noop-register.mjs', 'library.js'],
  },
  { name: `library of ${LIBRARY_MODULES} modules, loader`, args: [...loader, 'library.js'] },
  { name: `${USER_MODULES} user .js modules`, args: ['user-js/index.js'] },
  { name: `${USER_MODULES} user .js modules, loader`, args: [...loader, 'user-js/index.js'] },
  { name: `${USER_MODULES} user .ts modules, loader`, args: [...loader, 'user-ts/index.ts'] },
  {
    name: `${USER_MODULES} user .ts modules, loader, no cache`,
    args: [...loader, 'user-ts/index.ts'],
    env: { AUTOGRAPH_CACHE: '0' },
  },
  { name: `${USER_MODULES} opting-in .ts modules, loader`, args: [...loader, 'opt-in/index.ts'] },
  {
    name: `${USER_MODULES} opting-in .ts modules, loader, no cache`,
    args: [...loader, 'opt-in/index.ts'],
    env: { AUTOGRAPH_CACHE: '0' },
  },
]
  .flatMap((c) =>
    BASELINE && c.args[1] === REGISTER
      ? [
          c,
          {
            ...c,
            name: `${c.name} (baseline)`,
            args: ['--import', pathToFileURL(BASELINE).href, ...c.args.slice(2)],
          },
        ]
      : [c],
  )
  .filter((c) => !ONLY?.length || ONLY.some((o) => c.name.includes(o)));

function runOnce(c) {
  const started = performance.now();
  const result = spawnSync(NODE, c.args, {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, AUTOGRAPH_CACHE_DIR: cacheDir, ...c.env },
  });
  const elapsed = performance.now() - started;
  if (result.status !== 0) throw new Error(`${c.name} failed (exit ${result.status}):\n${result.stderr}`);
  if (result.stderr) throw new Error(`${c.name} wrote to stderr:\n${result.stderr}`);
  return elapsed;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

try {
  const version = spawnSync(NODE, ['--version'], { encoding: 'utf8' }).stdout.trim();
  console.log(`Node ${version}, ${RUNS} rounds (after one warm-up round that also fills the cache)`);
  for (const c of cases) runOnce(c);
  const times = new Map(cases.map((c) => [c, []]));
  for (let round = 0; round < RUNS; round++) for (const c of cases) times.get(c).push(runOnce(c));
  const width = Math.max(...cases.map((c) => c.name.length));
  console.log(`${'case'.padEnd(width)}  median ms     min ms`);
  for (const c of cases) {
    const t = times.get(c);
    console.log(
      `${c.name.padEnd(width)}  ${median(t).toFixed(0).padStart(9)}  ${Math.min(...t)
        .toFixed(0)
        .padStart(9)}`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
