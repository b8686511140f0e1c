/**
 * The bundler plugin (Vite, Rollup, esbuild, webpack through unplugin): the loader's module transform
 * at build time and in dev servers. A module that imports autograph-ts or holds a 'use autograph'
 * directive gets its converted twins; its TypeScript is blanked (positions kept) and the source map
 * is handed to the bundler, which chains it. Everything else, and all of node_modules, is left alone.
 */
import { isAbsolute, relative, sep } from 'node:path';
import { createUnplugin, type UnpluginInstance } from 'unplugin';
import { ConversionError } from '../errors.ts';
import { transformModule } from '../transform/module.ts';
import { mayOptIn } from '../transform/opt-in.ts';

export interface PluginOptions {
  /**
   * The specifier converted modules import the runtime from: `autograph-ts/runtime` (resolved by the
   * bundler, so that it is the same module instance as the app's `autograph-ts`).
   */
  runtime?: string;
  /** Modules (by id) to leave unconverted besides node_modules. */
  exclude?: RegExp;
  /**
   * The project's root (default: the working directory): converted code names files relative to it
   * in its messages, so that a bundle holds no path of the machine that built it.
   */
  root?: string;
}

/** The module ids the plugin reads: JS and TS files, outside node_modules, virtual modules excluded. */
const SOURCE = /\.(?:[mc]?[jt]s)$/;
const TYPESCRIPT = /\.[mc]?ts$/;

/** A module's file path: its id without a query (`?v=…`) or hash. */
const fileOf = (id: string) => id.replace(/[?#].*$/, '');

/** Whether the plugin converts the module `id` (before looking at its text). */
export function includes(id: string, options: PluginOptions = {}): boolean {
  if (id.startsWith('\0') || id.includes('/node_modules/') || id.includes('\\node_modules\\')) return false;
  const file = fileOf(id);
  return SOURCE.test(file) && !file.endsWith('.d.ts') && !options.exclude?.test(file);
}

export interface PluginResult {
  code: string;
  map: NonNullable<ReturnType<typeof transformModule>['map']>;
}

/**
 * The module `id` with its converted twins and their source map, or `undefined` when it does not opt
 * in (the bundler then compiles it as usual). A module whose text does not parse is left to the
 * bundler, which reports the error; one that cannot be converted otherwise is left unconverted, with
 * a warning (as the loader does).
 */
export function transformForBundler(
  code: string,
  id: string,
  options: PluginOptions = {},
  warn: (message: string) => void = console.warn,
): PluginResult | undefined {
  if (!mayOptIn(code)) return undefined;
  const file = fileOf(id);
  try {
    const out = transformModule(code, {
      file,
      label: projectPath(file, options.root ?? process.cwd()),
      typescript: TYPESCRIPT.test(file),
      runtime: options.runtime ?? 'autograph-ts/runtime',
      sourceMap: 'object',
    });
    return out.converted ? { code: out.code, map: out.map! } : undefined;
  } catch (error) {
    if (!(error instanceof ConversionError && /^syntax error/.test(error.reason)))
      warn(`autograph-ts: ${file} is built without converted twins: ${(error as Error).message}`);
    return undefined;
  }
}

/** `file` relative to `root` with `/` separators, or `file` itself when it is not inside `root`. */
function projectPath(file: string, root: string): string {
  const path = relative(root, file);
  return path === '' || path.startsWith('..') || isAbsolute(path) ? file : path.split(sep).join('/');
}

/** The plugin for every bundler unplugin supports (`.vite`, `.rollup`, `.esbuild`, `.webpack`, …). */
export const autograph: UnpluginInstance<PluginOptions | undefined, false> = createUnplugin(
  (options: PluginOptions | undefined) => ({
    name: 'autograph-ts',
    // Before the bundler's own TypeScript compilation: the positions of the .ts text are the map's.
    enforce: 'pre',
    transformInclude: (id: string) => includes(id, options),
    transform(code: string, id: string) {
      return transformForBundler(code, id, options, (message) => this.warn(message));
    },
  }),
);
