/**
 * Intra-procedural control-flow graph over statements. Leaf statements, branch tests and loop heads
 * are nodes; compound statements are recorded as the set of nodes they contain, so analyses can ask
 * for what flows into and out of a whole `if` or loop. Nested functions are opaque leaves of the
 * statement that contains them.
 */
import { isLoop, type Node } from '../ast.ts';

export interface CfgNode {
  readonly id: number;
  /** The statement, test expression or loop head this node evaluates; null for entry/exit/join. */
  readonly ast: Node | null;
  readonly kind: 'entry' | 'exit' | 'statement' | 'test' | 'loop-head' | 'join';
  readonly succ: Set<CfgNode>;
  readonly pred: Set<CfgNode>;
}

export interface Cfg {
  entry: CfgNode;
  exit: CfgNode;
  nodes: CfgNode[];
  /** For each statement, the nodes it contains (itself included, for leaves). */
  members: Map<Node, Set<CfgNode>>;
  /** For each loop, the node every iteration starts from (after a for loop's init). */
  heads: Map<Node, CfgNode>;
}

interface JumpTargets {
  labels: string[];
  isLoop: boolean;
  breaks: CfgNode[];
  continueTo: CfgNode | null;
}

export function buildCfg(fnBody: Node): Cfg {
  const nodes: CfgNode[] = [];
  const members = new Map<Node, Set<CfgNode>>();
  const heads = new Map<Node, CfgNode>();
  const stack: Node[] = [];
  const make = (kind: CfgNode['kind'], ast: Node | null): CfgNode => {
    const n: CfgNode = { id: nodes.length, ast, kind, succ: new Set(), pred: new Set() };
    nodes.push(n);
    for (const s of stack) members.get(s)!.add(n);
    return n;
  };
  const link = (from: CfgNode[], to: CfgNode) => {
    for (const f of from) {
      f.succ.add(to);
      to.pred.add(f);
    }
  };
  const entry = make('entry', null);
  const exit = make('exit', null);
  const targets: JumpTargets[] = [];

  const statement = (s: Node, preds: CfgNode[], labels: string[] = []): CfgNode[] => {
    members.set(s, new Set());
    stack.push(s);
    try {
      return compound(s, preds, labels);
    } finally {
      stack.pop();
    }
  };
  const list = (stmts: Node[], preds: CfgNode[]) => stmts.reduce((p, s) => statement(s, p), preds);
  const leaf = (s: Node, preds: CfgNode[], kind: CfgNode['kind'] = 'statement') => {
    const n = make(kind, s);
    link(preds, n);
    return n;
  };
  const loop = (labels: string[], continueTo: CfgNode | null): JumpTargets => {
    const t = { labels, isLoop: true, breaks: [], continueTo };
    targets.push(t);
    return t;
  };

  const compound = (s: Node, preds: CfgNode[], labels: string[]): CfgNode[] => {
    switch (s.type) {
      case 'BlockStatement':
        return list(s.body, preds);
      case 'IfStatement': {
        const test = leaf(s.test, preds, 'test');
        const then = statement(s.consequent, [test]);
        const orelse = s.alternate ? statement(s.alternate, [test]) : [test];
        return [...then, ...orelse];
      }
      case 'LabeledStatement': {
        if (isLoop(s.body) || s.body.type === 'LabeledStatement')
          return statement(s.body, preds, [...labels, s.label.name]);
        const t: JumpTargets = { labels: [s.label.name], isLoop: false, breaks: [], continueTo: null };
        targets.push(t);
        const out = statement(s.body, preds);
        targets.pop();
        return [...out, ...t.breaks];
      }
      case 'WhileStatement':
      case 'ForOfStatement':
      case 'ForInStatement': {
        const head = leaf(
          s.type === 'WhileStatement' ? s.test : s,
          preds,
          s.type === 'WhileStatement' ? 'test' : 'loop-head',
        );
        heads.set(s, head);
        const t = loop(labels, head);
        link(statement(s.body, [head]), head);
        targets.pop();
        return [head, ...t.breaks];
      }
      case 'DoWhileStatement': {
        const join = make('join', null);
        heads.set(s, join);
        link(preds, join);
        const test = make('test', s.test);
        const t = loop(labels, test);
        link(statement(s.body, [join]), test);
        link([test], join);
        targets.pop();
        return [test, ...t.breaks];
      }
      case 'ForStatement': {
        const init = s.init ? [leaf(s.init, preds)] : preds;
        const head = s.test ? make('test', s.test) : make('join', null);
        heads.set(s, head);
        link(init, head);
        const update = s.update ? make('statement', s.update) : head;
        const t = loop(labels, update);
        link(statement(s.body, [head]), update);
        if (update !== head) link([update], head);
        targets.pop();
        return [...(s.test ? [head] : []), ...t.breaks];
      }
      case 'TryStatement': {
        const before = nodes.length;
        const body = statement(s.block, preds);
        // any statement of the try block may throw into the handler
        const mayThrow = [...preds, ...nodes.slice(before)];
        const handled = s.handler ? statement(s.handler.body, [leaf(s.handler, mayThrow)]) : [];
        const out = [...body, ...handled];
        return s.finalizer ? statement(s.finalizer, s.handler ? out : [...out, ...mayThrow]) : out;
      }
      case 'ReturnStatement':
      case 'ThrowStatement':
        link([leaf(s, preds)], exit);
        return [];
      case 'BreakStatement':
      case 'ContinueStatement': {
        const n = leaf(s, preds);
        const isBreak = s.type === 'BreakStatement';
        const target = [...targets]
          .reverse()
          .find((t) => (s.label ? t.labels.includes(s.label.name) : t.isLoop));
        if (target && isBreak) target.breaks.push(n);
        else if (target?.continueTo) link([n], target.continueTo);
        return [];
      }
      default:
        return [leaf(s, preds)];
    }
  };

  link(list(fnBody.body, [entry]), exit);
  return { entry, exit, nodes, members, heads };
}
