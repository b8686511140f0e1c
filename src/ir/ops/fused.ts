/**
 * The fused kernels tfjs-layers emits: `_FusedMatMul`, `FusedConv2D`, `FusedDepthwiseConv2D`. Each is
 * its base op (BatchMatMul, Conv2D, DepthwiseConv2dNative), then `+ bias`, then an activation, as
 * tfjs's kernels compute them; their shape rules and ONNX lowerings are those ops' own, chained.
 *
 * `bias` and `preluActivationWeights` are optional inputs: a node has the present ones after the two
 * operands. With three inputs the third is the prelu weights when the activation is 'prelu', else the
 * bias (prelu weights given with another activation, which tfjs ignores, would be read as a bias).
 */
import type { Attrs } from '../graph.ts';
import type { TensorType } from '../types.ts';
import { fail, show } from './attrs.ts';
import { type OnnxLowering, opDef, registerOp, type Tensor, type Tf } from './registry.ts';

/** The op applying each tfjs fused activation (`linear`: none). */
const ACTIVATIONS: Record<string, string> = {
  linear: 'Identity',
  relu: 'Relu',
  relu6: 'Relu6',
  elu: 'Elu',
  sigmoid: 'Sigmoid',
  leakyrelu: 'LeakyRelu',
  prelu: 'Prelu',
};

/** The names of a fused node's inputs, from their count and the activation. */
function inputNamesOf(op: string, count: number, attrs: Attrs, operands: readonly string[]): string[] {
  if (count === 2) return [...operands];
  if (count === 4) return [...operands, 'bias', 'preluActivationWeights'];
  if (count === 3) return [...operands, attrs.activation === 'prelu' ? 'preluActivationWeights' : 'bias'];
  return fail(op, `takes 2 to 4 inputs, got ${count}`);
}

interface Step {
  op: string;
  /** The step's other inputs (after the running value): node input indices. */
  extra: number[];
  attrs: Attrs;
}

/** After the base op: bias, then the activation (each an op of the registry). */
function stepsOf(op: string, names: readonly string[], attrs: Attrs): Step[] {
  const steps: Step[] = [];
  const bias = names.indexOf('bias');
  const alpha = names.indexOf('preluActivationWeights');
  if (bias >= 0) steps.push({ op: 'Add', extra: [bias], attrs: {} });
  const activation = attrs.activation;
  if (activation == null) return steps;
  const applied = ACTIVATIONS[activation as string];
  if (!applied) fail(op, `unknown activation ${show(activation)}`);
  if (applied === 'Prelu') {
    if (alpha < 0) fail(op, "activation 'prelu' needs preluActivationWeights");
    steps.push({ op: 'Prelu', extra: [alpha], attrs: {} });
  } else if (applied === 'LeakyRelu') {
    steps.push({ op: 'LeakyRelu', extra: [], attrs: { alpha: attrs.leakyreluAlpha ?? 0.2 } });
  } else steps.push({ op: applied, extra: [], attrs: {} });
  return steps;
}

/**
 * A 1-D bias or prelu weights of more than one element lines up with the channels of an NCHW
 * convolution (tfjs's FusedConv2D reshapes it to [C, 1, 1]); elsewhere it broadcasts as it is.
 */
function alignedType(t: TensorType, channelsFirst: boolean): TensorType {
  if (!channelsFirst || t.shape.length !== 1 || t.shape[0] === 1) return t;
  return { ...t, shape: [t.shape[0]!, 1, 1] };
}

function registerFused(name: string, base: string, operands: [string, string], nchwAware: boolean): void {
  const channelsFirst = (attrs: Attrs) => nchwAware && attrs.dataFormat === 'NCHW';
  const baseAttrs = (attrs: Attrs): Attrs => {
    const { activation: _a, leakyreluAlpha: _l, ...rest } = attrs;
    return rest;
  };
  registerOp({
    name,
    inputNames: [...operands, 'bias', 'preluActivationWeights'],
    optionalInputs: ['bias', 'preluActivationWeights'],
    eager: (tf: Tf, inputs: Tensor[], attrs: Attrs) => {
      const names = inputNamesOf(name, inputs.length, attrs, operands);
      const named = Object.fromEntries(names.map((n, i) => [n, inputs[i]]));
      return [tf.engine().runKernel(name, named as any, attrs as any) as Tensor];
    },
    infer: (inputs, attrs) => {
      const names = inputNamesOf(name, inputs.length, attrs, operands);
      let [t] = opDef(base)!.infer(inputs.slice(0, 2), baseAttrs(attrs));
      for (const step of stepsOf(name, names, attrs)) {
        const extra = step.extra.map((i) => alignedType(inputs[i]!, channelsFirst(attrs)));
        try {
          [t] = opDef(step.op)!.infer([t!, ...extra], step.attrs);
        } catch (e) {
          fail(
            name,
            `${step.op === 'Add' ? 'bias' : `activation ${show(attrs.activation)}`}: ${(e as Error).message}`,
          );
        }
      }
      return [t!];
    },
    onnx: (c) => {
      if (channelsFirst(c.attrs))
        throw new Error(
          `${name}: only dataFormat 'NHWC' has an ONNX lowering, got ${show(c.attrs.dataFormat)}`,
        );
      const names = inputNamesOf(name, c.inputs.length, c.attrs, operands);
      const steps = stepsOf(name, names, c.attrs);
      const all = [{ op: base, extra: [1], attrs: baseAttrs(c.attrs) }, ...steps];
      let value = { name: c.inputs[0]!, type: c.inputTypes[0]! };
      all.forEach((step, k) => {
        const inputs = [value.name, ...step.extra.map((i) => c.inputs[i]!)];
        const inputTypes = [value.type, ...step.extra.map((i) => c.inputTypes[i]!)];
        const [type] = opDef(step.op)!.infer(inputTypes, step.attrs);
        const output = k === all.length - 1 ? c.outputs[0]! : c.temp();
        lowerAs(c, step.op, inputs, inputTypes, [output], [type!], step.attrs);
        value = { name: output, type: type! };
      });
    },
  });
}

/** Lowers registered op `op` on these values, within the lowering `c` of another op. */
function lowerAs(
  c: OnnxLowering,
  op: string,
  inputs: string[],
  inputTypes: TensorType[],
  outputs: string[],
  outputTypes: TensorType[],
  attrs: Attrs,
): void {
  const lower = opDef(op)!.onnx!;
  lower({ ...c, op, inputs, inputTypes, outputs, outputTypes, attrs, constantInput: () => undefined });
}

registerFused('_FusedMatMul', 'BatchMatMul', ['a', 'b'], false);
registerFused('FusedConv2D', 'Conv2D', ['x', 'filter'], true);
registerFused('FusedDepthwiseConv2D', 'DepthwiseConv2dNative', ['x', 'filter'], false);
