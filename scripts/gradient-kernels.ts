/**
 * Which kernels do tfjs's gradient functions emit that the op registry lacks?
 *
 *   npm run build && node --import ./dist/loader/register.js scripts/gradient-kernels.ts [--verbose]
 *
 * Staged gradients run each op's tfjs gradient function (`getGradient(kernel).gradFunc`) on the
 * recording backend, so every kernel a gradient function emits must be a registered op. This script
 * runs sample tfjs calls with every cpu kernel wrapped, keeps the kernel calls they make (name, input
 * values, attributes), and for each call of a registered op that has a gradient runs its gradFunc
 * (saved tensors and dy as tfjs's engine would give them) with the wrapping on, recording the kernels
 * the gradient emits. Those kernels' calls are fed back in (second-order gradients) up to a depth.
 *
 * It prints: the kernels gradients emit that are not registered (and which gradients emit them), the
 * registered ops with a gradient that no sample reached, and gradient functions that threw.
 * Exits with 1 when some emitted kernel is not registered.
 */
import * as tf from '@tensorflow/tfjs';
import { opDef, registeredOps } from '../src/ir/ops/index.ts';

const verbose = process.argv.includes('--verbose');
const MAX_DEPTH = 3;

interface Snapshot {
  dtype: tf.DataType;
  shape: number[];
  values: number[];
}
interface Call {
  name: string;
  /** Input names in the kernel's order ([] for variadic kernels, whose inputs are an array). */
  keys: string[];
  inputs: Snapshot[];
  attrs: Record<string, unknown>;
}

await tf.setBackend('cpu');

let recording: Call[] | null = null;
for (const config of tf.getKernelsForBackend('cpu')) {
  const original = config.kernelFunc;
  tf.unregisterKernel(config.kernelName, 'cpu');
  tf.registerKernel({
    ...config,
    kernelFunc: (args: any) => {
      if (recording) {
        const backend = args.backend;
        const variadic = Array.isArray(args.inputs);
        const keys = variadic ? [] : Object.keys(args.inputs).filter((k) => args.inputs[k] != null);
        const infos: tf.TensorInfo[] = variadic ? args.inputs : keys.map((k) => args.inputs[k]);
        recording.push({
          name: config.kernelName,
          keys,
          inputs: infos.map((info) => ({
            dtype: info.dtype,
            shape: [...info.shape],
            values: Array.from(backend.readSync(info.dataId) as ArrayLike<number>),
          })),
          attrs: structuredClone(args.attrs ?? {}),
        });
      }
      return original(args);
    },
  });
}

/** Runs `f` and returns the kernel calls it made (nested recordings are not expected). */
function record(f: () => unknown): Call[] {
  const calls: Call[] = [];
  recording = calls;
  try {
    tf.tidy(() => {
      f();
      return undefined;
    });
  } finally {
    recording = null;
  }
  return calls;
}

// ---- samples: tfjs calls that emit every registered op (and the kernels gradients emit) ----

/** A tensor of deterministic values in [-0.9, 1.1) (typed loosely: samples pass it to ops of any rank). */
const t = (shape: number[], dtype: 'float32' | 'int32' | 'bool' = 'float32', s = 0): any => {
  const n = shape.reduce((a, b) => a * b, 1);
  const values = Array.from({ length: n }, (_, i) => {
    const h = ((i + 1) * 2654435761 + s * 40503) % 1000;
    return dtype === 'float32' ? h / 500 - 0.9 : dtype === 'int32' ? (h % 5) - 2 : h % 2;
  });
  return tf.tensor(values, shape, dtype);
};
/** Positive values in (0.1, 0.9): inputs of log, sqrt, acosh (shifted), pow. */
const pos = (shape: number[], s = 0): any => tf.add(tf.mul(tf.abs(t(shape, 'float32', s)), 0.8), 0.1);
const x23 = () => t([2, 3]);
const img = () => t([2, 5, 5, 3], 'float32', 1);

const SAMPLES: Record<string, () => unknown> = {
  unary: () => {
    const x = x23();
    for (const f of [
      tf.abs,
      tf.asin,
      tf.atan,
      tf.atanh,
      tf.ceil,
      tf.cos,
      tf.cosh,
      tf.elu,
      tf.erf,
      tf.exp,
      tf.expm1,
      tf.floor,
      tf.neg,
      tf.reciprocal,
      tf.relu,
      tf.relu6,
      tf.round,
      tf.selu,
      tf.sigmoid,
      tf.sign,
      tf.sin,
      tf.sinh,
      tf.softplus,
      tf.square,
      tf.tan,
      tf.tanh,
      tf.isNaN,
      tf.isInf,
      tf.isFinite,
      tf.logicalNot,
    ] as ((x: tf.Tensor) => tf.Tensor)[])
      f(f === tf.logicalNot ? tf.cast(x, 'bool') : x);
    tf.acos(tf.mul(x, 0.5));
    tf.acosh(tf.add(pos([2, 3]), 1));
    tf.asinh(x);
    for (const f of [tf.log, tf.log1p, tf.sqrt, tf.rsqrt]) f(pos([2, 3]));
    tf.step(x, 0.5);
  },
  binary: () => {
    const [a, b] = [t([2, 3], 'float32', 1), t([3], 'float32', 2)];
    for (const f of [
      tf.add,
      tf.sub,
      tf.mul,
      tf.div,
      tf.maximum,
      tf.minimum,
      tf.squaredDifference,
      tf.atan2,
      tf.mod,
      tf.floorDiv,
    ] as ((a: tf.Tensor, b: tf.Tensor) => tf.Tensor)[])
      f(a, b);
    tf.pow(pos([2, 3], 1), b);
    tf.addN([a, a, t([2, 3], 'float32', 3)]);
    for (const f of [tf.less, tf.lessEqual, tf.greater, tf.greaterEqual, tf.equal, tf.notEqual]) f(a, b);
    tf.logicalAnd(tf.cast(a, 'bool'), tf.cast(b, 'bool'));
    tf.logicalOr(tf.cast(a, 'bool'), tf.cast(b, 'bool'));
    tf.cast(a, 'int32');
    tf.clipByValue(a, -0.3, 0.4);
  },
  reductions: () => {
    const x = t([2, 3, 4]);
    tf.sum(x, 1);
    tf.sum(x, [0, 2], true);
    tf.prod(pos([2, 3]), 0);
    tf.mean(x, -1);
    tf.max(x, 1);
    tf.min(x, [0, 2]);
    tf.argMax(x, 1);
    tf.argMin(x, 2);
    tf.cumsum(x, 1);
    tf.cumsum(x, 2, true, true);
    tf.all(tf.cast(x, 'bool'));
    tf.any(tf.cast(x, 'bool'), 1);
  },
  shapes: () => {
    const x = t([2, 3, 4]);
    tf.reshape(x, [6, 4]);
    tf.transpose(x, [2, 0, 1]);
    tf.expandDims(x, 1);
    tf.concat([x, t([2, 1, 4])], 1);
    tf.stack([x, x], 1);
    tf.unstack(x, 1);
    tf.split(x, [1, 2], 1);
    tf.slice(x, [0, 1, 1], [2, 2, 2]);
    tf.stridedSlice(x, [0, 0, 0], [2, 3, 4], [1, 2, 1]);
    tf.gather(x, tf.tensor1d([2, 0, 2], 'int32'), 1);
    tf.tile(x, [1, 2, 1]);
    tf.pad(x, [
      [0, 1],
      [1, 0],
      [2, 2],
    ]);
    tf.reverse(x, [0, 2]);
    tf.oneHot(tf.tensor1d([0, 2, 1], 'int32'), 3);
    tf.where(tf.cast(t([2, 3, 4], 'int32', 5), 'bool'), x, t([2, 3, 4], 'float32', 6));
    tf.fill([2, 2], 3);
    tf.range(0, 4);
    tf.zerosLike(x);
    tf.onesLike(x);
    tf.clone(x);
    tf.topk(x, 2);
    tf.unsortedSegmentSum(x, tf.tensor1d([1, 0], 'int32'), 3);
  },
  nn: () => {
    tf.matMul(t([2, 3]), t([3, 4], 'float32', 1));
    tf.matMul(t([2, 2, 3]), t([4, 3], 'float32', 1), false, true);
    tf.matMul(t([3, 2]), t([2, 3, 4], 'float32', 1), true, false);
    tf.softmax(t([2, 4]));
    tf.leakyRelu(t([2, 3]), 0.3);
    tf.prelu(t([2, 3]), t([3], 'float32', 2));
  },
  conv: () => {
    const filter = t([3, 3, 3, 2], 'float32', 2);
    tf.conv2d(img(), filter, 1, 'same');
    tf.conv2d(img(), filter, 2, 'valid');
    // (tfjs's Conv2D gradient refuses dilations > 1)
    tf.depthwiseConv2d(img(), t([3, 3, 3, 2], 'float32', 4), 1, 'same');
    tf.depthwiseConv2d(img(), t([2, 2, 3, 1], 'float32', 4), 2, 'valid');
  },
  pools: () => {
    tf.maxPool(img(), 2, 2, 'valid');
    tf.maxPool(img(), 3, 1, 'same');
    tf.avgPool(img(), 2, 1, 'valid');
    tf.avgPool(img(), 3, 2, 'same');
  },
  resize: () => {
    tf.image.resizeBilinear(t([1, 3, 4, 2]), [5, 6]);
    tf.image.resizeBilinear(t([1, 3, 4, 2]), [5, 6], true);
    tf.image.resizeBilinear(t([1, 3, 4, 2]), [2, 3], false, true);
    tf.image.resizeNearestNeighbor(t([1, 3, 4, 2]), [5, 6]);
  },
  more: () => {
    const x = t([2, 3, 4]);
    tf.mirrorPad(
      x,
      [
        [1, 1],
        [0, 2],
        [1, 0],
      ],
      'reflect',
    );
    tf.mirrorPad(
      x,
      [
        [1, 1],
        [0, 2],
        [1, 0],
      ],
      'symmetric',
    );
    tf.gatherND(
      x,
      tf.tensor2d(
        [
          [0, 1],
          [1, 2],
        ],
        [2, 2],
        'int32',
      ),
    );
    tf.scatterND(tf.tensor2d([[0], [1]], [2, 1], 'int32'), t([2, 3]), [3, 3]);
    tf.einsum('ij,jk->ik', t([2, 3]), t([3, 4], 'float32', 1));
    tf.localResponseNormalization(img(), 1);
    tf.depthToSpace(t([1, 2, 2, 4]), 2);
    tf.image.flipLeftRight(img());
    tf.linspace(0, 1, 5);
  },
  fused: () => {
    const bias = t([2], 'float32', 9);
    tf.fused.matMul({ a: t([2, 3]), b: t([3, 2], 'float32', 1) });
    tf.fused.matMul({ a: t([2, 3]), b: t([3, 2], 'float32', 1), bias, activation: 'relu' });
    tf.fused.matMul({
      a: t([2, 3]),
      b: t([2, 3], 'float32', 1),
      transposeB: true,
      bias,
      activation: 'elu',
    });
    const filter = t([3, 3, 3, 2], 'float32', 2);
    tf.fused.conv2d({ x: img(), filter, strides: 1, pad: 'same', bias, activation: 'relu' });
    tf.fused.conv2d({ x: img(), filter, strides: 2, pad: 'valid' });
    tf.fused.depthwiseConv2d({
      x: img(),
      filter: t([3, 3, 3, 1], 'float32', 4),
      strides: 1,
      pad: 'same',
      bias: t([3], 'float32', 9),
      activation: 'relu6',
    });
  },
};

/**
 * Calls of registered ops that are not cpu kernels but have a tfjs gradient: LogSoftmax (the folded
 * logSoftmax chain; see passes/simplify.ts).
 */
const SYNTHETIC: Call[] = [
  {
    name: 'LogSoftmax',
    keys: ['logits'],
    inputs: [{ dtype: 'float32', shape: [2, 4], values: [0.5, -1, 2, 0, 1, 1.5, -0.5, 3] }],
    attrs: { axis: 1 },
  },
];

// ---- gradients ----

const registered = new Set(registeredOps());
const toTensor = (s: Snapshot) => tf.tensor(s.values, s.shape, s.dtype);

/** The kernel calls `call`'s gradient function makes, or the error it threw. */
function gradientCalls(call: Call): { calls: Call[]; error?: unknown } {
  const config = tf.getGradient(call.name)!;
  const calls: Call[] = [];
  let error: unknown;
  tf.tidy(() => {
    const inputs = call.inputs.map(toTensor);
    const def = opDef(call.name)!;
    let outputs: tf.Tensor[];
    try {
      outputs = def.eager(tf as any, inputs, call.attrs as any) as tf.Tensor[];
    } catch (e) {
      error = e;
      return undefined;
    }
    const named = call.keys.length ? Object.fromEntries(call.keys.map((k, i) => [k, inputs[i]!])) : inputs;
    const saved = config.saveAllInputs
      ? inputs
      : (config.inputsToSave ?? []).map((n) => (named as Record<string, tf.Tensor>)[n]!);
    saved.push(...outputs.filter((_, i) => config.outputsToSave?.[i]));
    const dys = outputs.map((o, i) =>
      o.dtype === 'float32' ? t(o.shape, 'float32', 7 + i) : tf.zerosLike(o),
    );
    try {
      calls.push(
        ...record(() => {
          const grads = config.gradFunc(dys.length === 1 ? dys[0]! : dys, saved, call.attrs as any);
          for (const g of Object.values(grads)) (g as () => tf.Tensor)();
        }),
      );
    } catch (e) {
      error = e;
    }
    return undefined;
  });
  return { calls, error };
}

const key = (c: Call) =>
  `${c.name} ${c.inputs.map((i) => `${i.dtype}[${i.shape}]`).join(',')} ${JSON.stringify(c.attrs)}`;

const seen = new Set<string>();
let frontier: Call[] = [...SYNTHETIC];
for (const [name, sample] of Object.entries(SAMPLES)) {
  try {
    frontier.push(...record(sample));
  } catch (e) {
    console.log(`sample '${name}' failed: ${e}`);
  }
}

const reached = new Set<string>();
/** Unregistered kernel → the ops whose gradients emit it. */
const missing = new Map<string, Set<string>>();
const failures: string[] = [];
for (let depth = 1; depth <= MAX_DEPTH && frontier.length; depth++) {
  const next: Call[] = [];
  for (const call of frontier) {
    const k = key(call);
    if (seen.has(k)) continue;
    seen.add(k);
    if (!registered.has(call.name)) {
      // a sample's own kernel (AddN, the fused ops, ...) that is not registered yet
      if (depth === 1) {
        if (!missing.has(call.name)) missing.set(call.name, new Set());
        missing.get(call.name)!.add('(a sample)');
      }
      continue;
    }
    if (!tf.getGradient(call.name)) continue;
    reached.add(call.name);
    const { calls, error } = gradientCalls(call);
    if (error) failures.push(`${k}: ${String(error).split('\n')[0]}`);
    for (const emitted of calls) {
      if (!registered.has(emitted.name)) {
        if (!missing.has(emitted.name)) missing.set(emitted.name, new Set());
        missing.get(emitted.name)!.add(call.name);
      }
    }
    if (verbose)
      console.log(`${'  '.repeat(depth - 1)}${k} -> ${[...new Set(calls.map((c) => c.name))].join(' ')}`);
    next.push(...calls);
  }
  frontier = next;
}

const withGradient = [...registered].filter((op) => tf.getGradient(op));
const unreached = withGradient.filter((op) => !reached.has(op));
console.log(`registered ops: ${registered.size}; with a tfjs gradient: ${withGradient.length}`);
console.log(
  `gradient functions run: ${reached.size} ops, ${seen.size} distinct calls (depth ≤ ${MAX_DEPTH})`,
);
if (unreached.length)
  console.log(`registered ops with a gradient that no sample reached: ${unreached.join(' ')}`);
for (const f of failures) console.log(`gradient failed: ${f}`);
if (missing.size === 0) console.log('every kernel the gradients emit is registered');
else {
  console.log(`kernels emitted but not registered (${missing.size}):`);
  for (const [kernel, by] of [...missing].sort(([a], [b]) => a.localeCompare(b)))
    console.log(`  ${kernel}  <- ${[...by].sort().join(', ')}`);
}
const cpuMissing = tf
  .getKernelsForBackend('cpu')
  .map((k) => k.kernelName)
  .filter((k) => !registered.has(k))
  .sort();
console.log(`cpu kernels not registered (${cpuMissing.length}): ${cpuMissing.join(' ')}`);
process.exitCode = missing.size ? 1 : 0;
