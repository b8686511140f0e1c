/**
 * Global setup of the browser suite, run in Node before the page starts: the browser cases staged on
 * onnxruntime-node, provided to the page as `nodeResults` (the page checks onnxruntime-web against them).
 */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import type { TestProject } from 'vitest/node';
import * as ag from '../../dist/index.js';
import { browserCases, encode, runStaged } from './cases.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    nodeResults: string;
  }
}

export default async function setup(project: TestProject): Promise<void> {
  await tf.setBackend('cpu');
  ag.setSessionOptions({ intraOpNumThreads: 1, interOpNumThreads: 1 });
  project.provide('nodeResults', encode(await runStaged(ag, browserCases)));
}
