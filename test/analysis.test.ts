import { describe, expect, it } from 'vitest';
import { activity, qualifiedName } from '../src/transform/analysis/activity.ts';
import { buildCfg } from '../src/transform/analysis/cfg.ts';
import { liveness } from '../src/transform/analysis/liveness.ts';
import { reachingDefinitions } from '../src/transform/analysis/reaching-definitions.ts';
import { freeVariables } from '../src/transform/analysis/scopes.ts';
import { annotateState } from '../src/transform/analysis/state.ts';
import { type Node, visit } from '../src/transform/ast.ts';
import { parseSource } from '../src/transform/source.ts';

const parseFn = (code: string): Node => (parseSource(`(${code})`).program.body[0] as Node).expression;
const sorted = (s: Iterable<string>) => [...s].sort();
/** The first statement of `fn` of the given type. */
function find(fn: Node, type: string, nth = 0): Node {
  const found: Node[] = [];
  visit(fn.body, (n) => void (n.type === type && found.push(n)));
  if (!found[nth]) throw new Error(`no ${type} #${nth}`);
  return found[nth];
}

describe('activity', () => {
  it('separates reads from direct writes, composite names included', () => {
    const fn = parseFn('function f(a, o) { o.b.c = a + o.d; let x = o[0]; x += 1; y++; }');
    const act = activity(fn.body);
    expect(sorted(act.modified)).toEqual(['o.b.c', 'x', 'y']);
    // assigning o.b.c reads o.b
    expect(sorted(act.read)).toEqual(['a', 'o', 'o.b', 'o.d', 'o[0]', 'x', 'y']);
    expect(sorted(act.declared)).toEqual(['x']);
  });
  it('names composite symbols only for static member chains', () => {
    const e = (code: string) => (parseSource(code).program.body[0] as Node).expression;
    expect(qualifiedName(e('a.b[2].c'))).toBe('a.b[2].c');
    expect(qualifiedName(e('a[k]'))).toBeUndefined();
    expect(qualifiedName(e('this.count'))).toBe('this.count');
  });
});

describe('control-flow graph', () => {
  it('links loops back to their head and breaks past them', () => {
    const fn = parseFn('function f(n) { while (n > 0) { if (n == 3) break; n--; } return n; }');
    const cfg = buildCfg(fn.body);
    const loop = find(fn, 'WhileStatement');
    const head = cfg.heads.get(loop)!;
    expect(head.kind).toBe('test');
    const brk = cfg.nodes.find((n) => n.ast?.type === 'BreakStatement')!;
    const ret = cfg.nodes.find((n) => n.ast?.type === 'ReturnStatement')!;
    expect([...brk.succ]).toEqual([ret]);
    expect([...head.succ]).toContain(ret);
    expect([...ret.succ]).toEqual([cfg.exit]);
  });
  it('sends every statement of a try block to its handler', () => {
    const fn = parseFn('function f() { try { a(); b(); } catch (e) { c(e); } }');
    const cfg = buildCfg(fn.body);
    const handler = cfg.nodes.find((n) => n.ast?.type === 'CatchClause')!;
    expect([...handler.pred].map((p) => p.ast?.expression?.callee?.name ?? p.kind).sort()).toEqual([
      'a',
      'b',
      'entry',
    ]);
  });
});

describe('liveness', () => {
  it('is live on entry when read before written, and on exit when read after', () => {
    const fn = parseFn(
      'function f(x, n) { let s = 0; let t = 1; while (n > 0) { s = s + x; t = 2; n = n - 1; } return s; }',
    );
    const live = liveness(buildCfg(fn.body));
    const loop = find(fn, 'WhileStatement');
    expect(sorted(live.liveIn(loop))).toEqual(['n', 's', 'x']);
    expect(sorted(live.liveOut(loop))).toEqual(['s']);
  });
  it('does not let writes inside closures kill', () => {
    const fn = parseFn('function f(c, x) { if (c) { g(() => { x = 1; }); } return x; }');
    const live = liveness(buildCfg(fn.body));
    expect(live.liveIn(find(fn, 'IfStatement')).has('x')).toBe(true);
  });
});

describe('reaching definitions', () => {
  it('knows which locals are certainly assigned on entry', () => {
    const fn = parseFn(
      'function f(c) { let a = 1; let b; if (c) { b = 2; var d = 3; } else { b = 4; } while (c) { c = d; } }',
    );
    const defs = reachingDefinitions(buildCfg(fn.body), ['c']);
    expect(sorted(defs.definedOnEntry(find(fn, 'IfStatement')))).toEqual(['a', 'b', 'c']);
    const whileDefs = defs.definedOnEntry(find(fn, 'WhileStatement'));
    expect(whileDefs.has('b')).toBe(true);
    expect(whileDefs.has('d')).toBe(false);
  });
});

describe('scopes', () => {
  it('finds free variables, respecting block scopes, hoisting and parameters', () => {
    const fn = parseFn(
      'function f(a) { const g = () => a + b; { let b = 1; c(b); } var d; function h() { return d + e; } }',
    );
    expect(sorted(freeVariables(fn).keys())).toEqual(['b', 'c', 'e']);
  });
});

describe('loop and branch state (modified and live)', () => {
  const stateOf = (code: string, type: string, nth = 0) => {
    const fn = parseFn(code);
    annotateState(fn);
    const s = find(fn, type, nth);
    return { names: s.stateNames, undefinedOnEntry: s.undefinedOnEntry };
  };
  it('threads only variables that are modified and live', () => {
    const code =
      'function f(x, n) { let i = 0, unused = 0; while (i < n) { const t = x * 2; x = t + 1; unused = 5; i++; } return x; }';
    expect(stateOf(code, 'WhileStatement').names).toEqual(['i', 'x']);
  });
  it('keeps variables local to a branch out, and includes live composites', () => {
    const code =
      'function f(c, o) { let y = 0; if (c) { let z = 1; o.count = z; y = 2; } else { y = 3; } return [y, o]; }';
    expect(stateOf(code, 'IfStatement').names).toEqual(['o.count', 'y']);
  });
  it('threads a for loop counter and reports values first defined inside a loop', () => {
    const code =
      'function f(n) { let last; let s = 0; for (let j = 0; j < n; j++) { s += j; } while (n > 0) { var v = n; n--; } return [s, v]; }';
    expect(stateOf(code, 'ForStatement').names).toEqual(['j', 's']);
    expect(stateOf(code, 'WhileStatement')).toEqual({ names: ['n', 'v'], undefinedOnEntry: ['v'] });
  });
});
