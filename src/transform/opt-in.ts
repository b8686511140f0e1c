/**
 * Which modules opt in to conversion, decided from their text alone. This module imports nothing, so
 * that the loader can reject most modules before it loads the parser and the converters: a module
 * opts in by importing autograph-ts (or one of its entry points), by a module-level
 * 'use autograph' directive, or by such a directive in a function body (module.ts reads them from
 * the syntax tree); the loader's AUTOGRAPH_WHOLE_MODULES list adds whole files by name.
 */

export const DIRECTIVE = 'use autograph';

const PACKAGE = 'autograph-ts';

/**
 * Whether an import specifier, as written between its quotes, names autograph-ts: reading it as
 * written (not its value after escapes) keeps `mayOptIn` exact.
 */
export const isAutographSpecifier = (raw: string): boolean =>
  raw === PACKAGE || raw.startsWith(`${PACKAGE}/`);

/**
 * Whether a module's text may opt in. Never false for a module that opts in: its directive, or the
 * specifier of its import as written, is a substring of its text. True for some that do not (a
 * mention in a comment or a string), which the parse then settles.
 */
export const mayOptIn = (text: string): boolean => text.includes(PACKAGE) || text.includes(DIRECTIVE);
