/**
 * Node module hooks (installed by ./register.ts): strip TypeScript and add converted twins at load
 * time, so converted functions keep their closures. They come in two kinds sharing one
 * implementation: synchronous for module.registerHooks (in-thread, Node ≥ 22.15) and asynchronous
 * for module.register (off-thread, Node 20).
 *
 * Start-up stays close to Node's own: this module imports nothing heavy. A module is converted only
 * if its text may opt in (transform/opt-in.ts): any other JavaScript module passes through untouched,
 * any other TypeScript module only has its types stripped. Both go through the on-disk cache, opened
 * with the first TypeScript module or module that may opt in; amaro is loaded on the first cache miss
 * of a module to strip, the parser and the converters on the first of a module to convert.
 * node_modules and autograph-ts itself are never converted.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { delimiter } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WHOLE_MODULES_ENV } from '../protocol.ts';
import { mayOptIn } from '../transform/opt-in.ts';

const TS_EXTENSION = /\.(ts|mts)$/;
const wholeModules = new Set((process.env[WHOLE_MODULES_ENV] ?? '').split(delimiter).filter(Boolean));
/**
 * This package's own modules: the runtime, and the modules the sync hooks load with require(), which
 * must not pass through the hooks that are loading them.
 */
const OWN_MODULES = new URL('..', import.meta.url).href;
const RUNTIME_URL = new URL('../runtime/index.js', import.meta.url).href;
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

type ModuleSource = string | ArrayBuffer | NodeJS.TypedArray;
interface ResolveContext {
  parentURL?: string;
}
interface Resolved {
  url: string;
  format?: string | null;
}
interface LoadContext {
  format?: string | null;
}
interface Loaded {
  format?: string | null;
  source?: ModuleSource | null;
  shortCircuit?: boolean;
}
/** Node's next hooks: they return their result in a synchronous hook, a promise of it in an async one. */
type NextResolve<R> = (specifier: string, context: ResolveContext) => R;
type NextLoad<R> = (url: string, context: LoadContext) => R;

/** What the two kinds of hooks do differently: read a file, load a module of this package lazily. */
interface Io {
  readText(file: string): string | Promise<string>;
  stripper(): typeof import('./strip.ts') | Promise<typeof import('./strip.ts')>;
  cache(): typeof import('./cache.ts') | Promise<typeof import('./cache.ts')>;
  converter(): typeof import('./convert.ts') | Promise<typeof import('./convert.ts')>;
}

const requireHere = createRequire(import.meta.url);
const syncIo: Io = {
  readText: (file) => readFileSync(file, 'utf8'),
  // require() of an ES module: every Node that has registerHooks can (≥ 22.12).
  stripper: () => requireHere('./strip.js'),
  cache: () => requireHere('./cache.js'),
  converter: () => requireHere('./convert.js'),
};
const asyncIo: Io = {
  readText: (file) => readFile(file, 'utf8'),
  stripper: () => import('./strip.ts'),
  cache: () => import('./cache.ts'),
  converter: () => import('./convert.ts'),
};

/**
 * A hook is written once, as a generator that yields whatever it waits for (the next hook's result,
 * a file, a module) and is handed it back: at once by runSync, once settled by runAsync. A rejected
 * promise is thrown where it was yielded, as a synchronous hook's exception is.
 */
type Steps<T> = Generator<unknown, T, unknown>;

function* wait<T>(value: T | Promise<T>): Steps<T> {
  return (yield value) as T;
}

function runSync<T>(steps: Steps<T>): T {
  let step = steps.next();
  while (!step.done) step = steps.next(step.value);
  return step.value;
}

async function runAsync<T>(steps: Steps<T>): Promise<T> {
  let step = steps.next();
  while (!step.done) {
    let value: unknown;
    try {
      value = await step.value;
    } catch (error) {
      step = steps.throw(error);
      continue;
    }
    step = steps.next(value);
  }
  return step.value;
}

/** Lets TS sources import each other with the `.js` extension, as tsc expects them to. */
function* resolveSteps(
  specifier: string,
  context: ResolveContext,
  nextResolve: NextResolve<Resolved | Promise<Resolved>>,
): Steps<Resolved> {
  try {
    return yield* wait(nextResolve(specifier, context));
  } catch (error) {
    const fromTs =
      context.parentURL &&
      TS_EXTENSION.test(context.parentURL) &&
      !context.parentURL.includes('/node_modules/');
    if (!fromTs || !/^\.{1,2}\//.test(specifier) || !/\.js$/.test(specifier)) throw error;
    return yield* wait(nextResolve(specifier.replace(/\.js$/, '.ts'), context));
  }
}

function* loadSteps(
  url: string,
  context: LoadContext,
  nextLoad: NextLoad<Loaded | Promise<Loaded>>,
  io: Io,
): Steps<Loaded> {
  if (!url.startsWith('file:') || url.includes('/node_modules/') || url.startsWith(OWN_MODULES))
    return yield* wait(nextLoad(url, context));
  const file = fileURLToPath(url);
  const whole = wholeModules.has(file);
  if (!TS_EXTENSION.test(url)) {
    const loaded = yield* wait(nextLoad(url, context));
    if (loaded.format !== 'module' || loaded.source == null) return loaded;
    const source = typeof loaded.source === 'string' ? loaded.source : utf8.decode(loaded.source);
    if (!whole && !mayOptIn(source)) return loaded;
    return esModule(yield* convertSteps(source, file, false, whole, io));
  }
  const source = yield* wait(io.readText(file));
  if (!whole && !mayOptIn(source)) {
    // Cached too: a program whose modules are all in the cache does not even load amaro.
    const stripped = yield* throughCache(['types stripped', source], io, function* () {
      const { stripTypes } = yield* wait(io.stripper());
      return { code: stripTypes(source, file), cacheable: true };
    });
    if (stripped !== undefined) return esModule(stripped);
  }
  return esModule(yield* convertSteps(source, file, true, whole, io));
}

/** The module with twins, or without them where it cannot have them (then not cached). */
function convertSteps(source: string, file: string, typescript: boolean, whole: boolean, io: Io) {
  return throughCache([file, typescript, whole, RUNTIME_URL, source], io, function* () {
    const { convertModule } = yield* wait(io.converter());
    return convertModule(source, { file, typescript, whole, runtime: RUNTIME_URL });
  });
}

/**
 * The code that `compute` gives for a module, through the on-disk cache keyed by `parts`: read from
 * the cache where it holds it, else computed and, where cacheable, written.
 */
function* throughCache<Code extends string | undefined>(
  parts: readonly (string | boolean)[],
  io: Io,
  compute: () => Steps<{ code: Code; cacheable: boolean }>,
): Steps<string | Code> {
  const cache = (yield* wait(io.cache())).loaderCache();
  const key = cache?.key(parts);
  const cached = key === undefined ? undefined : cache?.get(key);
  if (cached !== undefined) return cached;
  const { code, cacheable } = yield* compute();
  if (key !== undefined && cacheable && code !== undefined) cache?.set(key, code);
  return code;
}

const esModule = (source: string): Loaded => ({ format: 'module', source, shortCircuit: true });

/** The hooks of module.register, run off-thread. */
export const resolve = (
  specifier: string,
  context: ResolveContext,
  nextResolve: NextResolve<Promise<Resolved>>,
) => runAsync(resolveSteps(specifier, context, nextResolve));
export const load = (url: string, context: LoadContext, nextLoad: NextLoad<Promise<Loaded>>) =>
  runAsync(loadSteps(url, context, nextLoad, asyncIo));

/** The hooks of module.registerHooks, run in the thread that loads the modules. */
export const resolveSync = (specifier: string, context: ResolveContext, nextResolve: NextResolve<Resolved>) =>
  runSync(resolveSteps(specifier, context, nextResolve));
export const loadSync = (url: string, context: LoadContext, nextLoad: NextLoad<Loaded>) =>
  runSync(loadSteps(url, context, nextLoad, syncIo));
