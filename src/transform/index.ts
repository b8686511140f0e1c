/** Source conversion: the text of a function (or of a module, see loader/) → converted JS. */
import type * as acorn from 'acorn';
import { ConversionError } from '../errors.ts';
import { freeVariables } from './analysis/scopes.ts';
import { isFunction, type Node, visit } from './ast.ts';
import { ConversionContext, type Form } from './context.ts';
import { convertFunction } from './convert.ts';
import { type Printed, print } from './print.ts';
import { errorAt, type ParsedSource, parseSource } from './source.ts';

export interface ConvertedFunction extends Printed {
  /** Free variables of the function, with the node of their first reference. */
  free: Map<string, Node>;
  /** A `super` that refers to the function's own home object (only the loader can keep it). */
  outerSuper: Node | undefined;
  src: ParsedSource;
}

/**
 * Converts the text of one function: a declaration, a function expression, an arrow, or a method
 * (as `fn.toString()` prints them). Returns the converted function as a JS expression.
 */
export function convertFunctionSource(
  source: string,
  file = '<source>',
  form: Form = 'graph',
  /** Whether the function is known to be strict-mode code (its source text cannot tell). */
  strict = false,
): ConvertedFunction {
  const { src, fn } = parseFunction(source, file, false);
  const free = freeVariables(fn);
  const outerSuper = findOuterSuper(fn);
  const ctx = new ConversionContext(src, fn, form, strict);
  convertFunction(fn, ctx);
  const expression = fn.type === 'FunctionDeclaration' ? { ...fn, type: 'FunctionExpression' } : fn;
  return { ...print(expression, file, source), free, outerSuper, src };
}

function findOuterSuper(fn: Node): Node | undefined {
  let found: Node | undefined;
  visit(fn, (n, parent) => {
    if (found) return false;
    if (
      n.type === 'ClassBody' ||
      (n.type === 'FunctionExpression' && parent?.type === 'Property' && parent.method)
    )
      return false;
    if (n.type === 'Super') found = n;
  });
  return found;
}

/** The text of a private method or accessor, as `toString` prints it (`#m() {…}`, `get #x() {…}`). */
const PRIVATE_METHOD = /^(?:(?:static|async|get|set)\s+)*\*?\s*#/;

/** Parses `(source)`, or `({source})` for method syntax, and returns the function node. */
function parseFunction(source: string, file: string, typescript: boolean): { src: ParsedSource; fn: Node } {
  if (PRIVATE_METHOD.test(source))
    throw new ConversionError(
      'private methods cannot be converted outside the loader',
      { file, line: 1, column: 1 },
      source.split('\n')[0],
      'a private method rebuilt from its source text has no class to belong to (its body cannot even parse outside it): run under `node --import autograph-ts/register`, which converts it in its class, or make it a public method',
    );
  let firstError: unknown;
  for (const [open, close] of [
    ['(', ')'],
    ['({', '})'],
  ] as const) {
    try {
      const src = parseSource(`${open}${source}\n${close}`, { file, typescript });
      shiftFirstLine(src.program, open.length);
      const src2 = { ...src, original: source };
      const expr = (src.program.body[0] as Node)?.expression;
      const fn = open === '(' ? expr : expr?.properties?.[0];
      if (src.program.body.length !== 1) throw new Error('not a single function');
      if (open === '({') return { src: src2, fn: methodFunction(fn) };
      if (isFunction(fn)) return { src: src2, fn };
      if (fn?.type === 'ClassExpression')
        throw errorAt(
          src2,
          fn,
          'classes cannot be converted',
          'convert its methods instead: ag.convert(obj.method)',
        );
      throw new Error('not a function');
    } catch (e) {
      if (e instanceof ConversionError && !/^syntax error/.test(e.reason)) throw e;
      firstError ??= e;
    }
  }
  if (firstError instanceof ConversionError) throw outerNewTarget(shiftError(firstError, 1, source));
  throw new ConversionError(
    'the source is not a single function',
    { file, line: 1, column: 1 },
    source.split('\n')[0],
    'pass the text of one function, arrow or method',
  );
}

/**
 * The function of a method or accessor written in method syntax. A getter's or setter's body runs
 * the same as a plain function's called with the object as `this` (`ag.call(get, obj)`), which is
 * what its converted form is.
 */
function methodFunction(prop: Node): Node {
  if (prop?.type !== 'Property') throw new Error('not a method');
  return prop.value;
}

/**
 * An arrow converted from its text alone that reads `new.target` of the function around it does not
 * parse (nothing around it is a function): the syntax error, explained.
 */
function outerNewTarget(e: ConversionError): ConversionError {
  if (!/^syntax error: '?new\.target/.test(e.reason)) return e;
  return new ConversionError(
    "'new.target' of an enclosing function cannot be converted outside the loader",
    e.location,
    e.excerpt,
    'an arrow function reads the new.target of the function around it, which a function rebuilt from its source text cannot see: pass what you need as a parameter, or run under `node --import autograph-ts/register`',
  );
}

/** Undoes the column shift that wrapping the source added to line 1. */
function shiftFirstLine(program: acorn.Program, by: number) {
  const seen = new Set<object>();
  const walk = (n: Node) => {
    if (!n || typeof n !== 'object') return;
    // acorn shares Position objects between a node and its first child: shift each once
    for (const p of n.loc ? [n.loc.start, n.loc.end] : []) {
      if (p.line === 1 && !seen.has(p)) p.column -= by;
      seen.add(p);
    }
    for (const k in n) if (k !== 'loc' && n[k] && typeof n[k] === 'object') walk(n[k]);
  };
  walk(program);
}

function shiftError(e: ConversionError, by: number, source: string): ConversionError {
  const loc = e.location;
  if (loc?.line !== 1) return e;
  return new ConversionError(
    e.reason,
    { ...loc, column: Math.max(1, loc.column - by) },
    source.split('\n')[0],
    e.hint,
  );
}
