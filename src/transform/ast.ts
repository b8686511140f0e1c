/**
 * ESTree helpers shared by the analyses and converters: node construction, traversal, and code
 * templates. Nodes are handled as loosely typed records: the converters rewrite trees in place and
 * strict ESTree typing would add casts without catching real mistakes.
 */
import * as acorn from 'acorn';

export type Node = any;

/**
 * Whether `value`, found under `key`, may hold child nodes: an object, but not a location (the one
 * object-valued key of a node that is neither a node nor an array). Cheaper than a key set lookup
 * per property, which made up a tenth of conversion time.
 */
const mayHoldNodes = (key: string, value: unknown): value is Node =>
  typeof value === 'object' && value !== null && key !== 'loc';

/** The child nodes of `node`, in source order (arrays flattened). */
export function children(node: Node): Node[] {
  const out: Node[] = [];
  for (const key in node) {
    const value = node[key];
    if (!mayHoldNodes(key, value)) continue;
    if (Array.isArray(value)) {
      for (const v of value) if (v && typeof v.type === 'string') out.push(v);
    } else if (value && typeof value.type === 'string') out.push(value);
  }
  return out;
}

export const isFunction = (n: Node) =>
  n.type === 'FunctionDeclaration' || n.type === 'FunctionExpression' || n.type === 'ArrowFunctionExpression';

export const isLoop = (n: Node) =>
  n.type === 'WhileStatement' ||
  n.type === 'DoWhileStatement' ||
  n.type === 'ForStatement' ||
  n.type === 'ForOfStatement' ||
  n.type === 'ForInStatement';

/** Visits `node` and its descendants depth-first; `enter` returning false skips the children. */
export function visit(
  node: Node,
  enter: (n: Node, parent: Node | null) => boolean | void,
  parent: Node | null = null,
) {
  if (enter(node, parent) === false) return;
  for (const key in node) {
    const value = node[key];
    if (!mayHoldNodes(key, value)) continue;
    if (Array.isArray(value)) {
      for (const v of value) if (v && typeof v.type === 'string') visit(v, enter, node);
    } else if (value && typeof value.type === 'string') visit(value, enter, node);
  }
}

/**
 * A deep copy of a syntax tree, as `structuredClone` gives it (plain objects) but several times
 * faster: locations (`loc`, never modified after parsing) are shared with the original, not copied.
 */
export function cloneTree<T>(value: T): T {
  return cloneValue(value) as T;
}

function cloneValue(value: any): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const out: unknown[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) out[i] = cloneValue(value[i]);
    return out;
  }
  if (value instanceof RegExp) return new RegExp(value.source, value.flags);
  const out: Record<string, unknown> = {};
  for (const key in value) out[key] = key === 'loc' ? value[key] : cloneValue(value[key]);
  return out;
}

/** Visits descendants without entering nested functions (the function itself is not entered either). */
export function visitInFunction(body: Node, enter: (n: Node, parent: Node | null) => boolean | void) {
  visit(body, (n, p) => (n !== body && isFunction(n) ? false : enter(n, p)));
}

/**
 * Rewrites a tree bottom-up: `fn` receives each node after its children were rewritten and returns
 * its replacement (or the node itself). Nested functions are left alone unless `intoFunctions`.
 */
export function rewrite(node: Node, fn: (n: Node) => Node, intoFunctions = false, root = node): Node {
  for (const key in node) {
    const value = node[key];
    if (!mayHoldNodes(key, value)) continue;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const v = value[i];
        if (v && typeof v.type === 'string' && (intoFunctions || !isFunction(v)))
          value[i] = rewrite(v, fn, intoFunctions, root);
      }
    } else if (value && typeof value.type === 'string' && (intoFunctions || !isFunction(value))) {
      node[key] = rewrite(value, fn, intoFunctions, root);
    }
  }
  return fn(node);
}

/** Gives `node` and its descendants without a location the location of `origin`. */
export function withLoc<T extends Node>(node: T, origin: Node | undefined): T {
  if (!origin?.loc) return node;
  visit(node, (n) => {
    if (n.loc) return false;
    n.loc = origin.loc;
  });
  return node;
}

// ---- construction ----
export const id = (name: string): Node => ({ type: 'Identifier', name });
export const lit = (value: string | number | boolean | null): Node => ({ type: 'Literal', value });
export const member = (object: Node, property: string): Node => ({
  type: 'MemberExpression',
  object,
  property: id(property),
  computed: false,
  optional: false,
});
/** `ag__.name(args)`: a call of the runtime. */
export const rt = (name: string, ...args: Node[]): Node => ({
  type: 'CallExpression',
  callee: member(id(RUNTIME), name),
  arguments: args,
  optional: false,
});
export const thunk = (body: Node): Node => ({
  type: 'ArrowFunctionExpression',
  params: [],
  body,
  expression: body.type !== 'BlockStatement',
  async: false,
  generator: false,
  id: null,
  /** Marks closures made by the converter, as opposed to the user's own functions. */
  generated: true,
});
export const arrow = (params: Node[], body: Node): Node => ({ ...thunk(body), params });
export const block = (body: Node[]): Node => ({ type: 'BlockStatement', body });
export const exprStmt = (expression: Node): Node => ({ type: 'ExpressionStatement', expression });
export const assign = (left: Node, right: Node, operator = '='): Node => ({
  type: 'AssignmentExpression',
  operator,
  left,
  right,
});
export const declare = (kind: 'let' | 'const' | 'var', declarations: [Node, Node | null][]): Node => ({
  type: 'VariableDeclaration',
  kind,
  declarations: declarations.map(([target, init]) => ({
    type: 'VariableDeclarator',
    id: typeof target === 'string' ? id(target) : target,
    init,
  })),
});
export const sequence = (expressions: Node[]): Node => ({ type: 'SequenceExpression', expressions });
export const binary = (operator: string, left: Node, right: Node): Node => ({
  type: 'BinaryExpression',
  operator,
  left,
  right,
});
/** `typeof value === type` (`!==` with `negated`). */
export const typeofIs = (value: Node, type: string, negated = false): Node =>
  binary(
    negated ? '!==' : '===',
    { type: 'UnaryExpression', operator: 'typeof', prefix: true, argument: value },
    lit(type),
  );
export const asBlock = (stmt: Node): Node => (stmt.type === 'BlockStatement' ? stmt : block([stmt]));
/** Statements for a single-statement position: one stays, several become a block. */
export const single = (stmts: Node[]): Node => (stmts.length === 1 ? stmts[0] : block(stmts));

/** The identifier through which converted code reaches the runtime. */
export const RUNTIME = 'ag__';

// ---- templates ----
const templateCache = new Map<string, Node[]>();

function parseTemplate(code: string): Node[] {
  let body = templateCache.get(code);
  if (!body) {
    body = (
      acorn.parse(code, {
        ecmaVersion: 'latest',
        sourceType: 'module',
        allowReturnOutsideFunction: true,
      }) as Node
    ).body;
    visit({ type: 'Program', body }, (n) => {
      delete n.loc;
      delete n.start;
      delete n.end;
    });
    templateCache.set(code, body!);
  }
  return cloneTree(body!);
}

type Substitution = Node | Node[] | string;

/**
 * Statements from a code template. Identifiers named in `subs` are replaced: by a node, by a list of
 * statements or arguments (spliced where the identifier stands alone), or renamed by a string.
 */
export function template(code: string, subs: Record<string, Substitution> = {}): Node[] {
  const program = { type: 'Program', body: parseTemplate(code) };
  const arraySub = (item: Node): Node[] | undefined => {
    const name =
      item?.type === 'ExpressionStatement' && item.expression.type === 'Identifier'
        ? item.expression.name
        : item?.type === 'Identifier'
          ? item.name
          : undefined;
    const sub = name === undefined ? undefined : subs[name];
    return Array.isArray(sub) ? sub : undefined;
  };
  const spliced = (list: Node[]) => list.flatMap((item) => arraySub(item) ?? [item]);
  rewrite(
    program,
    (n) => {
      for (const key of ['body', 'arguments', 'params', 'elements'])
        if (Array.isArray(n[key])) n[key] = spliced(n[key]);
      if (n.type === 'ExpressionStatement' && /Statement|Declaration$/.test(n.expression.type))
        return n.expression;
      if (n.type === 'Identifier' && Object.hasOwn(subs, n.name)) {
        const sub = subs[n.name];
        if (typeof sub === 'string') return { ...n, name: sub };
        if (!Array.isArray(sub)) return sub;
      }
      return n;
    },
    true,
  );
  return program.body;
}

/** An expression from a code template, see `template`. */
export function templateExpr(code: string, subs: Record<string, Substitution> = {}): Node {
  return template(`(${code});`, subs)[0].expression;
}

/** Calls `fn` on each assignable leaf of a pattern (identifiers and member expressions). */
export function visitPatternTargets(p: Node, fn: (target: Node) => void): void {
  switch (p?.type) {
    case 'Identifier':
    case 'MemberExpression':
      fn(p);
      break;
    case 'ObjectPattern':
      for (const prop of p.properties)
        visitPatternTargets(prop.type === 'RestElement' ? prop.argument : prop.value, fn);
      break;
    case 'ArrayPattern':
      for (const e of p.elements) if (e) visitPatternTargets(e, fn);
      break;
    case 'RestElement':
      visitPatternTargets(p.argument, fn);
      break;
    case 'AssignmentPattern':
      visitPatternTargets(p.left, fn);
      break;
  }
}

/** Names bound by a declaration pattern (`a`, `{ b, c: [d] }`, `...e`, `f = 1`). */
export function bindingNames(pattern: Node, out: string[] = []): string[] {
  visitPatternTargets(pattern, (t) => t.type === 'Identifier' && out.push(t.name));
  return out;
}

/** A declaration's `kind x = v, y = w` as the expression `(x = v, y = w)`; declarators without value are dropped. */
export function declarationAsAssignment(decl: Node): Node | null {
  const parts = decl.declarations
    .filter((d: Node) => d.init)
    .map((d: Node) => withLoc(assign(d.id, d.init), d));
  return parts.length === 0 ? null : parts.length === 1 ? parts[0] : withLoc(sequence(parts), decl);
}
