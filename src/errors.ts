import { platform } from '#platform';

/** Where a construct sits in the user's original source (1-based line and column). */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

/** Base class of every error autograph-ts raises on its own behalf. */
export class AutoGraphError extends Error {
  override name = 'AutoGraphError';
}

/** Formats `file:line:col`, the offending source line with a caret under the column, and a hint. */
export function formatLocated(
  reason: string,
  loc: SourceLocation,
  sourceLine: string | undefined,
  hint?: string,
) {
  const where = `${loc.file}:${loc.line}:${loc.column}`;
  let text = `${where}: ${reason}`;
  if (sourceLine !== undefined) {
    const gutter = `${loc.line} | `;
    const caret = `${' '.repeat(gutter.length - 2)}| ${' '.repeat(Math.max(0, loc.column - 1))}^`;
    text += `\n  ${gutter}${sourceLine}\n  ${caret}`;
  }
  if (hint) text += `\nhint: ${hint}`;
  return text;
}

/** Raised when a function cannot be converted: unsupported syntax, unresolvable free variables, no source. */
export class ConversionError extends AutoGraphError {
  override name = 'ConversionError';
  constructor(
    /** The problem, without location. */
    readonly reason: string,
    readonly location: SourceLocation | undefined,
    /** The original source line, when known. */
    readonly excerpt: string | undefined,
    readonly hint: string | undefined,
  ) {
    super(
      location ? formatLocated(reason, location, excerpt, hint) : hint ? `${reason}\nhint: ${hint}` : reason,
    );
  }
  get file() {
    return this.location?.file;
  }
  get line() {
    return this.location?.line;
  }
  get column() {
    return this.location?.column;
  }
}

/** Raised when a staged graph fails to load or run (on ONNX Runtime), naming the staged op and its line. */
export class ExecutionError extends AutoGraphError {
  override name = 'ExecutionError';
}

/**
 * `reason` at `where` (`file:line:col`, as recorded on IR nodes) with the source line under it when
 * the file can be read; just `reason` when the place is unknown.
 */
export function locatedMessage(reason: string, where: string | undefined): string {
  const match = where ? /^(.*):(\d+):(\d+)$/.exec(where) : null;
  if (!match) return reason;
  const loc = { file: match[1]!, line: Number(match[2]), column: Number(match[3]) };
  // Not a readable file (code converted from a string, a browser): the location alone.
  return formatLocated(reason, loc, platform.sourceLine(loc.file, loc.line));
}

/** Raised while staging (tracing a function into a graph): unsupported ops, values read during tracing, type changes. */
export class StagingError extends AutoGraphError {
  override name = 'StagingError';
}

/**
 * Raised by a gradient taken in converted code (eagerly or staged) that has no meaning: with respect
 * to an integer tensor, or of a result that does not depend on what it is taken with respect to.
 */
export class GradientError extends AutoGraphError {
  override name = 'GradientError';
}

/**
 * Whether `e` is the JS stack running out: a RangeError, or a SyntaxError where it ran out compiling a
 * regular expression (so the test reads the message, with no regular expression of its own).
 */
export const isStackOverflow = (e: unknown): boolean =>
  e instanceof Error && e.message.includes('Maximum call stack size exceeded');
