/**
 * The verifier, run after construction and after every pass: SSA values are defined once and before
 * use (in the same region or an enclosing one), every op is registered and its outputs have the
 * types its rule infers (exactly: a dynamic dim matches only a dynamic dim), and `cond`/`while`
 * regions have the shapes control flow needs: a loop carries exactly its parameters' types (and its
 * scan outputs stack its extra body results, see graph.ts), and a `cond` branch's results are compatible with the cond's outputs (each dim equal, or either dynamic).
 */
import { AutoGraphError } from '../errors.ts';
import type { IRFunction, Node, Region, Value } from './graph.ts';
import { opDef } from './ops/index.ts';
import { compatibleType, formatType, sameType, type TensorType } from './types.ts';

export class IRVerificationError extends AutoGraphError {
  override name = 'IRVerificationError';
}

/** Checks `fn` and every function its calls reach. */
export function verify(fn: IRFunction): void {
  verifyFunction(fn);
  for (const callee of fn.functions.values()) if (callee !== fn) verifyFunction(callee);
}

function verifyFunction(fn: IRFunction): void {
  const defined = new Set<Value>();
  const fail = (node: Node | null, message: string): never => {
    const at = node ? ` at ${node.op}${node.where ? ` (${node.where})` : ''}` : '';
    throw new IRVerificationError(`invalid IR in '${fn.name}'${at}: ${message}`);
  };
  const define = (v: Value, node: Node | null) => {
    if (defined.has(v)) fail(node, `%${v.id} is defined twice`);
    defined.add(v);
  };
  const region = (r: Region, visible: Set<Value>, owner: Node | null) => {
    const scope = new Set(visible);
    for (const p of r.params) {
      define(p, owner);
      scope.add(p);
    }
    for (const n of r.nodes) {
      for (const v of n.inputs) if (!scope.has(v)) fail(n, `uses %${v.id} outside its scope`);
      checkNode(n, scope);
      for (const o of n.outputs) {
        define(o, n);
        scope.add(o);
      }
    }
    for (const v of r.results) if (!scope.has(v)) fail(owner, `region result %${v.id} is not in scope`);
  };
  const types = (vs: readonly Value[]) => vs.map((v) => v.type);
  const expectTypes = (
    n: Node,
    what: string,
    actual: readonly TensorType[],
    expected: readonly TensorType[],
    match: (a: TensorType, b: TensorType) => boolean = sameType,
  ) => {
    if (actual.length !== expected.length || actual.some((t, i) => !match(t, expected[i]!))) {
      fail(
        n,
        `${what}: (${actual.map(formatType).join(', ')}) where (${expected.map(formatType).join(', ')}) is expected`,
      );
    }
  };
  const checkNode = (n: Node, scope: Set<Value>) => {
    if (n.op === 'cond') {
      if (n.inputs.length !== 1 || n.regions.length !== 2)
        fail(n, 'cond takes one predicate and two regions');
      expectTypes(n, 'predicate', types(n.inputs), [{ dtype: 'bool', shape: [] }]);
      for (const r of n.regions) {
        if (r.params.length) fail(n, 'cond branches take no parameters');
        region(r, scope, n);
        // a branch may know a dim that the cond's output leaves dynamic (the other branch differs)
        expectTypes(n, 'branch results', types(r.results), types(n.outputs), compatibleType);
      }
      return;
    }
    if (n.op === 'while') {
      const [test, body] = n.regions;
      if (!test || !body || n.regions.length !== 2) fail(n, 'while takes a cond and a body region');
      const scans = n.attrs.scans ?? 0;
      if (typeof scans !== 'number' || !Number.isInteger(scans) || scans < 0)
        fail(n, `scans must be a non-negative integer, not ${JSON.stringify(scans)}`);
      const carried = types(n.inputs);
      for (const r of [test!, body!]) {
        expectTypes(n, 'region parameters', types(r.params), carried);
        region(r, scope, n);
      }
      expectTypes(n, 'cond region result', types(test!.results), [{ dtype: 'bool', shape: [] }]);
      const perIteration = types(body!.results.slice(carried.length));
      if (perIteration.length !== scans)
        fail(
          n,
          `the body has ${body!.results.length} results where ${carried.length} loop values and ${scans} scan values are expected`,
        );
      expectTypes(n, 'body results', types(body!.results.slice(0, carried.length)), carried);
      // a scan output stacks its per-iteration value along a new leading dim, the iteration count
      const stacked = perIteration.map((t) => ({ dtype: t.dtype, shape: [null, ...t.shape] }));
      expectTypes(n, 'outputs', types(n.outputs), [...carried, ...stacked]);
      return;
    }
    if (n.op === 'call') {
      const callee = fn.functions.get(n.attrs.callee as string);
      if (!callee) return fail(n, `calls '${String(n.attrs.callee)}', which is not a function of this graph`);
      if (n.regions.length) fail(n, 'call takes no regions');
      expectTypes(n, 'arguments', types(n.inputs), types(callee.body.params), compatibleType);
      expectTypes(n, 'outputs', types(n.outputs), types(callee.body.results));
      return;
    }
    const def = opDef(n.op);
    if (!def) return fail(n, `unknown op '${n.op}'`);
    if (n.regions.length) fail(n, `${n.op} takes no regions`);
    let inferred: TensorType[];
    try {
      inferred = def.infer(types(n.inputs), n.attrs);
    } catch (e) {
      return fail(n, (e as Error).message);
    }
    expectTypes(n, 'outputs', types(n.outputs), inferred);
  };
  region(fn.body, new Set(), null);
}
