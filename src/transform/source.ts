import * as acorn from 'acorn';
import { platform } from '#platform';
import { ConversionError, type SourceLocation } from '../errors.ts';

/**
 * A parsed source text. TypeScript is stripped by blanking types (positions preserved), so every
 * ESTree `loc` is also a position in the original file.
 */
export interface ParsedSource {
  file: string;
  /** The original text (TS or JS). */
  original: string;
  /** The JS text that was parsed, same length and line structure as `original`. */
  code: string;
  program: acorn.Program;
  /** Added to every reported line: the source may be an excerpt of a larger file. */
  lineOffset: number;
}

export interface ParseOptions {
  file?: string;
  /** Parse as a module (imports/exports) rather than a script. */
  module?: boolean;
  typescript?: boolean;
  lineOffset?: number;
}

/** Replaces TypeScript types with blanks; syntax that has runtime meaning (enums, namespaces) is rejected. */
export function stripTypes(source: string, file: string): string {
  try {
    return platform.stripTypes(source, file);
  } catch (e: any) {
    const loc =
      e && typeof e.startLine === 'number' ? { line: e.startLine, column: e.startColumn + 1 } : undefined;
    throw new ConversionError(
      `TypeScript syntax cannot be stripped: ${e?.message ?? e}`,
      loc && { file, ...loc },
      loc && source.split('\n')[loc.line - 1],
      'autograph-ts erases types without rewriting code: use erasable syntax (union types or const objects instead of enums, ES modules instead of namespaces, explicit fields instead of parameter properties).',
    );
  }
}

/** Parses JS (after stripping TS when asked) into ESTree with locations. Syntax errors become ConversionErrors. */
export function parseSource(source: string, options: ParseOptions = {}): ParsedSource {
  const file = options.file ?? '<source>';
  const lineOffset = options.lineOffset ?? 0;
  const code = options.typescript ? stripTypes(source, file) : source;
  try {
    const program = acorn.parse(code, {
      ecmaVersion: 'latest',
      sourceType: options.module ? 'module' : 'script',
      locations: true,
      allowReturnOutsideFunction: false,
      allowHashBang: true,
    });
    return { file, original: source, code, program, lineOffset };
  } catch (e: any) {
    const pos = e?.loc as { line: number; column: number } | undefined;
    const message = String(e?.message ?? e).replace(/ \(\d+:\d+\)$/, '');
    throw new ConversionError(
      `syntax error: ${message}`,
      pos && { file, line: pos.line + lineOffset, column: pos.column + 1 },
      pos && source.split('\n')[pos.line - 1],
      'the function source must be valid JavaScript or TypeScript',
    );
  }
}

/** The user-facing location of an AST node. */
export function locationOf(src: ParsedSource, node: acorn.Node): SourceLocation {
  const start = node.loc!.start;
  return { file: src.file, line: start.line + src.lineOffset, column: start.column + 1 };
}

/** A ConversionError pointing at `node`. */
export function errorAt(src: ParsedSource, node: acorn.Node, reason: string, hint: string): ConversionError {
  const loc = locationOf(src, node);
  return new ConversionError(reason, loc, src.original.split('\n')[node.loc!.start.line - 1], hint);
}
