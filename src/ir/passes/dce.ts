/**
 * Dead-code elimination: pure nodes whose outputs nothing uses are removed, in every region; a loop
 * kept also loses the loop values and scan outputs that neither its outputs' users nor its own
 * live computation read (a gradient's stacks and counters that the backward pass did not need).
 */
import {
  allNodes,
  dependencies,
  type IRFunction,
  type Node,
  type Region,
  reads,
  scanCount,
  type Value,
} from '../graph.ts';
import { opDef } from '../ops/index.ts';

export function eliminateDeadCode(fn: IRFunction): void {
  sweep(fn.body);
}

// A call may run effects (its callee's body is another function): kept.
const isPure = (n: Node): boolean =>
  n.regions.length
    ? n.regions.every((r) => [...allNodes(r)].every(isPure))
    : n.op !== 'call' && opDef(n.op)?.pure !== false;

/** Removes dead nodes of `region`; returns every value the region still uses (its own and outer ones). */
function sweep(region: Region): Set<Value> {
  const used = new Set<Value>(region.results);
  const kept = [];
  for (let i = region.nodes.length - 1; i >= 0; i--) {
    const n = region.nodes[i]!;
    // A cond or while is pure when nothing at any depth of its regions has effects.
    if (isPure(n) && !n.outputs.some((o) => used.has(o))) continue;
    if (n.op === 'while') pruneLoop(n, used);
    kept.push(n);
    for (const v of n.inputs) used.add(v);
    for (const r of n.regions) for (const v of sweep(r)) used.add(v);
  }
  region.nodes = kept.reverse();
  return used;
}

/** The values `roots` are computed from within `region`, with what its effects read. */
const needed = (region: Region, roots: Value[]): Set<Value> =>
  dependencies(region, [...roots, ...region.nodes.filter((n) => !isPure(n)).flatMap(reads)]);

/** Drops the loop values and scan outputs of `loop` that nothing reads (`used`: reads after the loop). */
function pruneLoop(loop: Node, used: Set<Value>): void {
  const [test, body] = loop.regions as [Region, Region];
  const count = loop.inputs.length;
  const scans = [...Array(scanCount(loop)).keys()].filter((s) => used.has(loop.outputs[count + s]!));
  const live = new Set([0, ...[...Array(count).keys()].filter((j) => used.has(loop.outputs[j]!))]);
  const testReads = needed(test, test.results);
  for (let grew = true; grew; ) {
    const roots = [...[...live].map((j) => body.results[j]!), ...scans.map((s) => body.results[count + s]!)];
    const bodyReads = needed(body, roots);
    grew = false;
    for (let j = 0; j < count; j++) {
      if (!live.has(j) && (bodyReads.has(body.params[j]!) || testReads.has(test.params[j]!))) {
        live.add(j);
        grew = true;
      }
    }
  }
  if (live.size === count && scans.length === scanCount(loop)) return;
  const keep = [...live].sort((a, b) => a - b);
  loop.inputs = keep.map((j) => loop.inputs[j]!);
  test.params.splice(0, count, ...keep.map((j) => test.params[j]!));
  body.params.splice(0, count, ...keep.map((j) => body.params[j]!));
  body.results = [...keep.map((j) => body.results[j]!), ...scans.map((s) => body.results[count + s]!)];
  const outputs = [...keep.map((j) => loop.outputs[j]!), ...scans.map((s) => loop.outputs[count + s]!)];
  loop.outputs.splice(0, loop.outputs.length, ...outputs);
  const { scans: _, ...attrs } = loop.attrs;
  loop.attrs = scans.length ? { ...attrs, scans: scans.length } : attrs;
}
