/**
 * Third-party libraries as tests: every exported function of a pure-JS library, converted under the
 * loader, is compared with the same function of the untouched package on fast-check generated
 * arguments: the same value or the same error (class and message), the same mutations of the
 * arguments, the same calls of the callbacks it was given (spies), for both converted forms.
 *
 * The loader never converts files under node_modules, so the library's ESM sources are copied to a
 * folder under the OS temp directory, each file with the `'use autograph';` directive put before its
 * first line (on that line, so that line numbers stay). This module does not import autograph-ts
 * (it would be converted itself, spies included): the caller passes `ag.convert` in.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import fc from 'fast-check';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** A library under test: its package, the folder of its ESM sources and what is left out. */
export interface LibrarySpec {
  name: string;
  /** The exact version pinned in package.json (checked against the installed one). */
  version: string;
  /** Folder of the ESM sources inside the package (the entry and the modules it imports are copied). */
  sources: string;
  /** The module of those sources whose named exports are tested. */
  entry: string;
  /** Exports not run at all, with the reason (reported, never silent). */
  skip?: Record<string, string>;
  /**
   * Exports whose numeric arguments are sizes or repetition counts, or that loop while a callback
   * says so: numbers are kept small, and callbacks are spies (their call budget ends a loop).
   */
  sized?: string[];
  /** Arguments lean to dates, intervals and option objects (date libraries). */
  dates?: boolean;
  /** Strings that mean something to the library (format patterns), among the generated ones. */
  strings?: string[];
  /** Exports that are methods: called on `make(that side's exports, first argument)`. */
  methods?: { names: string[]; make: (exports: Record<string, any>, value: unknown) => unknown };
}

type AnyFunction = (...args: any[]) => any;
export type Convert = (fn: AnyFunction, options: { form: 'eager' | 'graph' }) => AnyFunction;

export interface Difference {
  name: string;
  /** `eager`, `graph`, or `original` (a function that fell back: the module's own function). */
  form: string;
  args: string;
  expected: string;
  actual: string;
}

export interface LibraryReport {
  name: string;
  version: string;
  exported: number;
  preserved: string[];
  /** Conversion failures by reason, with the functions they hit; those functions behaved the same. */
  fellBack: Record<string, string[]>;
  differed: Difference[];
  skipped: Record<string, string>;
  /** Functions that threw on every argument list (compared on their errors only). */
  alwaysThrew: string[];
  runs: number;
}

// ---------------------------------------------------------------------------------------------------
// Generated arguments: templates, made into fresh values (spies included) for every run.

/** A callback in a template: how it behaves and the length it declares. */
class SpyTemplate {
  readonly kind: SpyKind;
  readonly length: number;
  readonly value: unknown;
  constructor(kind: SpyKind, length: number, value: unknown) {
    this.kind = kind;
    this.length = length;
    this.value = value;
  }
}

class DateTemplate {
  readonly time: number;
  constructor(time: number) {
    this.time = time;
  }
}

class MapTemplate {
  readonly entries: [unknown, unknown][];
  constructor(entries: [unknown, unknown][]) {
    this.entries = entries;
  }
}

class SetTemplate {
  readonly values: unknown[];
  constructor(values: unknown[]) {
    this.values = values;
  }
}

/** An array, object or spy behind a Proxy that logs each operation on it while the function runs. */
class TracedTemplate {
  readonly target: object;
  constructor(target: object) {
    this.target = target;
  }
}

/** A typed array, a regular expression (flags matter: `g` keeps state) or an error. */
class BuiltinTemplate {
  readonly kind: 'Int8Array' | 'Float64Array' | 'RegExp' | 'Error';
  readonly source: unknown;
  constructor(kind: BuiltinTemplate['kind'], source: unknown) {
    this.kind = kind;
    this.source = source;
  }
}

/** A frozen array or object, or an object without a prototype. */
class ShapedTemplate {
  readonly how: 'frozen' | 'null-prototype';
  readonly target: object;
  constructor(how: 'frozen' | 'null-prototype', target: object) {
    this.how = how;
    this.target = target;
  }
}

/** Whether traced objects log now: during the calls, not while results are described. */
let tracing = false;

function traced(target: object, id: number, log: string[]): object {
  const key = (k: string | symbol) => (typeof k === 'symbol' ? k.toString() : JSON.stringify(k));
  const record = (text: string) => {
    if (!tracing) return;
    log.push(`traced${id}.${text}`);
    if (log.length > SPY_BUDGET) throw new SpyBudgetExceeded('spy budget exceeded');
  };
  return new Proxy(target, {
    get: (t, k, r) => (record(`get ${key(k)}`), Reflect.get(t, k, r)),
    set: (t, k, v, r) => (record(`set ${key(k)}`), Reflect.set(t, k, v, r)),
    has: (t, k) => (record(`has ${key(k)}`), Reflect.has(t, k)),
    deleteProperty: (t, k) => (record(`delete ${key(k)}`), Reflect.deleteProperty(t, k)),
    ownKeys: (t) => (record('ownKeys'), Reflect.ownKeys(t)),
    getOwnPropertyDescriptor: (t, k) => (
      record(`descriptor ${key(k)}`), Reflect.getOwnPropertyDescriptor(t, k)
    ),
    defineProperty: (t, k, d) => (record(`define ${key(k)}`), Reflect.defineProperty(t, k, d)),
    getPrototypeOf: (t) => (record('getPrototypeOf'), Reflect.getPrototypeOf(t)),
    apply: (t, self, args) => (record('apply'), Reflect.apply(t as AnyFunction, self, args)),
  });
}

/** Built-in functions passed as callbacks (their identity is kept: the same value on both sides). */
const NATIVES: AnyFunction[] = [
  Math.max,
  String,
  Number,
  Boolean,
  Array.isArray,
  Object.keys,
  Array.of,
  parseInt,
  JSON.stringify,
  Array.prototype.map,
  Array.prototype.forEach,
  Array.prototype.concat,
];

/**
 * Their own keys: a call that adds properties to one (`set(Math.max, 'a', 1)`) is undone after it
 * (not the marks autograph-ts's runtime puts on Array methods).
 */
const NATIVE_KEYS = NATIVES.map((f) => new Set(Reflect.ownKeys(f)));

function restoreNatives(): void {
  NATIVES.forEach((f, i) => {
    for (const key of Reflect.ownKeys(f))
      if (!NATIVE_KEYS[i]!.has(key) && !String(key).startsWith('Symbol(autograph-ts')) delete (f as any)[key];
  });
}

const SPY_KINDS = ['identity', 'constant', 'truthy', 'falsy', 'compare', 'concat', 'arity', 'throw'] as const;
type SpyKind = (typeof SPY_KINDS)[number];

/** Calls of all spies in one run; past this a spy throws (a callback-driven loop that never ends). */
const SPY_BUDGET = 500;

class SpyBudgetExceeded extends Error {}

/** A deterministic callback: its result depends only on its arguments and template; calls are logged, `this` too. */
function makeSpy(t: SpyTemplate, id: number, log: string[], spies: Map<unknown, number>): AnyFunction {
  const spy = function (this: unknown, ...args: any[]) {
    const receiver = this === undefined ? '' : `this ${show(this, spies)}; `;
    log.push(`spy${id}(${receiver}${args.map((a) => show(a, spies)).join(', ')})`);
    if (log.length > SPY_BUDGET) throw new SpyBudgetExceeded('spy budget exceeded');
    const [a, b] = args;
    switch (t.kind) {
      case 'identity':
        return a;
      case 'constant':
        return materialize(t.value, log, spies);
      case 'truthy':
        return !!a;
      case 'falsy':
        return !a;
      case 'compare':
        return a < b ? -1 : a > b ? 1 : 0;
      case 'concat':
        return typeof a === 'symbol' || typeof b === 'symbol' ? 0 : `${a}${b}`;
      case 'arity':
        return args.length;
      case 'throw':
        throw new Error(`spy${id} throws`);
    }
  };
  Object.defineProperty(spy, 'length', { value: t.length });
  spies.set(spy, id);
  return spy;
}

/** A fresh value from a template: new arrays, objects, dates, maps, sets and spies. */
function materialize(t: unknown, log: string[], spies: Map<unknown, number>): unknown {
  if (t instanceof SpyTemplate) return makeSpy(t, spies.size, log, spies);
  if (t instanceof DateTemplate) return new Date(t.time);
  if (t instanceof MapTemplate)
    return new Map(t.entries.map(([k, v]) => [materialize(k, log, spies), materialize(v, log, spies)]));
  if (t instanceof SetTemplate) return new Set(t.values.map((v) => materialize(v, log, spies)));
  if (t instanceof BuiltinTemplate) {
    if (t.kind === 'RegExp') return new RegExp(...(t.source as [string, string]));
    if (t.kind === 'Error') return new TypeError(t.source as string);
    return t.kind === 'Int8Array'
      ? Int8Array.from(t.source as number[])
      : Float64Array.from(t.source as number[]);
  }
  if (t instanceof ShapedTemplate) {
    const inner = materialize(t.target, log, spies) as object;
    return t.how === 'frozen' ? Object.freeze(inner) : Object.assign(Object.create(null), inner);
  }
  if (t instanceof TracedTemplate) {
    const proxy = traced(materialize(t.target, log, spies) as object, spies.size, log);
    spies.set(proxy, spies.size);
    return proxy;
  }
  if (Array.isArray(t)) return t.map((v) => materialize(v, log, spies));
  if (t !== null && typeof t === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(t)) out[k] = materialize(v, log, spies);
    return out;
  }
  return t;
}

/** What Date.now returns during a run. */
const CLOCK = Date.UTC(2024, 0, 2, 3, 4, 5, 6);

/** Object keys; `length` only in array-likes, with a small value (a large one makes array loops endless). */
const KEYS = ['a', 'b', 'c', '0', '1', 'x.y', 'constructor'];

/** How arguments are generated for one function. */
interface Generation {
  /** Numbers are sizes (see LibrarySpec.sized). */
  small: boolean;
  dates: boolean;
  strings: string[];
}

function valueArbitrary({ small, dates, strings: extra }: Generation): {
  value: fc.Arbitrary<unknown>;
  argument: fc.Arbitrary<unknown>;
} {
  const numbers = small
    ? fc.oneof(fc.integer({ min: -3, max: 12 }), fc.constantFrom(NaN, -0, 0.5, -1.5))
    : fc.oneof(
        fc.integer({ min: -10, max: 100 }),
        fc.constantFrom(NaN, -0, 0, 1, 2, Infinity, -Infinity, 0.5, -1.5, 2 ** 31, Number.MAX_SAFE_INTEGER),
        fc.double({ noNaN: true, min: -1e6, max: 1e6 }),
      );
  // Sizes also come from strings and dates (as numbers): for sized functions, no digits nor dates.
  const named = fc.constantFrom(
    ...['', 'a', 'abc', 'a-b c', 'fooBar', 'FOO_BAR', ' x ', 'length', 'a.b', '[0]'].concat(extra),
  );
  const strings = small
    ? named
    : fc.oneof(fc.string({ maxLength: 6 }), named, fc.constantFrom('0', '1', '12'));
  const spy = fc
    .tuple(
      fc.constantFrom(...SPY_KINDS),
      fc.integer({ min: 0, max: 3 }),
      fc.oneof(numbers, strings, fc.boolean(), fc.constant(null)),
    )
    .map(([kind, length, value]) => new SpyTemplate(kind, length, value));
  const leaf = fc.oneof(
    { weight: 4, arbitrary: numbers },
    { weight: 3, arbitrary: strings },
    { weight: 1, arbitrary: fc.boolean() },
    { weight: 1, arbitrary: fc.constantFrom(null, undefined) },
    { weight: 2, arbitrary: spy },
    {
      weight: 1,
      arbitrary: fc.oneof(
        fc.bigInt({ min: -5n, max: 5n }),
        fc.constantFrom(Symbol.for('s'), Symbol.iterator),
      ),
    },
    {
      weight: small ? 0 : 1,
      arbitrary: fc.integer({ min: -1e12, max: 1e12 }).map((t) => new DateTemplate(t)),
    },
  );
  const { value } = fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', maxDepth: 3 },
      { weight: 5, arbitrary: leaf },
      { weight: 2, arbitrary: fc.array(tie('value'), { maxLength: 4 }) },
      { weight: 2, arbitrary: fc.dictionary(fc.constantFrom(...KEYS), tie('value'), { maxKeys: 3 }) },
      { weight: 1, arbitrary: fc.sparseArray(tie('value'), { maxLength: 4 }) },
      {
        weight: 1,
        arbitrary: fc.oneof(
          fc
            .tuple(
              fc.constantFrom('Int8Array', 'Float64Array') as fc.Arbitrary<'Int8Array' | 'Float64Array'>,
              fc.array(numbers, { maxLength: 4 }),
            )
            .map(([kind, items]) => new BuiltinTemplate(kind, items)),
          fc
            .tuple(fc.constantFrom('a', '^\\w+', '(\\d)|-', '[.]', ''), fc.constantFrom('', 'g', 'i', 'gy'))
            .map((source) => new BuiltinTemplate('RegExp', source)),
          strings.map((message) => new BuiltinTemplate('Error', message)),
        ),
      },
      {
        weight: 1,
        arbitrary: fc
          .tuple(
            fc.constantFrom('frozen', 'null-prototype', 'traced'),
            fc.oneof(
              fc.array(tie('value'), { maxLength: 3 }),
              fc.dictionary(fc.constantFrom(...KEYS), tie('value'), { maxKeys: 3 }),
            ),
          )
          .map(([how, target]) =>
            how === 'traced' ? new TracedTemplate(target) : new ShapedTemplate(how, target),
          ),
      },
      {
        weight: 1,
        arbitrary: fc
          .tuple(fc.array(tie('value'), { maxLength: 3 }), fc.integer({ min: 0, max: 4 }))
          .map(([items, length]) => ({ ...items, length })),
      },
      {
        weight: 1,
        arbitrary: fc
          .array(fc.tuple(fc.oneof(numbers, strings), tie('value')), { maxLength: 3 })
          .map((e) => new MapTemplate(e)),
      },
      { weight: 1, arbitrary: fc.array(leaf, { maxLength: 3 }).map((v) => new SetTemplate(v)) },
    ),
  }));
  // Arguments lean to what library functions take: collections of like values, and callbacks.
  const record = fc.record({ a: fc.integer({ min: -3, max: 5 }), b: strings }, { requiredKeys: [] });
  const collection = fc.oneof(
    fc.array(fc.integer({ min: -5, max: 20 }), { maxLength: 6 }),
    fc.array(strings, { maxLength: 5 }),
    fc.array(record, { maxLength: 4 }),
    fc.array(fc.array(fc.oneof(numbers, strings), { maxLength: 3 }), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom(...KEYS), fc.oneof(numbers, strings), { maxKeys: 4 }),
  );
  // Sized functions (one entry per minute of an interval) get dates within a day of CLOCK.
  const date = (
    small
      ? fc.integer({ min: CLOCK - 864e5, max: CLOCK + 864e5 })
      : fc.oneof(fc.integer({ min: -1e12, max: 4e12 }), fc.constantFrom(NaN, 0, -1, 8.64e15, 8.64e15 + 1))
  ).map((t) => new DateTemplate(t));
  const dateLike = fc.oneof(
    { weight: 4, arbitrary: date },
    { weight: 1, arbitrary: fc.array(date, { maxLength: 4 }) },
    { weight: 1, arbitrary: fc.record({ start: date, end: date }) },
    {
      weight: 1,
      arbitrary: fc.record(
        {
          weekStartsOn: fc.integer({ min: -1, max: 7 }),
          firstWeekContainsDate: fc.integer({ min: 0, max: 8 }),
          roundingMethod: fc.constantFrom('floor', 'ceil', 'round', 'trunc', 'x'),
          years: numbers,
          months: numbers,
          days: numbers,
          hours: numbers,
        },
        { requiredKeys: [] },
      ),
    },
  );
  const argument = fc.oneof(
    { weight: dates ? 6 : 0, arbitrary: dateLike },
    { weight: 3, arbitrary: value },
    { weight: 3, arbitrary: collection },
    { weight: 3, arbitrary: spy },
    // (not for sized functions: a built-in callback has no call budget to stop a loop)
    { weight: small ? 0 : 1, arbitrary: fc.constantFrom(...NATIVES) },
    { weight: 1, arbitrary: numbers },
    { weight: 1, arbitrary: strings },
    { weight: 1, arbitrary: fc.oneof(collection, record).map((v) => new TracedTemplate(v)) },
    { weight: 1, arbitrary: spy.map((v) => new TracedTemplate(v)) },
  );
  return { value, argument };
}

/** Argument lists for `fn`: its declared arity, give or take, and the arguments of a probe call of its result. */
function argumentsArbitrary(arity: number, generation: Generation) {
  const { argument } = valueArbitrary(generation);
  return fc.record({
    args: fc
      .integer({ min: Math.max(0, arity - 1), max: Math.min(arity + 2, 6) })
      .chain((n) => fc.array(argument, { minLength: n, maxLength: n })),
    probe: fc.array(argument, { maxLength: 3 }),
  });
}

type Case = { args: unknown[]; probe: unknown[] };

// ---------------------------------------------------------------------------------------------------
// Structural description of values: what two runs must agree on.

/**
 * A canonical text for `value`: Object.is on numbers (NaN, -0), spies by number, other functions by
 * arity, dates, maps, sets, regexps, errors, prototypes by constructor name, property order kept,
 * shared and cyclic references as back references (so aliasing counts too).
 */
export function show(value: unknown, spies: Map<unknown, number>, seen = new Map<object, number>()): string {
  switch (typeof value) {
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'string':
      return JSON.stringify(value);
    case 'bigint':
      return `${value}n`;
    case 'symbol':
      return value.toString();
    case 'undefined':
      return 'undefined';
    case 'boolean':
      return String(value);
  }
  if (value === null) return 'null';
  const object = value as object;
  const id = seen.get(object);
  if (id !== undefined) return `<ref ${id}>`;
  seen.set(object, seen.size);
  if (typeof object === 'function') {
    const spy = spies.get(object);
    return spy !== undefined ? `spy${spy}` : `function/${(object as AnyFunction).length}`;
  }
  const inner = (v: unknown) => show(v, spies, seen);
  const proto = Object.getPrototypeOf(object);
  const kind = proto === null ? 'null' : (proto.constructor?.name ?? '?');
  let head = kind;
  // (through the prototypes' methods: a call may set own properties of these names)
  if (object instanceof Date) head += `(${Date.prototype.getTime.call(object)})`;
  else if (object instanceof RegExp) head += `(${RegExp.prototype.toString.call(object)})`;
  else if (object instanceof Error) head += `(${JSON.stringify(object.message)})`;
  else if (object instanceof Map)
    head += `(${Array.from(Map.prototype.entries.call(object), ([k, v]) => `${inner(k)} => ${inner(v)}`).join(', ')})`;
  else if (object instanceof Set)
    head += `(${Array.from(Set.prototype.values.call(object), inner).join(', ')})`;
  else if (object instanceof Number) head += `(${inner(Number.prototype.valueOf.call(object))})`;
  else if (object instanceof String) head += `(${inner(String.prototype.valueOf.call(object))})`;
  else if (object instanceof Boolean) head += `(${inner(Boolean.prototype.valueOf.call(object))})`;
  const keys = Reflect.ownKeys(object).filter(
    (k) => !(object instanceof Error && (k === 'stack' || k === 'message')),
  );
  const props = keys.map((k) => {
    const d = Object.getOwnPropertyDescriptor(object, k)!;
    const name = typeof k === 'symbol' ? `[${k.toString()}]` : k;
    const flag = d.enumerable ? '' : '~';
    return 'value' in d ? `${flag}${name}: ${inner(d.value)}` : `${flag}${name}: <accessor>`;
  });
  return `${head}{${props.join(', ')}}`;
}

/** The class and message of a thrown value, or the value itself when it is no error. */
function describeThrown(e: unknown, spies: Map<unknown, number>): string {
  if (e instanceof Error) return `${e.constructor.name}: ${e.message}`;
  return `throws ${show(e, spies)}`;
}

/**
 * A deterministic Math.random, reseeded for each run: lodash's random, shuffle and sample use it
 * (through `Math.random` as it was when the module loaded, hence installed before the imports).
 */
let randomState = 0;

function installRandom(): void {
  Math.random = () => {
    let s = (randomState = (randomState + 0x6d2b79f5) >>> 0);
    s = Math.imul(s ^ (s >>> 15), 1 | s);
    s = (s + Math.imul(s ^ (s >>> 7), 61 | s)) ^ s;
    return ((s ^ (s >>> 14)) >>> 0) / 4294967296;
  };
}

/** Runs `fn` on fresh values made from `c` and describes everything observable. */
function observe(fn: AnyFunction, c: Case, receiver?: (value: unknown) => unknown): string {
  const log: string[] = [];
  const spies = new Map<unknown, number>();
  const args = c.args.map((a) => materialize(a, log, spies));
  const self = receiver?.(args.shift());
  const now = Date.now;
  randomState = 7919;
  Date.now = () => CLOCK;
  let outcome: string;
  try {
    let result: unknown;
    try {
      tracing = true;
      result = fn.apply(self, args);
      tracing = false;
      outcome = `returns ${show([result, args, self], spies)}`;
    } catch (e) {
      tracing = false;
      outcome = `throws ${describeThrown(e, spies)}; arguments ${show(args, spies)}`;
    }
    // A function result is called once, on fresh probe arguments.
    if (typeof result === 'function') {
      const probe = c.probe.map((a) => materialize(a, log, spies));
      try {
        tracing = true;
        const value = (result as AnyFunction)(...probe);
        tracing = false;
        outcome += `; probe returns ${show([value, probe, args], spies)}`;
      } catch (e) {
        tracing = false;
        outcome += `; probe throws ${describeThrown(e, spies)}`;
      }
    }
  } finally {
    tracing = false;
    Date.now = now;
    restoreNatives();
  }
  return `${outcome}\ncallbacks: ${log.join(' ')}`;
}

// ---------------------------------------------------------------------------------------------------
// Running a library.

/** Copies the library's sources (directive added) to a temp folder; the entry module's file URLs. */
const IMPORTS =
  /(?:import|export)\s[^'";]*?from\s*['"](\.{1,2}\/[^'"]+)['"]|import\s*['"](\.{1,2}\/[^'"]+)['"]/g;

export function prepareCopy(spec: LibrarySpec): { reference: string; converted: string } {
  const pkg = join(ROOT, 'node_modules', spec.name);
  const installed = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')).version;
  if (installed !== spec.version)
    throw new Error(`${spec.name} ${installed} is installed, the suite expects ${spec.version}: npm ci`);
  const from = join(pkg, spec.sources);
  // One folder per version, written only where it differs (atomically): the loader's cache keeps
  // the converted modules, and concurrent runs share the copy.
  const to = join(tmpdir(), 'autograph-ts-libs', `${spec.name}@${spec.version}`);
  const write = (path: string, text: string) => {
    if (existsSync(path) && readFileSync(path, 'utf8') === text) return;
    const temp = `${path}.${process.pid}.tmp`;
    writeFileSync(temp, text);
    renameSync(temp, path);
  };
  // The modules the entry reaches through relative imports (date-fns's locales and fp/ are not).
  const pending = [spec.entry];
  const copied = new Set(pending);
  while (pending.length > 0) {
    const path = pending.pop()!;
    const text = readFileSync(join(from, path), 'utf8');
    mkdirSync(dirname(join(to, path)), { recursive: true });
    write(join(to, path), `'use autograph';${text}`);
    for (const [, a, b] of text.matchAll(IMPORTS)) {
      const next = join(dirname(path), (a ?? b)!);
      // (a comment may look like an import)
      if (!copied.has(next) && existsSync(join(from, next))) copied.add(next), pending.push(next);
    }
  }
  write(join(to, 'package.json'), '{ "type": "module" }\n');
  const license = ['LICENSE', 'LICENSE.txt', 'LICENSE.md'].find((f) => existsSync(join(pkg, f)));
  if (license) write(join(to, license), readFileSync(join(pkg, license), 'utf8'));
  return {
    reference: pathToFileURL(join(from, spec.entry)).href,
    converted: pathToFileURL(join(to, spec.entry)).href,
  };
}

export interface CheckOptions {
  convert: Convert;
  /** Whether an error is autograph-ts's ConversionError. */
  isConversionError: (e: unknown) => boolean;
  runs: number;
  seed: number;
  /** Only these exports (all when absent). */
  only?: (name: string) => boolean;
  /** Called before each function is run (progress, and the culprit of a hang). */
  onFunction?: (name: string) => void;
  /** Called before each call (the arguments of a hang). */
  onCall?: (name: string, form: string, args: string) => void;
}

/** Runs every exported function of `spec` as the module docs above say. */
export async function checkLibrary(spec: LibrarySpec, options: CheckOptions): Promise<LibraryReport> {
  const urls = prepareCopy(spec);
  installRandom();
  const reference: Record<string, unknown> = await import(urls.reference);
  const converted: Record<string, unknown> = await import(urls.converted);
  const report: LibraryReport = {
    name: spec.name,
    version: spec.version,
    exported: 0,
    preserved: [],
    fellBack: {},
    differed: [],
    skipped: {},
    alwaysThrew: [],
    runs: options.runs,
  };
  const sized = new Set(spec.sized);
  for (const [name, fn] of Object.entries(converted)) {
    if (typeof fn !== 'function') continue;
    report.exported++;
    const skip = spec.skip && Object.hasOwn(spec.skip, name) ? spec.skip[name] : undefined;
    if (skip !== undefined) {
      report.skipped[name] = skip;
      continue;
    }
    if (options.only && !options.only(name)) continue;
    options.onFunction?.(name);
    const original = reference[name] as AnyFunction;
    const method = spec.methods?.names.includes(name) ? spec.methods.make : undefined;
    const [referenceThis, convertedThis] = [reference, converted].map(
      (exports) => method && ((value: unknown) => method(exports, value)),
    );
    const candidates: [string, AnyFunction][] = [];
    let failure: string | undefined;
    for (const form of ['eager', 'graph'] as const) {
      try {
        candidates.push([form, options.convert(fn as AnyFunction, { form })]);
      } catch (e) {
        if (!options.isConversionError(e)) throw e;
        failure ??= (e as { reason?: string }).reason ?? String(e);
      }
    }
    // A function that does not convert runs as it is: the module's own function must still agree.
    if (failure !== undefined) candidates.splice(0, candidates.length, ['original', fn as AnyFunction]);
    let returned = false;
    const difference = (c: Case): Difference | null => {
      for (const [form, candidate] of candidates) {
        if (candidate.length !== original.length) {
          const [expected, actual] = [original.length, candidate.length].map((n) => `length ${n}`);
          return { name, form, args: '(none: the function itself)', expected: expected!, actual: actual! };
        }
        // The reference runs right before each candidate, so that module state (uniqueId's counter)
        // advances alike on both sides.
        options.onCall?.(name, 'reference', show(c.args, new Map()));
        const expected = observe(original, c, referenceThis);
        returned ||= expected.startsWith('returns');
        options.onCall?.(name, form, show(c.args, new Map()));
        const actual = observe(candidate, c, convertedThis);
        if (expected !== actual) return { name, form, args: show(c.args, new Map()), expected, actual };
      }
      return null;
    };
    const result = fc.check(
      fc.property(
        argumentsArbitrary(original.length, {
          small: sized.has(name),
          dates: !!spec.dates,
          strings: spec.strings ?? [],
        }),
        (c) => difference(c) === null,
      ),
      { numRuns: options.runs, seed: options.seed },
    );
    if (result.failed && result.counterexample) {
      report.differed.push(difference(result.counterexample[0]) ?? unstable(name, result.counterexample[0]));
    } else if (result.failed) {
      throw new Error(`${spec.name}.${name}: the check itself failed: ${String(result.errorInstance)}`);
    } else if (failure !== undefined) {
      (report.fellBack[failure] ??= []).push(name);
    } else {
      report.preserved.push(name);
    }
    if (!returned) report.alwaysThrew.push(name);
  }
  return report;
}

/** A counterexample that agrees when replayed: reported, since the comparison is not deterministic. */
function unstable(name: string, c: Case): Difference {
  return {
    name,
    form: '?',
    args: show(c.args, new Map()),
    expected: '(differed once)',
    actual: '(agreed on replay)',
  };
}
