/**
 * The loader's conversion of a module that may opt in: twins added by transformModule. The hooks
 * load this module (and with it the parser, the converters and amaro) only on the first such module
 * that the on-disk cache does not hold. A module never fails to load because of autograph-ts: a
 * function that cannot be converted just records its ConversionError.
 */
import amaro from 'amaro';
import { ConversionError } from '../errors.ts';
import { type ModuleOptions, transformModule } from '../transform/module.ts';
import { stripTypes } from './strip.ts';

export interface Conversion {
  code: string;
  /** False where the module could not be converted: it is converted again (and warns) next time. */
  cacheable: boolean;
}

/** The module's code with twins (types stripped), or without them where it cannot have them. */
export function convertModule(source: string, options: ModuleOptions): Conversion {
  const { file, typescript = false } = options;
  try {
    return { code: transformModule(source, options).code, cacheable: true };
  } catch (error) {
    // Syntax errors are reported by Node itself, on the original text; TypeScript with runtime
    // semantics (enums, namespaces) is compiled without twins, and says so.
    if (error instanceof ConversionError && /^syntax error/.test(error.reason))
      return { code: typescript ? (stripTypes(source, file) ?? source) : source, cacheable: false };
    process.emitWarning(
      `autograph-ts: ${file} is loaded without converted twins: ${(error as Error).message}`,
    );
    const code = typescript
      ? amaro.transformSync(source, { mode: 'transform', filename: file }).code
      : source;
    return { code, cacheable: false };
  }
}
