/**
 * The library functions that call the functions they are given: tfjs's gradient and scope APIs and
 * the Array methods. Converted code hands them the converted twins of user functions (calls.ts).
 */
import { tfIfLoaded } from './tensors.ts';

const ARRAY_METHODS = ['map', 'forEach', 'reduce', 'reduceRight', 'flatMap', 'sort', 'toSorted'] as const;
/** Array methods whose callback's result is used as a JS condition. */
const ARRAY_PREDICATES = [
  'filter',
  'some',
  'every',
  'find',
  'findIndex',
  'findLast',
  'findLastIndex',
] as const;

const TFJS_GRADIENTS = ['grad', 'grads', 'valueAndGrad', 'valueAndGrads'] as const;
const TFJS_FUNCTIONS = ['variableGrads', 'customGrad', 'tidy'] as const;
const OPTIMIZER_METHODS = ['minimize', 'computeGradients'] as const;

/**
 * How a library function uses the functions it is given: called, called for a condition, or
 * differentiated (the function it returns takes the point to differentiate at).
 */
export type CallbackUse = 'call' | 'predicate' | 'gradient';

const method = (name: string): unknown => (Array.prototype as any)[name];
/** Each known function also carries its use under this key: a property load is cheaper than a Map lookup. */
const CALLBACK_USE = Symbol('autograph-ts.callbackUse');
const known = new Map<unknown, CallbackUse>();
/** Whether every known function carries its mark (a frozen one cannot). */
let marked = true;
/** The tfjs engine whose module's functions are known. */
let engineSeen: unknown;
/** Whether `callbackUse` knows tfjs's functions, when tfjs is loaded (it may load at any time). */
export const knowsTfjsFunctions = (): boolean => (globalThis as any)._tfengine === engineSeen;

function learn(f: unknown, use: CallbackUse): void {
  if (typeof f !== 'function') return;
  known.set(f, use);
  try {
    Object.defineProperty(f, CALLBACK_USE, { value: use, configurable: true });
  } catch {
    marked = false;
  }
}

for (const m of ARRAY_METHODS) learn(method(m), 'call');
for (const m of ARRAY_PREDICATES) learn(method(m), 'predicate');
learn(Array.from, 'call');

/** How `f` uses its function arguments, if it is a library function whose callbacks converted code converts. */
export function callbackUse(f: unknown): CallbackUse | undefined {
  // Looking tfjs up is a module-cache lookup, too slow for every call in a hot loop; tfjs-core makes
  // its engine, a global, when it loads, and reading a global is cheap.
  const engine = (globalThis as any)._tfengine;
  if (engine !== engineSeen) addTfjs(engine);
  const use = (f as any)[CALLBACK_USE] as CallbackUse | undefined;
  return use !== undefined || marked ? use : known.get(f);
}

/** tfjs's functions, once tfjs is loaded (the package does not load it for code without tensors). */
function addTfjs(engine: unknown): void {
  const tf = tfIfLoaded();
  if (!tf) return;
  engineSeen = engine;
  for (const name of TFJS_FUNCTIONS) learn((tf as any)[name], 'call');
  for (const name of TFJS_GRADIENTS) learn((tf as any)[name], 'gradient');
  const optimizer = (tf as any).Optimizer?.prototype;
  for (const name of OPTIMIZER_METHODS) learn(optimizer?.[name], 'call');
}
