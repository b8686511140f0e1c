/**
 * The ONNX Runtime executor beyond op lowerings: staged prints, failures inside ORT named by the
 * staged op and the user's line, sessions released by dispose, the export round trip through
 * onnxruntime-node and onnxruntime-web, and memory over many calls.
 */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import * as ag from '../src/index.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

const T: any = { ...tf };
const scope = { T };

/** What a call printed, each line as console.log's arguments. */
async function printed(f: (...args: any[]) => Promise<unknown>, args: unknown[]): Promise<unknown[][]> {
  const lines: unknown[][] = [];
  const original = console.log;
  console.log = (...parts: unknown[]) => lines.push(parts);
  try {
    const out = await f(...args);
    tf.dispose(out as tf.Tensor);
  } finally {
    console.log = original;
  }
  return lines;
}

describe('staged prints on ONNX Runtime print what the tfjs executor prints', () => {
  const programs: [string, (...args: any[]) => unknown, () => unknown[]][] = [
    [
      'prints in both branches of a cond inside a loop, of every dtype',
      (x: any) => {
        let i = T.scalar(0);
        while (i < 4) {
          if (T.sum(x) > 3) console.log('big', x, i, T.greater(x, 2));
          else console.log('small', i);
          x = x + 1;
          i = i + 1;
        }
        return x;
      },
      () => [tf.tensor1d([0.5, 1.25])],
    ],
    [
      'nested loops, a print per level, and a print after',
      (m: any) => {
        let total = T.scalar(0);
        for (const row of m) {
          console.log('row', row);
          let j = T.scalar(0);
          while (j < T.sum(row)) {
            console.log('  j', j);
            j = j + 1;
          }
          total = total + j;
        }
        console.log('total', total, 'done');
        return total;
      },
      () => [
        tf.tensor2d([
          [1, 0],
          [2, 1],
          [0, 0],
        ]),
      ],
    ],
    [
      'a loop that never runs prints nothing from its body',
      (x: any) => {
        while (T.sum(x) > 100) {
          console.log('never', x);
          x = x / 2;
        }
        return x;
      },
      () => [tf.tensor1d([1, 2])],
    ],
    [
      'a print in a cond of a loop whose results nothing uses',
      (x: any) => {
        let i = T.scalar(0);
        while (i < 3) {
          if (T.sum(x) > 0) console.log('tick', i);
          i = i + 1;
        }
        return x * 2;
      },
      () => [tf.tensor1d([1])],
    ],
  ];
  for (const [name, fn, inputs] of programs) {
    it(name, async () => {
      const onTfjs = ag.stage(fn, { scope, executor: 'tfjs' });
      const onOrt = ag.stage(fn, { scope, executor: 'onnx' });
      await printed(onTfjs, inputs()); // traced: the lines below come from running the graph
      await printed(onOrt, inputs());
      const expected = await printed(onTfjs, inputs());
      expect(expected.length).toBeGreaterThan(name.startsWith('a loop that never') ? -1 : 0);
      expect(await printed(onOrt, inputs())).toEqual(expected);
      await onOrt.dispose();
    });
  }
});

describe('failures inside ONNX Runtime', () => {
  // The user's file:line:col and its excerpt need the loader: test/staging-loader.test.ts checks them.
  it('name the staged op and what went wrong', async () => {
    const f = ag.stage(
      (x: any, i: any) => {
        const picked = T.gather(x, i);
        return picked * 2;
      },
      { scope },
    );
    const error = await f(tf.tensor1d([1, 2, 3]), tf.tensor1d([0, 7], 'int32')).catch((e: Error) => e);
    expect(error).toBeInstanceOf(ag.ExecutionError);
    const message = (error as Error).message;
    expect(message).toContain("ONNX Runtime failed in the staged op 'GatherV2' (ONNX Gather) of 'staged'");
    expect(message).toContain('idx=7 must be within the inclusive range [-3,2]');
  });
});
