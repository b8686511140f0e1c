/**
 * End-to-end tests of the loader (`node --import autograph-ts/register app.ts`): real processes run the
 * multi-module TypeScript program under test/fixtures/loader-app and print what they observed as JSON.
 */
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const APP_DIR = 'test/fixtures/loader-app';

function runFixture(
  file: string,
  args: string[] = [],
  env: NodeJS.ProcessEnv = {},
): SpawnSyncReturns<string> {
  const clean = { ...process.env };
  delete clean.AUTOGRAPH_STRICT;
  delete clean.AUTOGRAPH_QUIET_FALLBACK;
  return spawnSync(process.execPath, ['--import', 'autograph-ts/register', join(APP_DIR, file), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...clean, ...env },
  });
}

/** 1-based line and column of the first occurrence of `needle` in a fixture file, and that line. */
function locate(
  file: string,
  needle: string,
  within = needle,
): { line: number; column: number; text: string } {
  const lines = readFileSync(join(ROOT, APP_DIR, file), 'utf8').split('\n');
  const index = lines.findIndex((l) => l.includes(within));
  if (index < 0) throw new Error(`${within} not found in ${file}`);
  const text = lines[index]!;
  return { line: index + 1, column: text.indexOf(needle) + 1, text };
}

/** The `at ...` lines of a stack trace. */
const frames = (stack: string) => stack.split('\n').filter((l) => /^\s+at /.test(l));

let run: SpawnSyncReturns<string>;
let out: any;

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist/loader/register.js'))) {
    const build = spawnSync('npm', ['run', 'build'], {
      cwd: ROOT,
      encoding: 'utf8',
      shell: process.platform === 'win32',
    });
    if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}\n${build.stderr}`);
  }
  run = runFixture('app.ts');
  try {
    out = JSON.parse(run.stdout);
  } catch {
    throw new Error(`app.ts printed no JSON (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
  }
}, 120_000);

describe('loader: a multi-module TypeScript program', () => {
  it("a module that begins with 'use autograph' converts every function, closures kept", () => {
    expect(out.moduleDirective.twins).toEqual([true, true, true, true]);
    for (const [original, converted] of out.moduleDirective.values) expect(converted).toEqual(original);
    expect(out.moduleDirective.values.map(([o]: unknown[]) => o)).toEqual([12, 30, 4, [1, 4, 4]]);
  });

  it('exits 0 and writes nothing to stderr (no warnings)', () => {
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
  });

  it('closures over module constants and enclosing-function variables give the same results', () => {
    const { closures } = out;
    expect(closures.accumulate.length).toBe(5);
    for (const [original, twin] of closures.accumulate) expect(twin).toEqual(original);
    expect(closures.accumulate.map(([o]: any[]) => o.total)).toEqual([50, 0, 0, 57, 87]);
    // makeScaler(k) returns an arrow closing over k: the twin of each scaler keeps its own k.
    expect(closures.scalers.length).toBe(3);
    for (const pairs of closures.scalers) for (const [original, twin] of pairs) expect(twin).toBe(original);
    expect(closures.scalers.map((pairs: number[][]) => pairs[3]![0])).toEqual([14, -21, 3.5]);
    expect(closures.twinDiffers).toBe(true);
    expect(closures.twinStable).toBe(true);
    expect(closures.twinIdempotent).toBe(true);
    expect(closures.code).toBe(true);
  });

  it('twins share live bindings and state with the originals', () => {
    const { closures } = out;
    // `bias` is a module `let` reassigned after conversion: the twin reads the current value.
    expect(closures.liveBinding).toEqual({ before: 14, after: [113, 113] });
    // A counter closure: original and twin increment the same variable.
    expect(closures.sharedState).toEqual([1, 2, 3, 4]);
  });

  it("inside a twin, the function's own name is the original function (same closure)", () => {
    // `function tick() { tick.count += 1; ... }`: the twin must update the original's property.
    // Known failure, see test/fixtures/LOADER_FAILURES.md (1): the twin is a named function expression.
    expect(out.closures.ownName).toEqual([1, 2, 3, 4]);
  });

  it('a function declared at the bottom of a module and converted at the top has its twin (hoisting)', () => {
    expect(out.hoisted).toEqual({ original: 42, twin: 42, twinDiffers: true, nested: [50, 50, 1] });
  });

  it('helpers imported with .ts and .js specifiers are called through their twins from converted code', () => {
    const { helpers } = out;
    expect(helpers.converted).toEqual(helpers.original);
    expect(helpers.original).toEqual([-10, 23]);
    // weightedSum runs once directly (./helpers.ts) and once via weightedNorms (./helpers.js): one module.
    expect(helpers.callsOriginal).toBe(2);
    expect(helpers.callsConverted).toBe(2);
    expect(helpers.helperCode).toBe(true);
    expect(helpers.helperTwin).toBe(true);
    expect(helpers.callerCode).toBe(true);
    // A twin runs its loop body from the autograph-ts runtime; the original never does.
    expect(helpers.stackOriginal).toBe(false);
    expect(helpers.stackDirectTwin).toBe(true);
    // The module's own code calls the original helper; converted code calls the helper's twin.
    expect(helpers.stackFromOriginalCaller).toBe(false);
    expect(helpers.stackFromConvertedCaller).toBe(true);
    expect(helpers.generics).toEqual([6, 6, 5, 5]);
  });

  it('class methods (instance, static, super in a loop) and object-literal methods have twins', () => {
    const { methods } = out;
    for (const key of ['instance', 'superLoop', 'static', 'objectLiteral']) {
      for (const [original, twin] of methods[key]) expect(twin, key).toBe(original);
    }
    expect(methods.instance.map(([o]: number[]) => o)).toEqual([8, 18, 50]);
    expect(methods.superLoop.map(([o]: number[]) => o)).toEqual([4, 22, 170]);
    expect(methods.static.map(([o]: number[]) => o)).toEqual([0, 60, 210]);
    expect(methods.objectLiteral.map(([o]: number[]) => o)).toEqual([12, 0, 12]);
    expect(methods.twinsDiffer).toBe(true);
    expect(methods.superCode).toBe(true);
  });

  it('converted code calling obj.m(...) gives the same results and reaches the method twin', () => {
    const { methods } = out;
    expect(methods.fromConverted).toEqual([
      [
        [0, 21, 56, 105],
        [0, 21, 56, 105],
      ],
      [
        [2, 23, 52, 109],
        [2, 23, 52, 109],
      ],
    ]);
    expect(methods.methodStackOriginal).toBe(false);
    expect(methods.methodStackConverted).toBe(true);
  });

  it("'use autograph' in a module that does not import autograph-ts twins only the marked functions", () => {
    const { directive } = out;
    for (const [original, twin] of directive.marked) expect(twin).toBe(original);
    expect(directive.marked.map(([o]: number[]) => o)).toEqual([25, 0, 45]);
    expect(directive.markedTwin).toBe(true);
    // The arrow nested in a marked function has a twin: its closure (n, K) is intact.
    expect(directive.nested).toEqual([10, 10]);
    // Unmarked functions have no twin: ag.convert rebuilds them from their text, losing the closure.
    expect(directive.unmarked).toMatchObject({
      threw: true,
      conversionError: true,
      reason: "cannot resolve free variable 'K'",
    });
    expect(directive.unmarkedPure).toEqual({ threw: false, value: [10, 10] });
  });

  it('an arrow nested in an unmarked function has no twin: ag.convert names its free variables', () => {
    // Known failure, see test/fixtures/LOADER_FAILURES.md (2): the reprinted arrow is `x => x * n`.
    expect(out.directive.unmarkedNested).toMatchObject({
      threw: true,
      conversionError: true,
      reason: "cannot resolve free variable 'n'",
    });
  });

  it('a module with a generator loads; ag.convert raises the recorded error; `arguments` converts', () => {
    const { unconvertible } = out;
    expect(unconvertible.loaded).toBe(true);
    expect(unconvertible.originals).toEqual([[0, 1, 2], 6, 0]);
    // A function and a class method reading `arguments` convert and agree with the originals, in both forms.
    expect(unconvertible.args).toEqual({ threw: false, value: [6, 6] });
    expect(unconvertible.method).toEqual({ threw: false, value: [2, 2] });
    const file = join(ROOT, APP_DIR, 'unconvertible.ts');
    const cases = [
      {
        err: unconvertible.generator,
        reason: 'generator functions cannot be converted',
        at: locate('unconvertible.ts', 'function*'),
      },
    ];
    for (const { err, reason, at } of cases) {
      expect(err.threw).toBe(true);
      expect(err.conversionError).toBe(true);
      expect(err.reason).toContain(reason);
      expect(err.file).toBe(file);
      expect({ line: err.line, column: err.column }).toEqual({ line: at.line, column: at.column });
      expect(err.excerpt).toBe(at.text);
      expect(err.message.startsWith(`${file}:${at.line}:${at.column}: `)).toBe(true);
    }
  });

  it('a package under node_modules is not converted and is called as-is from converted code', () => {
    const { library } = out;
    expect(library.results).toEqual([
      [212, 212],
      [200, 200],
    ]);
    expect(library.direct).toBe(101);
    expect(library.calledAsIs).toBe(true);
    // No twin even with a 'use autograph' directive: ag.convert falls back to the text, without closure.
    expect(library.textFallback).toMatchObject({
      threw: true,
      conversionError: true,
      reason: "cannot resolve free variable 'BASE'",
    });
  });

  it('a runtime error inside converted code has a stack whose first frame is the original .ts line', () => {
    const { original, converted } = out.runtimeError;
    const at = locate('geometry.ts', '.x', '// @explode');
    const where = `${join(APP_DIR, 'geometry.ts')}:${at.line}:`;
    for (const err of [original, converted]) {
      expect(err.threw).toBe(true);
      expect(err.name).toBe('TypeError');
    }
    expect(converted.message).toBe(original.message);
    const first = frames(converted.stack)[0]!;
    expect(first, converted.stack).toContain(where);
    // The same line and column as the original function's own frame.
    expect(first.match(/:\d+:\d+\)?$/)![0]).toBe(frames(original.stack)[0]!.match(/:\d+:\d+\)?$/)![0]);
  });

  it('an uncaught error from converted code is reported against the original .ts source', () => {
    const crash = runFixture('crash.ts');
    expect(crash.status).toBe(1);
    const at = locate('geometry.ts', '.x', '// @explode');
    expect(crash.stderr).toContain("TypeError: Cannot read properties of null (reading 'x')");
    expect(frames(crash.stderr)[0], crash.stderr).toContain(`${join(APP_DIR, 'geometry.ts')}:${at.line}:`);
    // Node quotes the original TypeScript line (with its type assertion) above the error.
    expect(crash.stderr).toContain(at.text);
  });
});

describe('loader: converted code calling a function that cannot be converted (fallback)', () => {
  const parse = (r: SpawnSyncReturns<string>) => {
    expect(r.status, r.stderr).toBe(0);
    return JSON.parse(r.stdout);
  };
  const file = join(ROOT, APP_DIR, 'unconvertible.ts');
  const helpers = [
    {
      name: 'countTo',
      reason: 'generator functions cannot be converted',
      at: locate('unconvertible.ts', 'function*', 'function* countTo'),
    },
    {
      name: 'doubleLater',
      reason: 'async functions cannot be converted to the graph form',
      at: locate('unconvertible.ts', 'async', 'async function doubleLater'),
    },
    {
      name: 'items',
      reason: 'generator functions cannot be converted',
      at: locate('unconvertible.ts', '(): Generator', '*items('),
    },
    {
      name: 'failingGen',
      reason: 'generator functions cannot be converted',
      at: locate('unconvertible.ts', 'function*', 'function* failingGen'),
    },
  ];
  const warnings = (stderr: string) => stderr.split('\n').filter((l) => l.includes('[AUTOGRAPH_FALLBACK]'));

  let warn: SpawnSyncReturns<string>;
  beforeAll(() => {
    warn = runFixture('fallback.ts');
  }, 60_000);

  it('runs the original function: generators, an async function, a generator method, from both forms and ag.call', () => {
    const out = parse(warn);
    // an async function has an eager twin (no fallback, no warning), and no graph twin
    expect(out.asyncEager).toEqual({ threw: false, value: 42, twin: true });
    expect(out.sums).toEqual({ threw: false, value: [0, 1, 3, 6, 10, 15, 21, 28, 36, 45] });
    expect(out.graphSums).toEqual({ threw: false, value: [3, 6] });
    expect(out.bag).toEqual({ threw: false, value: [6, 4] });
    expect(out.async).toEqual({ threw: false, value: 42 });
    expect(out.call).toEqual({ threw: false, value: [0, 1, 2] });
  });

  it('never swallows an error thrown by running the unconverted function', () => {
    expect(parse(warn).failing).toMatchObject({
      threw: true,
      name: 'RangeError',
      conversionError: false,
      message: 'failingGen ran out',
    });
  });

  it('ag.convert on such a function still raises its ConversionError (an explicit request)', () => {
    const { convert } = parse(warn);
    expect(convert).toMatchObject({ threw: true, conversionError: true });
    expect(convert.message).toContain('generator functions cannot be converted');
  });

  it('warns once per function, naming it, the reason and file:line:col, even after many calls', () => {
    const lines = warnings(warn.stderr);
    expect(lines.length, warn.stderr).toBe(helpers.length);
    for (const { name, reason, at } of helpers) {
      const mine = lines.filter((l) => l.includes(`'${name}'`));
      expect(mine.length, name).toBe(1);
      expect(mine[0]).toContain(
        `AutoGraphWarning: ${file}:${at.line}:${at.column}: '${name}' cannot be converted (${reason})`,
      );
      expect(mine[0]).toContain('AUTOGRAPH_STRICT=1');
    }
  });

  it('AUTOGRAPH_QUIET_FALLBACK=1 silences the warning', () => {
    const quiet = runFixture('fallback.ts', [], { AUTOGRAPH_QUIET_FALLBACK: '1' });
    expect(parse(quiet).sums).toEqual(parse(warn).sums);
    expect(quiet.stderr).toBe('');
  });

  it.each([
    ['AUTOGRAPH_STRICT=1', [], { AUTOGRAPH_STRICT: '1' }],
    ["ag.setFallback('strict')", ['strict-option'], {}],
  ] as const)('%s makes the call raise the ConversionError, as before', (_, args, env) => {
    const strict = runFixture('fallback.ts', [...args], env);
    const out = parse(strict);
    expect(warnings(strict.stderr)).toEqual([]);
    for (const key of ['sums', 'graphSums', 'bag', 'async', 'call']) {
      expect(out[key], key).toMatchObject({ threw: true, conversionError: true });
    }
    expect(out.sums.message).toContain(
      `${file}:${helpers[0]!.at.line}:${helpers[0]!.at.column}: generator functions cannot be converted`,
    );
    expect(out.async.message).toContain('async functions cannot be converted to the graph form');
    expect(out.asyncEager).toEqual({ threw: false, value: 42, twin: true });
  });
});

describe('loader: on-disk cache of converted modules', () => {
  const dir = mkdtempSync(join(tmpdir(), 'autograph-cache-test-'));
  const env = { AUTOGRAPH_CACHE_DIR: dir, AUTOGRAPH_CACHE_DEBUG: '1' };
  const lines = (stderr: string, what: string) =>
    stderr.split('\n').filter((l) => l.startsWith(`autograph-ts cache ${what} `)).length;
  const entries = () => readdirSync(dir).filter((f) => f.endsWith('.js'));
  let first: SpawnSyncReturns<string>;
  let second: SpawnSyncReturns<string>;

  beforeAll(() => {
    first = runFixture('app.ts', [], env);
    second = runFixture('app.ts', [], env);
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the first run converts and writes one entry per converted module; the second reads them all', () => {
    expect(first.status, first.stderr).toBe(0);
    expect(lines(first.stderr, 'hit')).toBe(0);
    const misses = lines(first.stderr, 'miss');
    expect(misses).toBeGreaterThan(1);
    expect(entries()).toHaveLength(misses);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(second.status, second.stderr).toBe(0);
    expect(lines(second.stderr, 'miss')).toBe(0);
    expect(lines(second.stderr, 'hit')).toBe(misses);
  });

  it('a run from the cache behaves exactly as the converting run (stack traces included)', () => {
    expect(second.stdout).toBe(first.stdout);
    expect(JSON.parse(second.stdout)).toEqual(out);
  });

  it('a damaged entry is ignored: the module is converted again and the entry rewritten', () => {
    for (const f of entries()) writeFileSync(join(dir, f), 'export const broken = ;');
    const third = runFixture('app.ts', [], env);
    expect(third.status, third.stderr).toBe(0);
    expect(lines(third.stderr, 'hit')).toBe(0);
    expect(third.stdout).toBe(first.stdout);
    const fourth = runFixture('app.ts', [], env);
    expect(lines(fourth.stderr, 'miss')).toBe(0);
  });

  it('AUTOGRAPH_CACHE=0 neither reads nor writes the cache', () => {
    const off = mkdtempSync(join(tmpdir(), 'autograph-cache-off-'));
    const run = runFixture('app.ts', [], { ...env, AUTOGRAPH_CACHE_DIR: off, AUTOGRAPH_CACHE: '0' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    expect(readdirSync(off)).toEqual([]);
    expect(run.stdout).toBe(first.stdout);
    rmSync(off, { recursive: true, force: true });
  });
});

describe('class and object-literal members, parameter defaults and new.target under the loader (members.ts)', () => {
  let members: any;
  beforeAll(() => {
    const run = runFixture('members.ts', [], { AUTOGRAPH_CACHE: '0' });
    expect(run.status, run.stderr).toBe(0);
    members = JSON.parse(run.stdout);
  });

  const sameInBothForms = (entry: { results: unknown[]; twins: boolean }, expected: unknown) => {
    expect(entry.twins).toBe(true);
    expect(entry.results).toEqual([expected, expected, expected]);
  };

  it('getters and setters (class, static, object literal) have twins: ag.convert(descriptor.get) is the converted accessor', () => {
    sameInBothForms(members.getter, 6);
    sameInBothForms(members.staticGetter, 30);
    sameInBothForms(members.superGetter, 3);
    expect(members.superGetterByCall).toBe(3);
    sameInBothForms(members.objectGetter, 4);
    expect(members.setterRuns).toEqual([
      [4, -4],
      [4, -4],
    ]);
    expect(members.objectSetterRuns).toEqual([5, 5]);
    expect(members.failedGetter).toBe('ConversionError: direct eval cannot be converted');
  });

  it('methods under string, numeric and literal computed keys (static too) have twins; no twin key is left behind', () => {
    sameInBothForms(members.spaced, 2);
    sameInBothForms(members.numeric, 84);
    sameInBothForms(members.literalKey, 6);
    sameInBothForms(members.staticName, 3);
    sameInBothForms(members.objectQuoted, 5);
    sameInBothForms(members.objectNumeric, 21);
    expect(members.noLeftoverKeys).toBe(true);
  });

  it('a method replaced by a later property of the same name gives its twin to nothing', () => {
    expect(members.clash).toEqual(['other', 'other']);
  });

  it('private methods (instance, static, async) have twins, registered by the class itself', () => {
    sameInBothForms(members.privateFromConverted, 16);
    sameInBothForms(members.privateTwins.secret, 6);
    sameInBothForms(members.privateTwins.scaled, 9);
    expect(members.privateTwins.laterEager).toBe(true);
    expect(members.privateTwins.laterGraph).toBe(
      'ConversionError: async functions cannot be converted to the graph form',
    );
  });

  it('converted code reading a getter runs the accessor as it is (a property read is not a call)', () => {
    sameInBothForms(members.readTotal, 6);
  });

  it('parameter defaults reading earlier parameters, and new.target, in twins', () => {
    sameInBothForms(members.defaults[0], [1, 2]);
    sameInBothForms(members.defaults[1], [30, 20]);
    sameInBothForms(members.defaults[2], [6, 5]);
    sameInBothForms(members.newTarget.called, 4);
    expect(members.newTarget.constructedOriginal).toBe(1);
    expect(members.newTarget.constructedConverted).toContain(
      "TypeError: the converted form of 'Maker' cannot be called with new",
    );
    expect(members.newTarget.fromConverted).toBe(true);
  });
});
