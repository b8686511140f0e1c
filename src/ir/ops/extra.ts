/**
 * More cpu kernels that ONNX expresses exactly: LinSpace, MirrorPad, FlipLeftRight, DepthToSpace,
 * GatherNd, ScatterNd, Einsum, LRN.
 */
import type { Attrs } from '../graph.ts';
import { compatibleDim, type Dim, formatShape, type TensorType, tensorType } from '../types.ts';
import { arity, fail, intAttr, mergeDim, numberAttr, show } from './attrs.ts';
import { emptyOutput, fillOutput, inputAs, noDynamicLowering } from './onnx.ts';
import { registerOp } from './registry.ts';
import { reshapeTo } from './shape.ts';

/** `num` values from start to stop, accumulated in float32 steps as tfjs's kernel does: a constant. */
registerOp({
  name: 'LinSpace',
  inputNames: [],
  infer: (inputs, attrs) => {
    arity('LinSpace', inputs, 0);
    numberAttr('LinSpace', attrs, 'start');
    numberAttr('LinSpace', attrs, 'stop');
    const num = intAttr('LinSpace', attrs, 'num');
    if (num < 1) fail('LinSpace', `num must be positive, got ${num}`);
    return [tensorType('float32', [num])];
  },
  onnx: (c) => {
    const [start, stop, num] = [c.attrs.start as number, c.attrs.stop as number, c.attrs.num as number];
    const values = new Float32Array(num);
    const step = (stop - start) / (num - 1);
    values[0] = start;
    for (let i = 1; i < num; i++) values[i] = values[i - 1]! + step;
    c.emit('Identity', [c.float32([...values], [num])], c.outputs);
  },
});

/**
 * `MirrorPad` ('reflect': the edge not repeated; 'symmetric': repeated): each padded axis gathers the
 * source index tfjs's kernel computes for each output position (the axis's length must be known).
 */
registerOp({
  name: 'MirrorPad',
  inputNames: ['x'],
  infer: (inputs, attrs) => {
    arity('MirrorPad', inputs, 1);
    const x = inputs[0]!;
    const paddings = attrs.paddings;
    const mode = attrs.mode;
    if (mode !== 'reflect' && mode !== 'symmetric') fail('MirrorPad', `unknown mode ${show(mode)}`);
    if (
      !Array.isArray(paddings) ||
      paddings.length !== x.shape.length ||
      !paddings.every(
        (p) => Array.isArray(p) && p.length === 2 && p.every((v) => Number.isInteger(v) && v >= 0),
      )
    )
      fail('MirrorPad', `paddings must be one [before, after] pair per dimension, got ${show(paddings)}`);
    const limit = mode === 'reflect' ? 1 : 0;
    return [
      tensorType(
        x.dtype,
        x.shape.map((d, i) => {
          const [before, after] = paddings[i] as [number, number];
          if (d !== null && (before > d - limit || after > d - limit))
            fail('MirrorPad', `paddings [${before}, ${after}] exceed dimension ${i} of size ${d} (${mode})`);
          return d === null ? null : before + d + after;
        }),
      ),
    ];
  },
  onnx: (c) => {
    const x = c.inputTypes[0]!;
    if (emptyOutput(c)) return fillOutput(c, 0);
    const offset = c.attrs.mode === 'reflect' ? 0 : 1;
    let value = c.inputs[0]!;
    (c.attrs.paddings as [number, number][]).forEach(([before, after], axis) => {
      if (before === 0 && after === 0) return;
      const d = x.shape[axis];
      if (d === null) noDynamicLowering(c, `padded axis ${axis} of [${formatShape(x.shape)}]`);
      const end = before + d!;
      const indices = Array.from({ length: before + d! + after }, (_, o) => {
        const i = o < before ? 2 * before - o - offset : o >= end ? 2 * (end - 1) - o + offset : o;
        return i - before;
      });
      const next = c.temp();
      c.emit('Gather', [value, c.int64(indices)], [next], { axis });
      value = next;
    });
    c.emit('Identity', [value], c.outputs);
  },
});

/** `FlipLeftRight`: images [batch, height, width, channels] reversed along the width. */
registerOp({
  name: 'FlipLeftRight',
  inputNames: ['image'],
  infer: (inputs) => {
    arity('FlipLeftRight', inputs, 1);
    if (inputs[0]!.shape.length !== 4)
      fail('FlipLeftRight', `image must have rank 4, got [${formatShape(inputs[0]!.shape)}]`);
    return [inputs[0]!];
  },
  onnx: (c) =>
    c.emit(
      'Slice',
      [c.inputs[0]!, c.int64([-1]), c.int64([-(2 ** 31)]), c.int64([2]), c.int64([-1])],
      c.outputs,
    ),
});

/**
 * `DepthToSpace` (NHWC): channel blocks moved into blockSize × blockSize spatial blocks (channel
 * (i·blockSize + j)·depth + c goes to row offset i, column offset j, channel c).
 */
registerOp({
  name: 'DepthToSpace',
  inputNames: ['x'],
  infer: (inputs, attrs) => {
    const op = 'DepthToSpace';
    arity(op, inputs, 1);
    const x = inputs[0]!;
    if (x.shape.length !== 4) fail(op, `x must have rank 4, got [${formatShape(x.shape)}]`);
    if ((attrs.dataFormat ?? 'NHWC') !== 'NHWC')
      fail(op, `only dataFormat 'NHWC' is supported, got ${show(attrs.dataFormat)}`);
    const b = intAttr(op, attrs, 'blockSize');
    if (b < 2) fail(op, `blockSize must be 2 or more, got ${b}`);
    const [n, h, w, ch] = x.shape as [Dim, Dim, Dim, Dim];
    if (ch !== null && ch % (b * b) !== 0) fail(op, `depth ${ch} is not divisible by blockSize² = ${b * b}`);
    const times = (d: Dim) => (d === null ? null : d * b);
    return [tensorType(x.dtype, [n, times(h), times(w), ch === null ? null : ch / (b * b)])];
  },
  // (ONNX Runtime's DepthToSpace takes floats only: as reshapes and a transpose, for every dtype)
  onnx: (c) => {
    if (emptyOutput(c)) return fillOutput(c, 0);
    const b = c.attrs.blockSize as number;
    const [blocks, moved] = [c.temp(), c.temp()];
    c.emit('Reshape', [c.inputs[0]!, c.int64([0, 0, 0, b, b, -1])], [blocks]);
    c.emit('Transpose', [blocks], [moved], { perm: [0, 1, 3, 2, 4, 5] });
    reshapeTo(c, moved, c.outputs[0]!, c.outputTypes[0]!.shape);
  },
});

/** The last dim of `indices` (how many leading dims of the target it indexes), which must be known. */
function indexDepth(op: string, indices: TensorType, rank: number): number {
  if (indices.dtype !== 'int32') fail(op, `indices must be int32, got ${indices.dtype}`);
  if (indices.shape.length === 0) fail(op, 'indices must have rank 1 or more');
  const k = indices.shape.at(-1)!;
  if (k === null) fail(op, 'indices index along a dynamic dimension (their last)');
  if (k > rank) fail(op, `indices index ${k} dimensions of a rank ${rank} tensor`);
  return k;
}

/** `GatherNd`: slices of params at the index tuples in the last dim of indices (ONNX GatherND). */
registerOp({
  name: 'GatherNd',
  inputNames: ['params', 'indices'],
  canFail: true,
  infer: (inputs) => {
    arity('GatherNd', inputs, 2);
    const [params, indices] = inputs as [TensorType, TensorType];
    const k = indexDepth('GatherNd', indices, params.shape.length);
    return [tensorType(params.dtype, [...indices.shape.slice(0, -1), ...params.shape.slice(k)])];
  },
  onnx: (c) => {
    if (emptyOutput(c)) return fillOutput(c, 0);
    const indices = c.temp();
    c.emit('Cast', [c.inputs[1]!], [indices], { to: 7 });
    c.emit('GatherND', [c.inputs[0]!, indices], c.outputs);
  },
});

/**
 * `ScatterNd`: zeros of `shape` with the updates added at the index tuples (duplicates add up); 1-D
 * indices are indices of depth 1, as tfjs reads them.
 */
registerOp({
  name: 'ScatterNd',
  inputNames: ['indices', 'updates'],
  canFail: true,
  infer: (inputs, attrs) => {
    const op = 'ScatterNd';
    arity(op, inputs, 2);
    const [given, updates] = inputs as [TensorType, TensorType];
    const shape = attrs.shape;
    // (tfjs reads 1-D indices as indices of depth 1)
    const indices = given.shape.length === 1 ? { ...given, shape: [given.shape[0]!, 1] } : given;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0))
      fail(op, `shape must be non-negative integers, got ${show(shape)}`);
    const k = indexDepth(op, indices, shape.length);
    const expected = [...indices.shape.slice(0, -1), ...(shape as number[]).slice(k)];
    if (
      updates.shape.length !== expected.length ||
      !updates.shape.every((d, i) => compatibleDim(d, expected[i]!))
    )
      fail(op, `updates [${formatShape(updates.shape)}] must have the shape [${formatShape(expected)}]`);
    return [tensorType(updates.dtype, shape as number[])];
  },
  onnx: (c) => {
    const dtype = c.outputTypes[0]!.dtype;
    if (dtype === 'bool')
      throw new Error('ScatterNd: bool updates have no ONNX lowering (ONNX adds no bools)');
    if (emptyOutput(c) || c.inputTypes[1]!.shape.includes(0)) return fillOutput(c, 0);
    const [zeros, indices] = [c.temp(), c.temp()];
    c.emit('Expand', [c.scalar(0, dtype), c.int64(c.outputTypes[0]!.shape as number[])], [zeros]);
    c.emit('Cast', [c.inputs[0]!], [indices], { to: 7 });
    let tuples = indices;
    if (c.inputTypes[0]!.shape.length === 1) {
      tuples = c.temp();
      c.emit('Unsqueeze', [indices, c.int64([1])], [tuples]);
    }
    c.emit('ScatterND', [zeros, tuples, c.inputs[1]!], c.outputs, { reduction: 'add' });
  },
});

/** An einsum equation `ab,bc->ac`: the letters of each input and of the output. */
function parseEquation(op: string, attrs: Attrs, count: number): { inputs: string[]; output: string } {
  const equation = attrs.equation;
  if (typeof equation !== 'string') fail(op, `equation must be a string, got ${show(equation)}`);
  const parts = equation.replace(/\s/g, '').split('->');
  if (parts.length !== 2) fail(op, `equation ${show(equation)} must have exactly one '->'`);
  const inputs = parts[0]!.split(',');
  if (inputs.length !== count)
    fail(op, `equation ${show(equation)} has ${inputs.length} inputs, got ${count}`);
  for (const term of [...inputs, parts[1]!])
    if (!/^[a-zA-Z]*$/.test(term) || new Set(term).size !== term.length)
      fail(op, `equation ${show(equation)}: term '${term}' must be distinct letters`);
  return { inputs, output: parts[1]! };
}

/** `Einsum` (variadic; explicit output, no ellipsis, as tfjs supports it): ONNX Einsum. */
registerOp({
  name: 'Einsum',
  inputNames: [],
  variadic: true,
  infer: (inputs, attrs) => {
    const op = 'Einsum';
    const { inputs: terms, output } = parseEquation(op, attrs, inputs.length);
    const sizes = new Map<string, Dim>();
    const dtype = inputs[0]?.dtype ?? 'float32';
    inputs.forEach((t, i) => {
      if (t.dtype !== dtype) fail(op, `dtypes ${dtype} and ${t.dtype} differ`);
      const term = terms[i]!;
      if (term.length !== t.shape.length)
        fail(op, `term '${term}' has ${term.length} letters for an input of rank ${t.shape.length}`);
      [...term].forEach((l, j) => {
        const d = t.shape[j]!;
        if (sizes.has(l) && !compatibleDim(sizes.get(l)!, d))
          fail(op, `'${l}' is ${sizes.get(l)} and ${d} in different inputs`);
        sizes.set(l, sizes.has(l) ? mergeDim(sizes.get(l)!, d) : d);
      });
    });
    for (const l of output) if (!sizes.has(l)) fail(op, `output label '${l}' is in no input`);
    return [
      tensorType(
        dtype,
        [...output].map((l) => sizes.get(l)!),
      ),
    ];
  },
  onnx: (c) => {
    if (c.outputTypes[0]!.dtype === 'bool') throw new Error('Einsum: bool tensors have no ONNX lowering');
    if (emptyOutput(c)) return fillOutput(c, 0);
    c.emit('Einsum', c.inputs, c.outputs, { equation: (c.attrs.equation as string).replace(/\s/g, '') });
  },
});

/**
 * `LRN` (local response normalization over channels, NHWC): x · (bias + alpha · Σ x²)^−beta over the
 * channels within depthRadius. ONNX's LRN divides alpha by the window size: given alpha × size.
 */
registerOp({
  name: 'LRN',
  inputNames: ['x'],
  infer: (inputs, attrs) => {
    arity('LRN', inputs, 1);
    const x = inputs[0]!;
    if (x.shape.length !== 4) fail('LRN', `x must have rank 4, got [${formatShape(x.shape)}]`);
    intAttr('LRN', attrs, 'depthRadius');
    return [x];
  },
  onnx: (c) => {
    if (c.inputTypes[0]!.dtype !== 'float32') throw new Error('LRN: only float32 has an ONNX lowering');
    if (emptyOutput(c)) return fillOutput(c, 0);
    const r = c.attrs.depthRadius as number;
    const size = 2 * r + 1;
    const [xT, y] = [c.temp(), c.temp()];
    c.emit('Transpose', [inputAs(c, 0, 'float32')], [xT], { perm: [0, 3, 1, 2] });
    c.emit('LRN', [xT], [y], {
      size,
      alpha: { float: (c.attrs.alpha as number) * size },
      beta: { float: c.attrs.beta as number },
      bias: { float: c.attrs.bias as number },
    });
    c.emit('Transpose', [y], c.outputs, { perm: [0, 2, 3, 1] });
  },
});

/**
 * `LRNGrad` (LRN's gradient, inputs x, y = LRN(x), dy), as tfjs's kernel computes it: with the channel
 * window sums W (a MatMul by the band matrix of the window; the channel count must be known) and
 * norm = bias + alpha · W(x²), dx = dy · norm^−beta − 2 · alpha · beta · x · W(dy · y / norm).
 */
registerOp({
  name: 'LRNGrad',
  inputNames: ['x', 'y', 'dy'],
  infer: (inputs, attrs) => {
    arity('LRNGrad', inputs, 3);
    const [x, y, dy] = inputs as [TensorType, TensorType, TensorType];
    if (dy.shape.length !== 4) fail('LRNGrad', `dy must have rank 4, got [${formatShape(dy.shape)}]`);
    for (const t of [x, y])
      if (t.shape.length !== 4 || !t.shape.every((d, i) => compatibleDim(d, dy.shape[i]!)))
        fail('LRNGrad', `x, y and dy differ: [${formatShape(t.shape)}] and [${formatShape(dy.shape)}]`);
    intAttr('LRNGrad', attrs, 'depthRadius');
    return [
      tensorType(
        x.dtype,
        dy.shape.map((d, i) => mergeDim(mergeDim(d, x.shape[i]!), y.shape[i]!)),
      ),
    ];
  },
  onnx: (c) => {
    if (c.outputTypes[0]!.dtype !== 'float32') throw new Error('LRNGrad: only float32 has an ONNX lowering');
    if (emptyOutput(c)) return fillOutput(c, 0);
    const channels = c.outputTypes[0]!.shape[3];
    if (channels === null) noDynamicLowering(c, 'the channels (its window matrix) must be known');
    const r = c.attrs.depthRadius as number;
    const [alpha, beta, bias] = ['alpha', 'beta', 'bias'].map((a) => c.attrs[a] as number) as [
      number,
      number,
      number,
    ];
    const band = c.float32(
      Array.from({ length: channels! * channels! }, (_, k) =>
        Math.abs(Math.floor(k / channels!) - (k % channels!)) <= r ? 1 : 0,
      ),
      [channels!, channels!],
    );
    const [x, y, dy] = [0, 1, 2].map((i) => inputAs(c, i, 'float32')) as [string, string, string];
    const t = () => c.temp();
    const [sq, sums, scaled, norm, dyY, ratio, ratioSums, xr, cross, powered, direct] = Array.from(
      { length: 11 },
      t,
    );
    c.emit('Mul', [x, x], [sq!]);
    c.emit('MatMul', [sq!, band], [sums!]);
    c.emit('Mul', [sums!, c.scalar(alpha, 'float32')], [scaled!]);
    c.emit('Add', [scaled!, c.scalar(bias, 'float32')], [norm!]);
    c.emit('Mul', [dy, y], [dyY!]);
    c.emit('Div', [dyY!, norm!], [ratio!]);
    c.emit('MatMul', [ratio!, band], [ratioSums!]);
    c.emit('Mul', [x, ratioSums!], [xr!]);
    c.emit('Mul', [xr!, c.scalar(-2 * alpha * beta, 'float32')], [cross!]);
    c.emit('Pow', [norm!, c.scalar(-beta, 'float32')], [powered!]);
    c.emit('Mul', [dy, powered!], [direct!]);
    c.emit('Add', [direct!, cross!], c.outputs);
  },
});
