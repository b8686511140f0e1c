/** Every workload of the benchmark, in report order. */
import type { Workload } from '../harness.ts';
import { beamSearch } from './beam-search.ts';
import { callOverhead } from './call-overhead.ts';
import { collatz } from './collatz.ts';
import { fixedPoint } from './fixed-point.ts';
import { lbfgs } from './lbfgs.ts';
import { maml } from './maml.ts';
import { rnn } from './rnn.ts';
import { seq2seq } from './seq2seq.ts';
import { trainEpochs, trainSteps } from './train.ts';
import { treeLstm } from './tree-lstm.ts';

export const WORKLOADS: Workload[] = [
  rnn,
  beamSearch,
  seq2seq,
  collatz,
  fixedPoint,
  treeLstm,
  lbfgs,
  maml,
  trainEpochs,
  trainSteps,
  callOverhead,
];
