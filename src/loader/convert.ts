/**
 * The loader's conversion of a module that may opt in: twins added by transformModule, through the
 * on-disk cache. The hooks load this module (and with it the parser, the converters and amaro) only
 * when a module's text may opt in. A module never fails to load because of autograph-ts: a function
 * that cannot be converted just records its ConversionError.
 */
import amaro from 'amaro';
import { ConversionError } from '../errors.ts';
import { transformModule } from '../transform/module.ts';
import { openCache } from './cache.ts';
import { stripTypes } from './strip.ts';

const RUNTIME_URL = new URL('../runtime/index.js', import.meta.url).href;
const cache = openCache();

/** The module's code with twins (types stripped), or without them where it cannot have them. */
export function convertModule(source: string, file: string, typescript: boolean, whole: boolean): string {
  const key = cache?.key([file, typescript, whole, RUNTIME_URL, source]);
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
      return typescript ? (stripTypes(source, file) ?? source) : source;
    process.emitWarning(
      `autograph-ts: ${file} is loaded without converted twins: ${(error as Error).message}`,
    );
    return typescript ? amaro.transformSync(source, { mode: 'transform', filename: file }).code : source;
  }
}
