/**
 * Type stripping for the TypeScript modules that do not opt in, loaded by the hooks on the first
 * such module: amaro alone, without the parser and the converters.
 */
import amaro from 'amaro';

/**
 * The module with its types blanked (positions kept, so no source map is needed), or undefined where
 * that is not possible (syntax with runtime meaning, or a syntax error): convertModule then compiles
 * it as before and explains.
 */
export function stripTypes(source: string, file: string): string | undefined {
  try {
    return amaro.transformSync(source, { mode: 'strip-only', filename: file }).code;
  } catch {
    return undefined;
  }
}
