/** The user-facing conversion API: ag.convert, ag.toCode, ag.convertSource. */
import { ConversionError } from './errors.ts';
import { type Form, isConverted, markConverted, twinOf } from './runtime/calls.ts';
import * as runtime from './runtime/index.ts';
import { RUNTIME } from './transform/ast.ts';
import { convertFunctionSource } from './transform/index.ts';
import { locationOf } from './transform/source.ts';

type AnyFunction = (...args: any[]) => any;

export interface ConvertOptions {
  /** Values for the function's free variables (closure and module variables), by name. */
  scope?: Record<string, unknown>;
  /** File name used in error messages and source maps. */
  file?: string;
  /**
   * `'eager'` (default for `convert`): native statements, conditions and operators dispatched at
   * run time — the fast form for JS values and eager tensors. `'graph'` (default for `toCode`):
   * every statement through a runtime operator with explicit state, the form staging traces.
   */
  form?: Form;
}

const SOURCE = Symbol('autograph-ts.source');
type CacheEntry = { scope: unknown; file: string | undefined; fn: AnyFunction };
const cache: Record<Form, WeakMap<AnyFunction, CacheEntry>> = { eager: new WeakMap(), graph: new WeakMap() };

/**
 * The converted form of `fn`: same results on JS values, operators and control flow dispatched at
 * run time (eager tensors, staging). Under the loader this is the function's twin, with its closure
 * intact; otherwise it is rebuilt from `fn.toString()`, and every free variable must be a global or
 * be given in `options.scope`.
 */
export function convert<F extends AnyFunction>(fn: F, options: ConvertOptions = {}): F {
  if (typeof fn !== 'function')
    throw new TypeError(`ag.convert expects a function, got ${fn === null ? 'null' : typeof fn}`);
  if (isConverted(fn)) return fn;
  const form = options.form ?? 'eager';
  const twin = twinOf(fn, form);
  if (twin) return twin as F;
  const hit = cache[form].get(fn);
  if (hit && hit.scope === options.scope && hit.file === options.file) return hit.fn as F;
  const file = options.file ?? `<${fn.name || 'anonymous'}>`;
  const converted = convertFromText(functionSource(fn), file, options.scope, form, isStrict(fn)) as F;
  cache[form].set(fn, { scope: options.scope, file: options.file, fn: converted });
  return converted;
}

/** The converted source text of `fn`, in graph form unless `options.form` says otherwise. */
export function toCode(fn: AnyFunction, options: ConvertOptions = {}): string {
  const converted = convert(fn, { form: 'graph', ...options }) as AnyFunction & { [SOURCE]?: string };
  return converted[SOURCE] ?? converted.toString();
}

/** Converts the source text of one function (declaration, expression, arrow or method). */
export function convertSource(source: string, options: ConvertOptions = {}): AnyFunction {
  return convertFromText(source, options.file ?? '<source>', options.scope, options.form ?? 'eager');
}

function functionSource(fn: AnyFunction): string {
  const text = Function.prototype.toString.call(fn);
  if (/\{\s*\[native code\]\s*\}\s*$/.test(text)) {
    throw new ConversionError(
      `'${fn.name || 'anonymous'}' has no JavaScript source (a native or bound function)`,
      undefined,
      undefined,
      'convert the original function, before binding it; built-in functions are called as they are',
    );
  }
  if (/^class\b/.test(text)) {
    throw new ConversionError(
      `classes cannot be converted ('${fn.name}')`,
      undefined,
      undefined,
      'convert its methods instead: ag.convert(obj.method)',
    );
  }
  return text;
}

/**
 * Whether `fn` is known to be strict-mode code: V8 gives sloppy `function`s own `caller` and
 * `arguments` properties, strict ones none. Arrows and methods never have them, so stay unknown.
 */
function isStrict(fn: AnyFunction): boolean {
  return !Object.hasOwn(fn, 'caller') && Object.hasOwn(fn, 'prototype') && !/^class\b/.test(String(fn));
}

function convertFromText(
  source: string,
  file: string,
  scope: Record<string, unknown> = {},
  form: Form,
  strict = false,
): AnyFunction {
  const converted = convertFunctionSource(source, file, form, strict);
  const outerArguments = converted.free.get('arguments');
  if (outerArguments) {
    throw new ConversionError(
      "'arguments' of an enclosing function cannot be converted outside the loader",
      locationOf(converted.src, outerArguments),
      source.split('\n')[outerArguments.loc.start.line - 1],
      'an arrow function refers to the `arguments` of the function around it, which a function rebuilt from its source text cannot see: pass the values as parameters (...args), or run under `node --import autograph-ts/register`',
    );
  }
  const unresolved = [...converted.free.keys()].filter(
    (name) => !Object.hasOwn(scope, name) && !(name in globalThis),
  );
  if (converted.outerSuper) {
    throw new ConversionError(
      "'super' cannot be converted outside the loader",
      locationOf(converted.src, converted.outerSuper),
      source.split('\n')[converted.outerSuper.loc.start.line - 1],
      'a method rebuilt from its source text has no home object; run under `node --import autograph-ts/register` to convert it in place',
    );
  }
  if (unresolved.length) {
    const first = converted.free.get(unresolved[0]!)!;
    const loc = locationOf(converted.src, first);
    throw new ConversionError(
      `cannot resolve free variable${unresolved.length > 1 ? 's' : ''} ${unresolved.map((n) => `'${n}'`).join(', ')}`,
      loc,
      source.split('\n')[first.loc.start.line - 1],
      'without the loader, a function is rebuilt from its source text and loses its closure: pass the values with ag.convert(fn, { scope: { name: value } }), or run under `node --import autograph-ts/register`',
    );
  }
  const names = Object.keys(scope);
  const factory = new Function(RUNTIME, ...names, `"use strict";\nreturn (${converted.code});`);
  const fn = factory(runtime, ...names.map((n) => scope[n]));
  markConverted(fn);
  Object.defineProperty(fn, SOURCE, { value: converted.code });
  return fn;
}
