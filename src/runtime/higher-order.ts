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
const known = new Map<unknown, CallbackUse>([
  ...ARRAY_METHODS.filter(method).map((m) => [method(m), 'call'] as const),
  ...ARRAY_PREDICATES.filter(method).map((m) => [method(m), 'predicate'] as const),
  [Array.from, 'call'],
]);
let tfjsAdded = false;

/** How `f` uses its function arguments, if it is a library function whose callbacks converted code converts. */
export function callbackUse(f: unknown): CallbackUse | undefined {
  if (!tfjsAdded) addTfjs();
  return known.get(f);
}

/** tfjs's functions, once tfjs is loaded (the package does not load it for code without tensors). */
function addTfjs(): void {
  const tf = tfIfLoaded();
  if (!tf) return;
  tfjsAdded = true;
  for (const name of TFJS_FUNCTIONS) known.set((tf as any)[name], 'call');
  for (const name of TFJS_GRADIENTS) known.set((tf as any)[name], 'gradient');
  const optimizer = (tf as any).Optimizer?.prototype;
  for (const name of OPTIMIZER_METHODS) if (optimizer?.[name]) known.set(optimizer[name], 'call');
}
