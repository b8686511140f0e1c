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
const known = new Map<unknown, CallbackUse>();
/** The tfjs engine whose module's functions are known. */
let engineSeen: unknown;

function learn(f: unknown, use: CallbackUse): void {
  if (typeof f === 'function') known.set(f, use);
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
  // a map lookup: reading a property of `f` would run the get trap of a Proxy of a function
  return known.get(f);
}

/** tfjs's exported functions and tensor methods (once tfjs is loaded). */
const tfjsFunctions = new WeakSet<Function>();

/** Whether `f` is one of tfjs's exported functions or tensor methods. */
export function isTfjsFunction(f: Function): boolean {
  callbackUse(f);
  return tfjsFunctions.has(f);
}

/** Whether `callbackUse` knows tfjs's functions, when tfjs is loaded (it may load at any time). */
export const knowsTfjsFunctions = (): boolean => (globalThis as any)._tfengine === engineSeen;

/** tfjs's functions, once tfjs is loaded (the package does not load it for code without tensors). */
function addTfjs(engine: unknown): void {
  const tf = tfIfLoaded();
  if (!tf) return;
  engineSeen = engine;
  for (const f of [
    ...Object.values(tf),
    ...Object.values(Object.getOwnPropertyDescriptors((tf as any).Tensor?.prototype ?? {})).map(
      (d) => d.value,
    ),
  ])
    if (typeof f === 'function') tfjsFunctions.add(f);
  for (const name of TFJS_FUNCTIONS) learn((tf as any)[name], 'call');
  for (const name of TFJS_GRADIENTS) learn((tf as any)[name], 'gradient');
  const optimizer = (tf as any).Optimizer?.prototype;
  for (const name of OPTIMIZER_METHODS) learn(optimizer?.[name], 'call');
}
