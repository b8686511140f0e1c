/**
 * The library functions that call the functions they are given: tfjs's gradient and scope APIs and
 * the Array methods. Converted code hands them the converted twins of user functions (calls.ts).
 */
import { tfIfLoaded } from './tensors.ts';

const ARRAY_METHODS = [
  'map',
  'forEach',
  'filter',
  'reduce',
  'reduceRight',
  'some',
  'every',
  'find',
  'findIndex',
  'findLast',
  'findLastIndex',
  'flatMap',
  'sort',
  'toSorted',
] as const;

const TFJS_FUNCTIONS = [
  'grad',
  'grads',
  'valueAndGrad',
  'valueAndGrads',
  'variableGrads',
  'customGrad',
  'tidy',
] as const;
const OPTIMIZER_METHODS = ['minimize', 'computeGradients'] as const;

const known = new Set<unknown>([
  ...ARRAY_METHODS.map((m) => (Array.prototype as any)[m]).filter(Boolean),
  Array.from,
]);
let tfjsAdded = false;

/** Whether `f` is a library function whose function arguments converted code replaces by their twins. */
export function takesCallbacks(f: unknown): boolean {
  if (!tfjsAdded) addTfjs();
  return known.has(f);
}

/** tfjs's functions, once tfjs is loaded (the package does not load it for code without tensors). */
function addTfjs(): void {
  const tf = tfIfLoaded();
  if (!tf) return;
  tfjsAdded = true;
  for (const name of TFJS_FUNCTIONS) known.add((tf as any)[name]);
  const optimizer = (tf as any).Optimizer?.prototype;
  for (const name of OPTIMIZER_METHODS) if (optimizer?.[name]) known.add(optimizer[name]);
}
