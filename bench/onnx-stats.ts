/**
 * What runs per loop iteration: decodes an ONNX model (the staged lowering's or a hand-built one) and
 * counts the nodes of each Loop body, so the report can compare the per-iteration work of the two.
 * Analysis only: decoding uses the ONNX schema subset that src/backends/onnx writes with.
 */
import protobuf from 'protobufjs';
import { ONNX_PROTO } from '../src/backends/onnx/schema.ts';

const ModelProto = protobuf.parse(ONNX_PROTO, { keepCase: false }).root.lookupType('onnx.ModelProto');

interface NodeMsg {
  opType: string;
  attribute?: { name: string; g?: GraphMsg }[];
}
interface GraphMsg {
  node?: NodeMsg[];
}

export interface LoopStats {
  /** Nodes run by every iteration: the body's own, plus those of the If branches it holds (both). */
  nodes: number;
  /** Node count by op type (If branches included, marked `op (in If)`). */
  ops: Record<string, number>;
}

export interface GraphStats {
  /** Nodes outside any loop. */
  topLevel: number;
  /** Outermost loops in graph order (those in top-level If branches included). */
  loops: LoopStats[];
}

const subgraphs = (n: NodeMsg): GraphMsg[] => (n.attribute ?? []).flatMap((a) => (a.g ? [a.g] : []));

/** Counts the nodes of `g` into `stats`; If branches count too (ONNX Runtime runs one of them). */
function count(g: GraphMsg, stats: LoopStats, inIf: boolean): void {
  for (const n of g.node ?? []) {
    stats.nodes++;
    const key = inIf ? `${n.opType} (in If)` : n.opType;
    stats.ops[key] = (stats.ops[key] ?? 0) + 1;
    for (const sg of subgraphs(n)) count(sg, stats, inIf || n.opType === 'If');
  }
}

/**
 * Loops of `g` into `stats`, and its other nodes as top-level ones; an If's branches are searched too
 * (the loop of a staged recursion sits in the branch that recurses).
 */
function outermostLoops(g: GraphMsg, stats: GraphStats): void {
  for (const n of g.node ?? []) {
    if (n.opType !== 'Loop') {
      stats.topLevel++;
      if (n.opType === 'If') for (const branch of subgraphs(n)) outermostLoops(branch, stats);
      continue;
    }
    const loop: LoopStats = { nodes: 0, ops: {} };
    for (const body of subgraphs(n)) count(body, loop, false);
    stats.loops.push(loop);
  }
}

export function graphStats(bytes: Uint8Array): GraphStats {
  const graph = (ModelProto.toObject(ModelProto.decode(bytes)) as { graph: GraphMsg }).graph;
  const stats: GraphStats = { topLevel: 0, loops: [] };
  outermostLoops(graph, stats);
  return stats;
}

/** `16 nodes/iter (Cast 2, Identity 5, If 2)`: loop bodies' sizes with the overhead-type ops named. */
export function formatLoops(stats: GraphStats): string {
  if (!stats.loops.length) return `no loop (${stats.topLevel} nodes)`;
  const overhead = /^(Cast|Identity|If|Not|Tile|Expand|Reshape|Squeeze|Unsqueeze)/;
  return stats.loops
    .map((l) => {
      const named = Object.entries(l.ops)
        .filter(([op]) => overhead.test(op))
        .map(([op, k]) => `${op} ${k}`)
        .join(', ');
      return `${l.nodes}${named ? ` (${named})` : ''}`;
    })
    .join(' + ');
}
