/**
 * Conversion benchmark: `npm run bench:convert` (= `node bench/convert.mjs`; run `npm run build` first).
 *
 * 1. Conversion throughput: `transformModule` on a generated TypeScript module of several thousand lines
 *    (lines/s), and `ag.convertSource` on individual functions (functions/s).
 * 2. Native-mode overhead: self-contained numeric functions, original vs `ag.convert(fn)`, timed side by
 *    side with interleaved repetitions (A B A B ...); reports medians, converted/original ratios and their
 *    geometric mean against the target (every row ≤ 1.2×; printed, not asserted).
 *
 * Prints a table and writes bench/convert-results.json. Options: `--quick` (fewer repetitions),
 * `--only NAME[,NAME]` (run only these overhead workloads), `--no-convert` (skip part 1).
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import * as ag from 'autograph-ts';
import { transformModule } from '../dist/transform/module.js';

const argv = process.argv.slice(2);
const QUICK = argv.includes('--quick');
const onlyIndex = argv.indexOf('--only');
const ONLY = onlyIndex >= 0 ? new Set(argv[onlyIndex + 1].split(',')) : null;
const SKIP_CONVERT = argv.includes('--no-convert');
const TARGET_RATIO = 1.2;
const MODULE_LINES = 5000;
const started = performance.now();

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const geomean = (xs) => Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length);
const fmt = (x, digits = 2) => x.toFixed(digits);
const pad = (s, n) => String(s).padEnd(n);
const padl = (s, n) => String(s).padStart(n);

// ---------------------------------------------------------------------------------------------
// Header
// ---------------------------------------------------------------------------------------------

const header = {
  node: process.version,
  v8: process.versions.v8,
  cpu: os.cpus()[0]?.model ?? 'unknown',
  cores: os.cpus().length,
  platform: `${os.platform()} ${os.arch()}`,
  date: new Date().toISOString(),
};
console.log('autograph-ts conversion benchmark');
console.log(`node ${header.node} (V8 ${header.v8}), ${header.platform}`);
console.log(`cpu  ${header.cpu} x ${header.cores}`);
console.log(`date ${header.date}${QUICK ? '  (--quick)' : ''}`);

// ---------------------------------------------------------------------------------------------
// Part 1: conversion throughput
// ---------------------------------------------------------------------------------------------

/** Deterministic PRNG (mulberry32), so every run converts the same module. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Source of one generated function. With `ts`, parameters, locals and the return type are annotated.
 * Calls go to `helper0..helper{HELPERS-1}` (module functions, or `scope` entries for convertSource).
 */
const HELPERS = 8;
function genFunction(name, r, ts) {
  const T = (t) => (ts ? `: ${t}` : '');
  const int = (lo, hi) => lo + Math.floor(r() * (hi - lo + 1));
  const pick = (xs) => xs[Math.floor(r() * xs.length)];
  const op = () => pick(['+', '-', '*']);
  const out = [];
  const generic = ts && r() < 0.2;
  out.push(
    `export function ${name}${generic ? '<T extends number>' : ''}(xs${T(generic ? 'T[]' : 'number[]')}, n${T('number')}, label${T('string')})${T('number')} {`,
  );
  out.push(`  let acc${T('number')} = ${int(0, 9)};`);
  out.push(`  let count${T('number')} = 0;`);
  const blocks = [
    () => [
      `  for (let j${T('number')} = 0; j < xs.length; j++) {`,
      `    const v${T('number')} = xs[j] * ${int(2, 9)} ${op()} ${int(1, 99)};`,
      `    if (v % ${int(3, 11)} === 0) {`,
      '      continue;',
      `    } else if (v > ${int(100, 999)}) {`,
      `      acc -= v / ${int(2, 5)};`,
      '    } else {',
      `      acc += helper${int(0, HELPERS - 1)}(v, j);`,
      '    }',
      `    if (acc > ${int(10000, 99999)}) break;`,
      '  }',
    ],
    () => [
      `  let k${T('number')} = n;`,
      '  while (k > 0) {',
      '    switch (k % 4) {',
      '      case 0:',
      '        acc += k;',
      '        break;',
      '      case 1:',
      `        acc -= ${int(1, 9)};`,
      '        break;',
      '      case 2: {',
      `        const t${T('number')} = k * ${int(2, 5)};`,
      '        acc += t;',
      '        break;',
      '      }',
      '      default:',
      '        acc = acc ^ k;',
      '    }',
      '    k--;',
      '  }',
    ],
    () => [
      '  do {',
      '    count++;',
      `    if (count === ${int(3, 7)} && acc < 0) continue;`,
      `  } while (count < ${int(5, 20)});`,
    ],
    () => [
      '  for (const x of xs) {',
      '    if (x < 0) return -1;',
      `    acc += x ${op()} ${int(1, 9)};`,
      '  }',
    ],
    () => [
      `  const pts${T('Array<{ x: number; y: number }>')} = [];`,
      `  for (let i${T('number')} = 0; i < ${int(3, 9)}; i++) pts.push({ x: i, y: i * ${int(2, 7)} });`,
      '  for (const p of pts) {',
      '    acc += p.x > p.y ? p.x - p.y : p.y - p.x;',
      '  }',
    ],
    () => [
      `  const scale = (a${T('number')}, b${T('number')})${T('number')} => (a > b ? a * ${int(2, 5)} : b - a);`,
      '  acc = scale(acc, n) + Math.max(acc, count);',
      '  acc = acc > 0 && n > 0 ? acc : -acc;',
    ],
    () => [
      `  outer: for (let a${T('number')} = 0; a < ${int(3, 6)}; a++) {`,
      `    for (let b${T('number')} = 0; b < ${int(3, 6)}; b++) {`,
      '      if (a * b > n) break outer;',
      '      if ((a + b) % 2 === 1) continue outer;',
      '      acc += a * b;',
      '    }',
      '  }',
    ],
    () => [
      '  try {',
      `    if (label === '${pick(['boom', 'fail', 'err'])}') throw new Error(label);`,
      `    acc += label.length * ${int(2, 9)};`,
      '  } catch (e) {',
      '    acc = -acc;',
      '  }',
    ],
  ];
  for (const b of blocks) if (r() < 0.7) out.push(...b());
  out.push(`  return label.length > ${int(2, 6)} ? acc + count : acc - count;`);
  out.push('}');
  return out.join('\n');
}

function genClass(name, r) {
  const k = 2 + Math.floor(r() * 7);
  return [
    `export interface ${name}Like {`,
    '  readonly w: number;',
    '  readonly h: number;',
    '  area(): number;',
    '}',
    '',
    `export class ${name} implements ${name}Like {`,
    '  readonly w: number;',
    '  readonly h: number;',
    '  private hits: number = 0;',
    '  constructor(w: number, h: number) {',
    '    this.w = w;',
    '    this.h = h;',
    '  }',
    '  area(): number {',
    '    this.hits++;',
    '    return this.w * this.h;',
    '  }',
    `  scale(f: number): ${name} {`,
    `    return new ${name}(this.w * f, this.h * f);`,
    '  }',
    '  perimeter(): number {',
    '    let p: number = 0;',
    '    for (let s = 0; s < 2; s++) {',
    '      p += this.w + this.h;',
    '    }',
    '    return p;',
    '  }',
    '  fits(other: { w: number; h: number } | null): boolean {',
    '    if (other === null) return false;',
    `    return this.w <= other.w && this.h <= other.h && this.hits < ${k * 10};`,
    '  }',
    `  static unit(): ${name} {`,
    `    return new ${name}(1, ${k});`,
    '  }',
    '}',
  ].join('\n');
}

function genModule(targetLines) {
  const r = rng(12345);
  const parts = [
    "import * as ag from 'autograph-ts';",
    '',
    'export type Pair = [number, string];',
    'export const enabled: boolean = ag !== undefined;',
    '',
  ];
  for (let h = 0; h < HELPERS; h++)
    parts.push(
      `function helper${h}(a: number, b: number): number {\n  return a ${h % 2 ? '-' : '+'} b * ${h + 1};\n}\n`,
    );
  let lines = parts.join('\n').split('\n').length;
  let functions = HELPERS;
  let classes = 0;
  for (let i = 0; lines < targetLines; i++) {
    const text = i % 6 === 5 ? genClass(`Shape${i}`, r) : genFunction(`fn${i}`, r, true);
    if (i % 6 === 5) classes++;
    else functions++;
    parts.push(text, '');
    lines += text.split('\n').length + 1;
  }
  return { source: parts.join('\n'), functions, classes };
}

function timeRuns(fn, runs) {
  fn(); // warm-up
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return times;
}

const results = { header, conversion: null, overhead: null };
/** JSON as biome formats it (short arrays of numbers on one line), numbers rounded to 0.01. */
const toJson = (value) =>
  JSON.stringify(
    value,
    (_, x) => (typeof x === 'number' && !Number.isInteger(x) ? Number(x.toFixed(2)) : x),
    2,
  ).replace(/\[\n\s+([^[\]{}]*?)\n\s*\]/g, (_, inner) => `[${inner.split(/,\n\s*/).join(', ')}]`);

if (!SKIP_CONVERT) {
  console.log('\n== 1. conversion throughput ==');
  const { source, functions, classes } = genModule(MODULE_LINES);
  const lines = source.split('\n').length;
  const options = { file: 'big.ts', typescript: true, runtime: 'autograph-ts/runtime' };
  let out;
  const moduleTimes = timeRuns(() => (out = transformModule(source, options)), QUICK ? 3 : 5);
  const failures = (out.code.match(/conversionFailure\(/g) ?? []).length;
  const twins = (out.code.match(/registerTwin\(|twinKey\(/g) ?? []).length;
  if (!out.converted) throw new Error('transformModule did not convert the generated module');
  const moduleMs = median(moduleTimes);

  // The same module with the autograph import removed: the loader then only strips types.
  const plainSource = source.replace("import * as ag from 'autograph-ts';", 'const ag = 1;');
  const stripTimes = timeRuns(() => transformModule(plainSource, options), QUICK ? 3 : 5);
  const stripMs = median(stripTimes);

  // convertSource on individual (JS) functions; helper calls are resolved from `scope`.
  const r = rng(777);
  const fnSources = [];
  for (let i = 0; i < 100; i++) fnSources.push(genFunction(`f${i}`, r, false).replace('export ', ''));
  const scope = {};
  for (let h = 0; h < HELPERS; h++) scope[`helper${h}`] = (a, b) => a + b;
  const fnLines = fnSources.reduce((a, s) => a + s.split('\n').length, 0);
  const sourceTimes = timeRuns(
    () => {
      for (const s of fnSources) ag.convertSource(s, { scope });
    },
    QUICK ? 3 : 5,
  );
  const sourceMs = median(sourceTimes);

  results.conversion = {
    module: {
      lines,
      bytes: source.length,
      functions,
      classes,
      twins,
      failures,
      outputBytes: out.code.length,
      sourceMapBytes: out.code.length - out.code.lastIndexOf('\n//# sourceMappingURL='),
      runsMs: moduleTimes,
      medianMs: moduleMs,
      linesPerSec: lines / (moduleMs / 1000),
    },
    moduleTypeStripOnly: { runsMs: stripTimes, medianMs: stripMs, linesPerSec: lines / (stripMs / 1000) },
    convertSource: {
      functions: fnSources.length,
      lines: fnLines,
      runsMs: sourceTimes,
      medianMs: sourceMs,
      functionsPerSec: fnSources.length / (sourceMs / 1000),
      linesPerSec: fnLines / (sourceMs / 1000),
    },
  };
  console.log(
    `transformModule  ${lines} lines (${(source.length / 1024).toFixed(0)} KiB, ${functions} functions, ${classes} classes; ${twins} twins, ${failures} failures)`,
  );
  console.log(
    `  median ${fmt(moduleMs, 1)} ms  →  ${Math.round(lines / (moduleMs / 1000)).toLocaleString('en-US')} lines/s   [runs: ${moduleTimes.map((t) => fmt(t, 0)).join(', ')}]`,
  );
  console.log(
    `  (same module without the autograph import, types stripped only: ${fmt(stripMs, 1)} ms, ${Math.round(lines / (stripMs / 1000)).toLocaleString('en-US')} lines/s)`,
  );
  const mapBytes = out.code.length - out.code.lastIndexOf('\n//# sourceMappingURL=');
  console.log(
    `  output ${(out.code.length / 1024).toFixed(0)} KiB = ${fmt(out.code.length / source.length, 1)}x the source (code ${fmt((out.code.length - mapBytes) / source.length, 1)}x, inline source map ${fmt(mapBytes / source.length, 1)}x)`,
  );
  console.log(`convertSource    ${fnSources.length} functions (${fnLines} lines), incl. new Function()`);
  console.log(
    `  median ${fmt(sourceMs, 1)} ms  →  ${Math.round(fnSources.length / (sourceMs / 1000)).toLocaleString('en-US')} functions/s (${fmt((sourceMs * 1000) / fnSources.length, 0)} µs/function)`,
  );
}

// ---------------------------------------------------------------------------------------------
// Part 2: native-mode overhead (plain JS numbers and arrays)
// ---------------------------------------------------------------------------------------------

// Each workload is self-contained (no free variables but globals), so `ag.convert` can rebuild it
// from its source text. `arg` is sized so the original takes roughly 10-50 ms on a laptop-class core.

function sumSquares(n) {
  let s = 0;
  for (let i = 0; i < n; i++) {
    s += (i % 1000) * (i % 1000);
  }
  return s;
}

function matmul(reps) {
  const n = 64;
  const a = [];
  const b = [];
  for (let i = 0; i < n; i++) {
    const ra = [];
    const rb = [];
    for (let j = 0; j < n; j++) {
      ra.push(((i * 7 + j * 3) % 11) - 5);
      rb.push(((i * 5 + j * 2) % 13) - 6);
    }
    a.push(ra);
    b.push(rb);
  }
  let check = 0;
  for (let r = 0; r < reps; r++) {
    const c = [];
    for (let i = 0; i < n; i++) {
      const row = [];
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) {
          s += a[i][k] * b[k][j];
        }
        row.push(s);
      }
      c.push(row);
    }
    check += c[r % n][(r * 7) % n];
  }
  return check;
}

function collatz(limit) {
  let total = 0;
  for (let i = 1; i <= limit; i++) {
    let x = i;
    let steps = 0;
    while (x !== 1) {
      if (x % 2 === 0) {
        x = x / 2;
      } else {
        x = 3 * x + 1;
      }
      steps++;
    }
    total += steps;
  }
  return total;
}

function branchy(n) {
  let acc = 0;
  let odd = 0;
  for (let i = 0; i < n; i++) {
    if (i % 7 === 3) {
      continue;
    }
    if (i % 2 === 1) {
      odd++;
      acc += i % 13;
    } else if (i % 3 === 0) {
      acc -= i % 5;
    } else {
      acc += 1;
    }
    if (acc > 1e15) {
      break;
    }
  }
  return acc * 2 + odd;
}

function helperCalls(n) {
  const mix = (a, b) => (a * 31 + b) % 1000003;
  let h = 7;
  for (let i = 0; i < n; i++) {
    h = mix(h, i);
  }
  return h;
}

function fibIter(reps) {
  let total = 0;
  for (let r = 0; r < reps; r++) {
    let a = 0;
    let b = 1;
    for (let i = 0; i < 70; i++) {
      const t = a + b;
      a = b;
      b = t;
    }
    total = (total + (a % 1000)) % 1000000;
  }
  return total;
}

function sieve(n) {
  const composite = [];
  for (let i = 0; i <= n; i++) composite.push(false);
  let count = 0;
  for (let i = 2; i <= n; i++) {
    if (!composite[i]) {
      count++;
      for (let j = i * i; j <= n; j += i) {
        composite[j] = true;
      }
    }
  }
  return count;
}

const workloads = [
  { name: 'sumSquares', fn: sumSquares, arg: 10_000_000, what: 'sum of squares, for loop' },
  { name: 'matmul64', fn: matmul, arg: 20, what: 'matrix multiply 64x64 on arrays (x reps)' },
  { name: 'collatz', fn: collatz, arg: 30_000, what: 'Collatz steps for 1..N, while loop' },
  { name: 'branchy', fn: branchy, arg: 5_000_000, what: 'if/else + continue/break in a loop' },
  { name: 'helperCall', fn: helperCalls, arg: 3_000_000, what: 'loop calling an inner helper' },
  { name: 'fibIter', fn: fibIter, arg: 200_000, what: 'iterative fib(70) x reps' },
  { name: 'sieve', fn: sieve, arg: 300_000, what: 'prime sieve with array writes' },
];

console.log('\n== 2. native-mode overhead (original vs ag.convert, interleaved A B A B ...) ==');
const rows = [];
const reps = QUICK ? 5 : 9;
for (const w of workloads) {
  if (ONLY && !ONLY.has(w.name)) continue;
  const converted = ag.convert(w.fn);
  const expected = w.fn(w.arg);
  const actual = converted(w.arg);
  if (!Object.is(expected, actual))
    throw new Error(`${w.name}: converted result ${actual} differs from original ${expected}`);
  // Warm-up: two more calls of each, so both are optimized before timing.
  for (let i = 0; i < 2; i++) {
    w.fn(w.arg);
    converted(w.arg);
  }
  const a = [];
  const b = [];
  let sink = 0;
  for (let i = 0; i < reps; i++) {
    let t0 = performance.now();
    sink += w.fn(w.arg);
    a.push(performance.now() - t0);
    t0 = performance.now();
    sink += converted(w.arg);
    b.push(performance.now() - t0);
  }
  if (!Number.isFinite(sink)) throw new Error('unexpected result');
  const original = median(a);
  const conv = median(b);
  const row = {
    name: w.name,
    what: w.what,
    arg: w.arg,
    result: expected,
    originalMs: original,
    convertedMs: conv,
    ratio: conv / original,
    originalRunsMs: a,
    convertedRunsMs: b,
  };
  rows.push(row);
}

const ratios = rows.map((r) => r.ratio);
const gm = rows.length ? geomean(ratios) : NaN;
console.log(
  `${pad('workload', 12)} ${padl('original ms', 12)} ${padl('converted ms', 13)} ${padl('ratio', 8)}  ${padl('target', 7)}  what`,
);
for (const r of rows) {
  console.log(
    `${pad(r.name, 12)} ${padl(fmt(r.originalMs), 12)} ${padl(fmt(r.convertedMs), 13)} ${padl(`${fmt(r.ratio)}x`, 8)}  ${padl(`≤${TARGET_RATIO}x`, 7)}  ${r.ratio <= TARGET_RATIO ? '' : '(above) '}${r.what}`,
  );
}
console.log(
  `${pad('geomean', 12)} ${padl('', 12)} ${padl('', 13)} ${padl(`${fmt(gm)}x`, 8)}  ${padl(`≤${TARGET_RATIO}x`, 7)}  ${ratios.every((x) => x <= TARGET_RATIO) ? 'every row meets the target' : `${ratios.filter((x) => x > TARGET_RATIO).length} row(s) above the target`}`,
);

results.overhead = { reps, targetRatio: TARGET_RATIO, geomeanRatio: gm, workloads: rows };
results.totalSeconds = (performance.now() - started) / 1000;
if (!ONLY) {
  const file = new URL('./convert-results.json', import.meta.url);
  writeFileSync(file, `${toJson(results)}\n`);
  console.log(`\nwrote bench/convert-results.json (total ${fmt(results.totalSeconds, 1)} s)`);
} else {
  console.log(`\n(--only: results not written; total ${fmt(results.totalSeconds, 1)} s)`);
}
