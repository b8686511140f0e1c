/**
 * The code templates of the compiled-JS backend: every piece of JS that compile.ts emits comes from
 * one of these, so the shape of the generated code can be read in one place. Names: `v<id>` a value,
 * `s<id>` a loop's state (named by the while's output), `k<i>`/`a<i>` node i's kernel and attributes,
 * `x<i>` node i's eager call, `c<i>` a constant tensor, `d<i>` a constant's data as a typed array,
 * `n<id>` a parameter's number or array read at entry, `e<id>` one element of a fused elementwise op, `f<i>` a function, `t<i>` a temporary; the
 * runtime (runtime.ts) is `R`, the backend `B`, the scalar helpers (ir/ops/scalar.ts) `H`.
 */

/** The module: the shared constants, every function, and the entry function returned. */
export const moduleCode = (prelude: readonly string[], functions: readonly string[], entry: string) =>
  [
    "'use strict';",
    'const B = R.backend, free = R.free, share = R.share, tensor = R.tensor, number = R.number;',
    ...prelude,
    ...functions,
    `return ${entry};`,
  ].join('\n');

export const functionCode = (name: string, params: readonly string[], body: readonly string[]) =>
  [`function ${name}(${params.join(', ')}) {`, ...indent(body), '}'].join('\n');

export const indent = (lines: readonly string[]) => lines.map((l) => `  ${l}`);

/** Module-level bindings of node i's kernel, attributes, eager call or constant. */
export const kernelBinding = (i: number) => `const k${i} = K[${i}], a${i} = A[${i}];`;
export const eagerBinding = (i: number) => `const x${i} = X[${i}];`;
export const constBinding = (i: number) => `const c${i} = C[${i}];`;
export const arrayBinding = (i: number) => `const d${i} = V[${i}];`;

/** A kernel called directly on TensorInfos: inputs by name (`{ a: v1, b: v2 }`) or as an array. */
export const kernelCall = (i: number, outputs: readonly string[], inputs: string, multiple: boolean) =>
  `const ${multiple ? `[${outputs.join(', ')}]` : outputs[0]} = k${i}({ inputs: ${inputs}, backend: B, attrs: a${i} });`;
export const namedInputs = (names: readonly string[], values: readonly string[]) =>
  `{ ${names.map((n, i) => `${JSON.stringify(n)}: ${values[i]}`).join(', ')} }`;
export const listInputs = (values: readonly string[]) => `[${values.join(', ')}]`;

export const eagerCall = (i: number, outputs: readonly string[], inputs: readonly string[]) =>
  `const [${outputs.join(', ')}] = x${i}([${inputs.join(', ')}]);`;

/** A call of a generated function, counted (the recursion depth) by the runtime. */
export const callCode = (
  slot: number,
  callee: string,
  outputs: readonly string[],
  inputs: readonly string[],
) => [`R.enter(${slot});`, `const [${outputs.join(', ')}] = ${callee}(${inputs.join(', ')});`, 'R.depth--;'];

export const initialize = (name: string, expr: string) => `let ${name} = ${expr};`;
export const define = (name: string, expr: string) => `const ${name} = ${expr};`;
export const declare = (names: readonly string[]) => (names.length ? [`let ${names.join(', ')};`] : []);
export const assign = (name: string, expr: string) => `${name} = ${expr};`;
export const freeCode = (name: string) => `free(${name});`;
export const shareCode = (name: string) => `share(${name})`;
export const toTensor = (expr: string, dtype: string) => `tensor(${expr}, ${JSON.stringify(dtype)})`;
export const toNumber = (name: string) => `number(${name})`;
export const toArray = (name: string) => `R.values(${name})`;
export const arrayTensor = (name: string, shape: readonly number[], dtype: string) =>
  `R.fromArray(${name}, [${shape.join(', ')}], ${JSON.stringify(dtype)})`;

const TYPED_ARRAY: Record<string, string> = {
  float32: 'Float32Array',
  int32: 'Int32Array',
  bool: 'Uint8Array',
};

/** An array operand's element in an elementwise loop. */
export const element = (name: string) => `${name}[i]`;

/** A new typed array of the dtype (its store is tfjs's cpu store). */
export const newArray = (out: string, dtype: string, size: number) =>
  `const ${out} = new ${TYPED_ARRAY[dtype]}(${size});`;
/** One element of a fused elementwise op (a local of the loop body). */
export const elementName = (id: number) => `e${id}`;
export const storeElement = (array: string, element: string) => `${array}[i] = ${element};`;
/** The loop of a group of fused elementwise ops. */
export const elementLoop = (size: number, body: readonly string[]) => [
  `for (let i = 0; i < ${size}; i++) {`,
  ...indent(body),
  '}',
];

export const ifElse = (test: string, then: readonly string[], otherwise: readonly string[]) => [
  `if (${test}) {`,
  ...indent(then),
  '} else {',
  ...indent(otherwise),
  '}',
];

/** A `while`: `trips` bounds it (a tripCount attribute) or is null; the test region's lines end in a `break`. */
export const loop = (counter: string, trips: number | null, body: readonly string[]) => [
  trips === null ? 'for (;;) {' : `for (let ${counter} = 0; ${counter} < ${trips}; ${counter}++) {`,
  ...indent(body),
  '}',
];
export const breakUnless = (test: string) => `if (!(${test})) break;`;
export const push = (rows: string, expr: string) => `${rows}.push(${expr});`;
export const stackTensors = (rows: string, typeIndex: number) => `R.stack(${rows}, T[${typeIndex}])`;
export const stackNumbers = (rows: string, dtype: string) =>
  `R.stackNumbers(${rows}, ${JSON.stringify(dtype)})`;
export const returnCode = (values: readonly string[]) => `return [${values.join(', ')}];`;
