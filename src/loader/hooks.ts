/**
 * Node module hooks (registered by ./register.ts): strip TypeScript and add converted twins at load
 * time, so converted functions keep their closures. A module never fails to load because of
 * autograph-ts: a function that cannot be converted just records its ConversionError.
 */
import { readFile } from 'node:fs/promises';
import { delimiter } from 'node:path';
import { fileURLToPath } from 'node:url';
import amaro from 'amaro';
import { ConversionError } from '../errors.ts';
import { WHOLE_MODULES_ENV } from '../protocol.ts';
import { DIRECTIVE, transformModule } from '../transform/module.ts';
import { openCache } from './cache.ts';

const TS_EXTENSION = /\.(ts|mts)$/;
const wholeModules = new Set((process.env[WHOLE_MODULES_ENV] ?? '').split(delimiter).filter(Boolean));
const RUNTIME_URL = new URL('../runtime/index.js', import.meta.url).href;
const cache = openCache();

type Resolve = (specifier: string, context: unknown) => Promise<{ url: string; format?: string | null }>;
type Load = (
  url: string,
  context: { format?: string | null },
) => Promise<{ format?: string | null; source?: unknown }>;

/** Lets TS sources import each other with the `.js` extension, as tsc expects them to. */
export async function resolve(specifier: string, context: { parentURL?: string }, nextResolve: Resolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    const fromTs =
      context.parentURL &&
      TS_EXTENSION.test(context.parentURL) &&
      !context.parentURL.includes('/node_modules/');
    if (!fromTs || !/^\.{1,2}\//.test(specifier) || !/\.js$/.test(specifier)) throw error;
    return nextResolve(specifier.replace(/\.js$/, '.ts'), context);
  }
}

export async function load(url: string, context: { format?: string | null }, nextLoad: Load) {
  if (!url.startsWith('file:') || url.includes('/node_modules/')) return nextLoad(url, context);
  const typescript = TS_EXTENSION.test(url);
  let source: string;
  if (typescript) {
    source = await readFile(fileURLToPath(url), 'utf8');
  } else {
    const loaded = await nextLoad(url, context);
    if (loaded.format !== 'module' || loaded.source == null) return loaded;
    source = String(loaded.source);
  }
  const file = fileURLToPath(url);
  return { format: 'module', source: transformOrExplain(source, file, typescript), shortCircuit: true };
}

function transformOrExplain(source: string, file: string, typescript: boolean): string {
  const whole = wholeModules.has(file);
  // Only modules that may opt in are cached: stripping types alone is as fast as reading an entry.
  const key =
    cache && (whole || source.includes('autograph-ts') || source.includes(DIRECTIVE))
      ? cache.key([file, typescript, whole, RUNTIME_URL, source])
      : undefined;
  if (key !== undefined) {
    const cached = cache!.get(key);
    if (cached !== undefined) return cached;
  }
  try {
    const out = transformModule(source, { file, typescript, runtime: RUNTIME_URL, whole });
    if (key !== undefined) cache!.set(key, out.code);
    return out.code;
  } catch (error) {
    // Syntax errors are reported by Node itself, on the original text; TypeScript with runtime
    // semantics (enums, namespaces) is compiled without twins, and says so.
    if (error instanceof ConversionError && /^syntax error/.test(error.reason))
      return typescript ? blank(source, file) : source;
    process.emitWarning(
      `autograph-ts: ${file} is loaded without converted twins: ${(error as Error).message}`,
    );
    return typescript ? amaro.transformSync(source, { mode: 'transform', filename: file }).code : source;
  }
}

function blank(source: string, file: string): string {
  try {
    return amaro.transformSync(source, { mode: 'strip-only', filename: file }).code;
  } catch {
    return source;
  }
}
