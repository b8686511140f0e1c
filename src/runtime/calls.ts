/** Calls from converted code, the registry of converted twins, and `console.log`. */
import { ConversionError } from '../errors.ts';
import { isTensor } from './tensors.ts';

/** Property under which a user function records its converted twin (or why it has none). */
export const TWIN = Symbol.for('autograph-ts.twin');
/** Marks functions produced by conversion, so they are never converted again. */
export const CONVERTED = Symbol.for('autograph-ts.converted');

type AnyFunction = (...args: any[]) => any;
type Twinned = AnyFunction & { [TWIN]?: AnyFunction | ConversionError; [CONVERTED]?: true };

/** Records `twin` as the converted form of `original`; returns `original`. */
export function registerTwin<F extends AnyFunction>(original: F, twin: AnyFunction | ConversionError): F {
  if (twin instanceof ConversionError) return registerFailure(original, twin);
  Object.defineProperty(original, TWIN, { value: twin, configurable: true });
  Object.defineProperty(twin, 'name', { value: original.name, configurable: true });
  Object.defineProperty(twin, CONVERTED, { value: true });
  return original;
}

/** `registerTwin` for a named function expression: `makeTwin` receives the original as the name's value. */
export function registerNamedTwin<F extends AnyFunction>(
  original: F,
  makeTwin: (self: F) => AnyFunction | ConversionError,
): F {
  return registerTwin(original, makeTwin(original));
}

/** Records why `original` has no twin; `convert`/`call` raise it when they reach `original`. */
export function registerFailure<F extends AnyFunction>(original: F, error: ConversionError): F {
  Object.defineProperty(original, TWIN, { value: error, configurable: true });
  return original;
}

export function isConverted(f: unknown): boolean {
  return typeof f === 'function' && (f as Twinned)[CONVERTED] === true;
}

/** The twin of `f`, `undefined` when it has none; throws the ConversionError recorded for it. */
export function twinOf(f: AnyFunction): AnyFunction | undefined {
  const twin = (f as Twinned)[TWIN];
  if (twin === undefined || typeof twin === 'function') return twin;
  throw twin;
}

/**
 * What a converted call site calls: the twin of a user function, or the function itself (library
 * functions, already converted functions). A non-function gives a function that throws the TypeError
 * JS would throw, when called — after the arguments are evaluated, as in JS.
 */
export function callee(f: unknown, text: string): AnyFunction {
  if (typeof f !== 'function') {
    return () => {
      throw new TypeError(`${text} is not a function`);
    };
  }
  return twinOf(f as AnyFunction) ?? (f as AnyFunction);
}

/** Calls `f` the way converted code does: through its converted twin when it has one. */
export function call(f: AnyFunction, thisArg: unknown, ...args: unknown[]): unknown {
  return callee(f, f?.name || 'function').apply(thisArg, args);
}

/** `console.log` in converted code: eager tensors print their values. */
export function print(...args: unknown[]): void {
  console.log(...args.map((a) => (isTensor(a) ? a.toString() : a)));
}

/** Key under which the loader defines a method's converted twin beside it. */
export function twinKey(name: string, isStatic: boolean): symbol {
  return Symbol.for(`autograph-ts.twin:${isStatic ? 'static ' : ''}${name}`);
}

/** Pairs each twin method defined by the loader with its original, then removes the twin's key. */
export function registerClassTwins(cls: Function): void {
  movePairs(cls, true);
  movePairs(cls.prototype, false);
}

/** The object-literal form of `registerClassTwins`, plus the methods that failed to convert. */
export function registerObjectTwins<T extends object>(obj: T, failures: [string, ConversionError][]): T {
  movePairs(obj, false);
  for (const [name, error] of failures) registerFailure((obj as any)[name], error);
  return obj;
}

function movePairs(target: any, isStatic: boolean): void {
  for (const key of Object.getOwnPropertySymbols(target)) {
    const match = /^autograph-ts\.twin:(static )?(.*)$/.exec(Symbol.keyFor(key) ?? '');
    if (!match || !!match[1] !== isStatic) continue;
    const original = target[match[2]!];
    if (typeof original === 'function') registerTwin(original, target[key]);
    delete target[key];
  }
}

/** Rebuilds, in a loaded module, the ConversionError the loader hit for one of its functions. */
export function conversionFailure(
  reason: string,
  file: string,
  line: number,
  column: number,
  excerpt: string | null,
  hint: string | null,
): ConversionError {
  return new ConversionError(
    reason,
    line ? { file, line, column } : undefined,
    excerpt ?? undefined,
    hint ?? undefined,
  );
}
