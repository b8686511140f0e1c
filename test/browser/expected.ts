/**
 * Global setup of the browser suite, run in Node before the page starts: the browser cases staged on
 * onnxruntime-node, provided to the page as `nodeResults`, and the bench workloads' staged outputs as
`nodeWorkloads` (the page checks onnxruntime-web against them). Their modules are converted by the
Vite plugin here too.
 */
import { createRequire } from 'node:module';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import type { TestProject } from 'vitest/node';
import * as ag from '../../dist/index.js';
import { browserCases, encode, runStaged, runWorkload, workloadCases } from './cases.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    nodeResults: string;
    nodeWorkloads: number[][][];
  }
}

export default async function setup(project: TestProject): Promise<void> {
  await tf.setBackend('cpu');
  ag.setSessionOptions({ intraOpNumThreads: 1, interOpNumThreads: 1 });
  project.provide('nodeResults', encode(await runStaged(ag, browserCases)));
  const workloads = [];
  for (const [w, config] of workloadCases) workloads.push(await runWorkload(ag, w, config));
  project.provide('nodeWorkloads', workloads);
  // These ran on onnxruntime-node (the Node platform), not on onnxruntime-web's Node build.
  const require = createRequire(import.meta.url);
  if (!require.cache[require.resolve('onnxruntime-node')])
    throw new Error('the expected results were not computed on onnxruntime-node');
}
