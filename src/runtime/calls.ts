/** Calls from converted code, the registry of converted twins, and `console.log`. */
import { platform } from '#platform';
import { ConversionError } from '../errors.ts';
import type { Form } from '../protocol.ts';
import { stagedLibraryCall } from '../staging/dynamic-dims.ts';
import { stagedPrint } from '../staging/print.ts';
import { tracedCall } from '../staging/recursion.ts';
import { activeRecorder, isSymbolic } from '../staging/recording-backend.ts';
import { GradientError, StagingError } from '../errors.ts';
import { userLocation } from '../staging/trace.ts';
import { type CallbackUse, callbackUse, isTfjsFunction, knowsTfjsFunctions } from './higher-order.ts';
import { truthy } from './operators.ts';
import { isTensor } from './tensors.ts';

export type { Form };

type AnyFunction = (...args: any[]) => any;
type Twin = AnyFunction | ConversionError;

/**
 * The converted twins of user functions (or why they have none), and the functions conversion
 * produced. Weak maps, not properties of the functions: reading a property of a Proxy of a function
 * runs its `get` trap, which the original call would not run. Kept on `globalThis` so that two copies
 * of the package (a bundle and node_modules) see the same twins.
 */
interface Registry {
  twins: Record<Form, WeakMap<Function, Twin>>;
  converted: WeakSet<Function>;
}
const REGISTRY = Symbol.for('autograph-ts.registry');
const registry: Registry = ((globalThis as any)[REGISTRY] ??= {
  twins: { eager: new WeakMap(), graph: new WeakMap() },
  converted: new WeakSet(),
});
const eagerTwins = registry.twins.eager;

/** Marks `fn` as produced by conversion, so it is never converted again. */
export function markConverted(fn: Function): void {
  registry.converted.add(fn);
}

/** Records the converted forms of `original` (or the error that prevented them); returns `original`. */
export function registerTwin<F extends AnyFunction>(original: F, eager: Twin, graph: Twin): F {
  setTwin(original, 'eager', eager);
  setTwin(original, 'graph', graph);
  return original;
}

/** Records one converted form of `original` (or the error that prevented it). */
function setTwin(original: AnyFunction, form: Form, twin: Twin): void {
  forgetRecentCallees();
  registry.twins[form].set(original, twin);
  if (typeof twin === 'function') {
    markConverted(twin);
    Object.defineProperty(twin, 'name', { value: original.name, configurable: true });
  }
}

/** `registerTwin` for a named function expression, whose name is bound only inside it: the twins get it as a parameter. */
export function registerNamedTwin<F extends AnyFunction>(
  original: F,
  makeTwins: (self: F) => [Twin, Twin],
): F {
  return registerTwin(original, ...makeTwins(original));
}

/**
 * Records why `original` has no twin (in `form` only, when given: an async function has an eager
 * twin but no graph one); `convert` raises it, converted code calls `original` as it is (see
 * `setFallback`).
 */
export function registerFailure<F extends AnyFunction>(original: F, error: ConversionError, form?: Form): F {
  if (form) setTwin(original, form, error);
  else registerTwin(original, error, error);
  return original;
}

export function isConverted(f: unknown): boolean {
  return typeof f === 'function' && registry.converted.has(f);
}

/** The twin of `f` in `form`, `undefined` when it has none; throws the ConversionError recorded for it. */
export function twinOf(f: AnyFunction, form: Form): AnyFunction | undefined {
  const twin = registry.twins[form].get(f);
  if (twin === undefined || typeof twin === 'function') return twin;
  throw twin;
}

/** How converted code treats a call to a function that cannot be converted (see `setFallback`). */
export type FallbackMode = 'warn' | 'quiet' | 'strict';

/** Environment variable: `1` makes calls to functions that cannot be converted raise their ConversionError. */
export const STRICT_ENV = 'AUTOGRAPH_STRICT';
/** Environment variable: `1` silences the warning for functions that converted code calls unconverted. */
export const QUIET_FALLBACK_ENV = 'AUTOGRAPH_QUIET_FALLBACK';

let fallbackMode: FallbackMode | undefined;

/**
 * What converted code does when it calls a function that cannot be converted (a generator, an
 * `async` function, …): `'warn'` (default) calls the original function, with one warning per
 * function; `'quiet'` does the same without the warning; `'strict'` raises its ConversionError.
 * Overrides the environment variables AUTOGRAPH_STRICT=1 and AUTOGRAPH_QUIET_FALLBACK=1;
 * `undefined` returns to them.
 */
export function setFallback(mode: FallbackMode | undefined): void {
  if (mode !== undefined && mode !== 'warn' && mode !== 'quiet' && mode !== 'strict')
    throw new TypeError(`ag.setFallback expects 'warn', 'quiet' or 'strict', got ${String(mode)}`);
  fallbackMode = mode;
}

function currentFallback(): FallbackMode {
  if (fallbackMode) return fallbackMode;
  if (platform.env(STRICT_ENV) === '1') return 'strict';
  if (platform.env(QUIET_FALLBACK_ENV) === '1') return 'quiet';
  return 'warn';
}

/** Functions already warned about (one warning per function). */
const warnedFallbacks = new WeakSet<AnyFunction>();

/**
 * The twin of `f` in `form` for a call from converted code; `undefined` when it has none. When `f`
 * cannot be converted (a recorded ConversionError) this is `f` itself, called as it is, with one
 * warning per function — or the ConversionError in strict mode. Only the failure to convert `f`
 * falls back: errors thrown by running `f` are never caught.
 */
function twinForCall(f: AnyFunction, form: Form): AnyFunction | undefined {
  const twin = registry.twins[form].get(f);
  if (twin === undefined || typeof twin === 'function') return twin;
  const mode = currentFallback();
  if (mode === 'strict') throw twin;
  if (mode === 'warn' && !warnedFallbacks.has(f)) {
    warnedFallbacks.add(f);
    const where = twin.location
      ? `${twin.location.file}:${twin.location.line}:${twin.location.column}: `
      : '';
    platform.warn(
      `${where}'${f.name || 'anonymous function'}' cannot be converted (${twin.reason}): converted code calls it unconverted, as it is. ` +
        `Set ${STRICT_ENV}=1 (or ag.setFallback('strict')) to raise instead, ${QUIET_FALLBACK_ENV}=1 (or ag.setFallback('quiet')) to silence this warning`,
      'AUTOGRAPH_FALLBACK',
    );
  }
  return unconverted(f);
}

/**
 * `f` called as it is. While ag.stage traces, an async function's promise cannot be part of the
 * graph, and an error its body raised (a StagingError, for one) would be lost in the promise: a
 * StagingError at the call instead.
 */
function unconverted(f: AnyFunction): AnyFunction {
  if (!activeRecorder()) return callable(f);
  return function (this: unknown, ...args: unknown[]) {
    const result = Reflect.apply(f, this, args);
    if (result instanceof Promise) {
      result.catch(() => {});
      throw new StagingError(
        `${userLocation(activeRecorder()?.trace)}'${f.name || 'anonymous function'}' cannot be converted and returned a promise while ag.stage traced: ` +
          'an async function cannot be part of a staged graph; make it synchronous',
      );
    }
    return result;
  };
}

/** A function that throws the TypeError JS throws when calling a non-function, once called (after the arguments ran). */
function notAFunction(text: string): AnyFunction {
  return () => {
    throw new TypeError(`${text} is not a function`);
  };
}

/**
 * What a graph-form call site calls: the graph twin of a user function, or the function itself
 * (library functions, converted functions). `text` is the callee as V8 would name it in its error.
 */
export function callee(f: unknown, text: string): AnyFunction {
  if (typeof f !== 'function') return notAFunction(text);
  const twin = twinForCall(f as AnyFunction, 'graph');
  if (twin) return activeRecorder() ? tracedTwin(f as AnyFunction, twin, text) : twin;
  const use = callbackUse(f);
  if (use) return withConvertedCallbacks(f as AnyFunction, 'graph', use, text);
  const plain = callable(f as AnyFunction);
  if (!activeRecorder()) return plain;
  // while tracing, tfjs's shape-taking functions take run-time sizes (x.shape[0] of a dynamic dim)
  const staged = stagedLibraryCall(plain);
  // a function converted with its enclosing one (a nested function) may recurse under a tensor condition
  return isTfjsFunction(f as AnyFunction) ? staged : tracedTwin(f as AnyFunction, staged, text);
}

const functionCall = Function.prototype.call;
const callableWrappers = new WeakMap<AnyFunction, AnyFunction>();

/**
 * `f`, as call sites may call it: method call sites run `callee.call(receiver, …args)`, which reads
 * `call` from the callee where `o.m(x)` reads nothing. That read is unobservable only on a function
 * whose `call` is Function.prototype.call's; any other (a Proxy, whose get trap would run; a
 * function with a `call` of its own) is called through a plain function.
 */
function callable(f: AnyFunction): AnyFunction {
  if (!platform.isProxy(f) && !Object.hasOwn(f, 'call') && f.call === functionCall) return f;
  let wrapper = callableWrappers.get(f);
  if (!wrapper) {
    wrapper = function (this: unknown, ...args: unknown[]) {
      return Reflect.apply(f, this, args);
    };
    callableWrappers.set(f, wrapper);
  }
  return wrapper;
}

/** A function no callee is: what the recent-callee cache holds when it is empty. */
const NO_FUNCTION = {};
// The two most recent callees of eager call sites that are a twin or the function itself (never a
// function that cannot be converted: what to call depends on the fallback mode and on tracing). A hot loop calls few functions, and comparing
// with them is much cheaper than looking them up.
let recent: unknown = NO_FUNCTION;
let recentCallee: AnyFunction | undefined;
let previous: unknown = NO_FUNCTION;
let previousCallee: AnyFunction | undefined;

/** Empties the recent-callee cache: a twin was registered. */
function forgetRecentCallees(): void {
  recent = previous = NO_FUNCTION;
  recentCallee = previousCallee = undefined;
}

/** A graph twin called while tracing: inlined, or staged as a call where it recurses (staging/recursion.ts). */
function tracedTwin(f: AnyFunction, twin: AnyFunction, text: string): AnyFunction {
  const recorder = activeRecorder()!;
  return function (this: unknown, ...args: unknown[]) {
    return tracedCall(recorder, f, f.name || text, twin, this, args);
  };
}

/** `callee` for eager-form call sites. */
export function eagerCallee(f: unknown, text: string): AnyFunction {
  if (f === recent) return recentCallee!;
  if (f === previous) return previousCallee!;
  return lookUpEagerCallee(f, text);
}

function lookUpEagerCallee(f: unknown, text: string): AnyFunction {
  if (typeof f !== 'function') return notAFunction(text);
  const twin = eagerTwins.get(f);
  // a function that cannot be converted: called as it is, or refused (see twinForCall); not remembered
  if (twin instanceof ConversionError) return twinForCall(f as AnyFunction, 'eager')!;
  const use = twin ? undefined : callbackUse(f);
  // a wrapper converting callbacks names its call site in its errors: made per call
  if (use) return withConvertedCallbacks(f as AnyFunction, 'eager', use, text);
  const found = twin ?? callable(f as AnyFunction);
  if (knowsTfjsFunctions()) {
    previous = recent;
    previousCallee = recentCallee;
    recent = f;
    recentCallee = found;
  }
  return found;
}

/**
 * `f` (a library function that calls the functions it is given) called with each function argument
 * replaced by its converted twin, as TensorFlow converts the functions handed to its own APIs; the
 * functions keep their identity everywhere else. A predicate's tensor result is read as a JS
 * condition is (a symbolic one cannot decide while tracing: an error).
 */
function withConvertedCallbacks(f: AnyFunction, form: Form, use: CallbackUse, text: string): AnyFunction {
  const convert = (a: unknown): unknown => {
    if (typeof a !== 'function') return a;
    const twin = twinForCall(a as AnyFunction, form) ?? (a as AnyFunction);
    if (use !== 'predicate') return twin;
    return function (this: unknown, ...args: unknown[]) {
      const result = twin.apply(this, args);
      if (isSymbolic(result))
        throw new StagingError(
          `${userLocation(activeRecorder()?.trace)}the function passed to ${text} returned a symbolic tensor, but ${text} needs a JS boolean while the function is traced: ` +
            'select with tensor ops instead (tf.where, tf.any, tf.all, or a loop with an if on the tensor)',
        );
      return truthy(result);
    };
  };
  if (use === 'gradient') {
    return function (this: unknown, ...args: unknown[]) {
      return checkedGradient(f.apply(this, args.map(convert)) as AnyFunction, text);
    };
  }
  return function (this: unknown, ...args: unknown[]) {
    return f.apply(this, args.map(convert));
  };
}

/**
 * The function `tf.grad(f)` (and the like) returns, with its meaningless uses made errors at the
 * call: a point with integer tensors (tfjs would differentiate as if they were real), and a result
 * that does not depend on the point (tfjs's message has no location).
 */
function checkedGradient(g: AnyFunction, text: string): AnyFunction {
  return function (this: unknown, ...args: unknown[]) {
    const where = () => userLocation(activeRecorder()?.trace);
    const points = (Array.isArray(args[0]) ? args[0] : [args[0]]).filter(isTensor);
    const integer = points.find((x) => x.dtype !== 'float32');
    if (integer)
      throw new GradientError(
        `${where()}${text}: the gradient with respect to a tensor of dtype ${integer.dtype} is not defined; cast it to float32 first (tf.cast(x, 'float32'))`,
      );
    try {
      return g.apply(this, args);
    } catch (e) {
      if (/Cannot compute gradient of y=f\(x\) with respect to x/.test((e as Error).message))
        throw new GradientError(
          `${where()}${text}: the function's result does not depend on the tensors it is differentiated with respect to (no path from them to the result)`,
        );
      throw e;
    }
  };
}

/** Calls `f` the way converted code does: through its (eager) converted twin when it has one. */
export function call(f: AnyFunction, thisArg: unknown, ...args: unknown[]): unknown {
  return eagerCallee(f, f?.name || 'function').apply(thisArg, args);
}

/** `console.log` in converted code: eager tensors print their values; while staging, symbolic ones print when the graph runs. */
export function print(...args: unknown[]): void {
  if (stagedPrint(args)) return;
  console.log(...args.map((a) => (isTensor(a) ? a.toString() : a)));
}

/** Key under which the loader defines a method's converted twin beside it. */
export function twinKey(name: string, isStatic: boolean, form: Form): symbol {
  return Symbol.for(`autograph-ts.twin:${form}:${isStatic ? 'static ' : ''}${name}`);
}

/** Pairs the twin methods the loader defined with their originals, then removes the twins' keys. */
export function registerClassTwins(cls: Function): void {
  movePairs(cls, true);
  movePairs(cls.prototype, false);
}

/** The object-literal form of `registerClassTwins`, plus the methods that failed to convert. */
export function registerObjectTwins<T extends object>(
  obj: T,
  failures: [string, ConversionError, Form?][],
): T {
  movePairs(obj, false);
  for (const [name, error, form] of failures) registerFailure((obj as any)[name], error, form);
  return obj;
}

function movePairs(target: any, isStatic: boolean): void {
  const twins = new Map<string, Partial<Record<Form, AnyFunction>>>();
  for (const key of Object.getOwnPropertySymbols(target)) {
    const match = /^autograph-ts\.twin:(eager|graph):(static )?(.*)$/s.exec(Symbol.keyFor(key) ?? '');
    if (!match || !!match[2] !== isStatic) continue;
    const entry = twins.get(match[3]!) ?? {};
    entry[match[1] as Form] = target[key];
    twins.set(match[3]!, entry);
    delete target[key];
  }
  for (const [name, pair] of twins) {
    if (typeof target[name] !== 'function') continue;
    for (const form of ['eager', 'graph'] as const) {
      const twin = pair[form];
      if (twin) setTwin(target[name], form, twin);
    }
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

/**
 * What a converted function that reads its own `new.target` throws when it is constructed: `new` on
 * the converted copy would see a `new.target` (and a prototype) that `new` on the original never does.
 */
export function constructedTwin(name: string): TypeError {
  return new TypeError(
    `the converted form of '${name}' cannot be called with new: it reads new.target, which would be the converted copy instead of '${name}'; construct the original function (converted code does: new ${name}() constructs the original)`,
  );
}

type AccessorKind = 'get' | 'set';
/** Why one accessor has no twin: its property name, kind, whether static, the error, the form (both when absent). */
type AccessorFailure = [string, AccessorKind, boolean, ConversionError, Form?];

const ACCESSOR_TWIN_PREFIX = 'autograph-ts.accessor-twin:';

/**
 * Key under which the loader defines the converted twin of a getter or setter beside it, as a
 * method. The name is JSON-encoded: a property name may be any string.
 */
export function accessorTwinKey(name: string, kind: AccessorKind, isStatic: boolean, form: Form): symbol {
  return Symbol.for(`${ACCESSOR_TWIN_PREFIX}${JSON.stringify([form, isStatic, kind, name])}`);
}

/** `registerClassTwins` for getters and setters, plus the accessors that failed to convert. */
export function registerClassAccessorTwins(cls: Function, failures: AccessorFailure[]): void {
  moveAccessorPairs(cls, true);
  moveAccessorPairs(cls.prototype, false);
  for (const [name, kind, isStatic, error, form] of failures)
    registerAccessorFailure(isStatic ? cls : cls.prototype, name, kind, error, form);
}

/** `registerObjectTwins` for getters and setters, plus the accessors that failed to convert. */
export function registerObjectAccessorTwins<T extends object>(obj: T, failures: AccessorFailure[]): T {
  moveAccessorPairs(obj, false);
  for (const [name, kind, , error, form] of failures) registerAccessorFailure(obj, name, kind, error, form);
  return obj;
}

/** The getter or setter function of `target`'s own property `name` (never calling it). */
function accessorOf(target: object, name: string, kind: AccessorKind): AnyFunction | undefined {
  const f = Object.getOwnPropertyDescriptor(target, name)?.[kind];
  return typeof f === 'function' ? f : undefined;
}

function registerAccessorFailure(
  target: object,
  name: string,
  kind: AccessorKind,
  error: ConversionError,
  form?: Form,
): void {
  const f = accessorOf(target, name, kind);
  if (f) registerFailure(f, error, form);
}

/** Pairs the accessor twins the loader defined on `target` with the accessors, then removes their keys. */
function moveAccessorPairs(target: any, isStatic: boolean): void {
  for (const key of Object.getOwnPropertySymbols(target)) {
    const text = Symbol.keyFor(key);
    if (!text?.startsWith(ACCESSOR_TWIN_PREFIX)) continue;
    const [form, staticTwin, kind, name] = JSON.parse(text.slice(ACCESSOR_TWIN_PREFIX.length)) as [
      Form,
      boolean,
      AccessorKind,
      string,
    ];
    if (staticTwin !== isStatic) continue;
    const twin = target[key];
    delete target[key];
    const accessor = accessorOf(target, name, kind);
    if (accessor && typeof twin === 'function') setTwin(accessor, form, twin);
  }
}

/** Whether `f` has twins or a recorded failure (the loader registers a class's private methods once). */
export function hasTwin(f: AnyFunction): boolean {
  return eagerTwins.has(f);
}
