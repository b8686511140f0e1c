/**
 * Ops of staged lists (staging/lists.ts) beyond what tfjs records: `SliceRows`, the first `count`
 * rows of a tensor, where `count` is a run-time int32 scalar (a list's `pop`).
 */
import { formatType, tensorType, type TensorType } from '../types.ts';
import { arity, fail } from './attrs.ts';
import { registerOp } from './registry.ts';

registerOp({
  name: 'SliceRows',
  inputNames: ['x', 'count'],
  // a count beyond the rows fails in tfjs; ONNX would clamp it
  canFail: true,
  infer: (inputs) => {
    arity('SliceRows', inputs, 2);
    const [x, count] = inputs as [TensorType, TensorType];
    if (x.shape.length === 0) fail('SliceRows', 'cannot slice the rows of a scalar');
    if (count.dtype !== 'int32' || count.shape.length !== 0)
      fail('SliceRows', `the count must be an int32 scalar, got ${formatType(count)}`);
    return [tensorType(x.dtype, [null, ...x.shape.slice(1)])];
  },
  eager: (tf, [x, count]) => [tf.slice(x!, 0, count!.dataSync()[0]!)],
  // the kept rows get the adjoint, the popped ones zeros
  gradient: ({ tf, inputs: [x, count], dys: [dy], inputTypes: [type], record }) => {
    const shape = record('Shape', [x!]);
    const rest = tf.concat([tf.reshape(tf.sub(tf.slice(shape, 0, 1), count!), [1]), tf.slice(shape, 1)]);
    const zeros = record('DynamicFill', [rest, tf.scalar(0, type!.dtype)], {
      dims: [null, ...type!.shape.slice(1)],
    });
    return [tf.concat([dy!, zeros], 0), undefined];
  },
  onnx: (c) => {
    const [ends, end64] = [c.temp(), c.temp()];
    c.emit('Cast', [c.inputs[1]!], [end64], { to: 7 }); // int64
    c.emit('Unsqueeze', [end64, c.int64([0])], [ends]);
    c.emit('Slice', [c.inputs[0]!, c.int64([0]), ends, c.int64([0])], c.outputs);
  },
});
