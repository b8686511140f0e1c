/**
 * Indexing: `o[k]` → `ag__.index(o, k, where)`, `o.length` → `ag__.len(o, where)`, and
 * `o[k] = v` → `ag__.setIndex(o, k, v, where)`, so that a tensor's rows can be read like an
 * array's (`t[i]`, `t.length`), a JS array can be read at a tensor index (`vocab[t]`), and writing
 * into a tensor is a clear error. On every other value the runtime does exactly the JS operation.
 *
 * Only reads are rewritten: a member that is written (assignment and update targets, destructuring
 * and for…in/of targets), deleted, called (`o[k](x)` keeps `o` as its receiver; calls.ts handles it)
 * or part of an optional chain (which must short-circuit as a whole) stays native. Compound
 * assignments (`o[k] += v`) go through assignments.ts's helpers, which check their key the same way.
 */
import {
  assign,
  binary,
  children,
  id,
  isFunction,
  lit,
  member,
  type Node,
  RUNTIME,
  rt,
  sequence,
  typeofIs,
  visit,
  visitPatternTargets,
} from '../ast.ts';
import type { FunctionScope } from '../context.ts';

/** Whether `n` is a member whose read or write the runtime can take over (not `super[k]`, not `o.#p`). */
const convertibleMember = (n: Node) =>
  n.type === 'MemberExpression' &&
  !n.optional &&
  n.object.type !== 'Super' &&
  n.property.type !== 'PrivateIdentifier';

/**
 * The member expressions of `root` that must stay native (see the file comment), found on the
 * original tree before the bottom-up rewrite replaces the nodes around them.
 */
export function nativeMembers(root: Node): Set<Node> {
  const keep = new Set<Node>();
  const targets = (p: Node) => visitPatternTargets(p, (t) => t.type === 'MemberExpression' && keep.add(t));
  visit(root, (n) => {
    switch (n.type) {
      case 'AssignmentExpression':
        targets(n.left);
        break;
      case 'UpdateExpression':
        keep.add(n.argument);
        break;
      case 'UnaryExpression':
        if (n.operator === 'delete') keep.add(n.argument);
        break;
      case 'ForOfStatement':
      case 'ForInStatement':
        if (n.left.type !== 'VariableDeclaration') targets(n.left);
        break;
      case 'CallExpression':
      case 'NewExpression':
        // `new o[k]()` has no receiver, but stays native too: one rule for every callee
        keep.add(n.callee);
        break;
      case 'TaggedTemplateExpression':
        keep.add(n.tag); // a member tag is called with its object as receiver
        break;
      case 'ChainExpression':
        for (let x = n.expression; x; x = x.type === 'CallExpression' ? x.callee : x.object) {
          if (x.type !== 'MemberExpression' && x.type !== 'CallExpression') break;
          keep.add(x);
        }
        break;
    }
  });
  return keep;
}

/**
 * How many member keys enclose each member expression of `root` (`a[b[i]]`: `b[i]` is at depth 1):
 * the eager form's inline reads use one set of temporaries per depth, so a read inside a key never
 * overwrites the temporaries of the read that is still waiting for that key.
 */
export function keyDepths(root: Node): Map<Node, number> {
  const depths = new Map<Node, number>();
  const walk = (n: Node, depth: number) => {
    if (n !== root && isFunction(n)) return; // a nested function has temporaries of its own
    if (n.type === 'MemberExpression') {
      depths.set(n, depth);
      walk(n.object, depth);
      if (n.computed) walk(n.property, depth + 1);
      return;
    }
    for (const c of children(n)) walk(c, depth);
  };
  walk(root, 0);
  return depths;
}

/**
 * A member read: `o[k]` → `ag__.index(o, k, where)`, `o.length` → `ag__.len(o, where)`; others unchanged.
 * The eager form, which plain JS callers run, keeps the native read in the converted code, so that
 * it keeps its own inline cache (one shared `o[k]` inside the runtime is polymorphic across every
 * array of the program, and measured 1.8× slower on nested-array loops):
 * `(O = o, K = k, typeof K !== 'object' && (V = O[K]) !== undefined ? V : ag__.indexRest(O, K, where))`.
 * A tensor has no number-keyed properties, so a tensor row is always a native `undefined` first; an
 * object key (a tensor index) is never read natively, since converting a tensor to a property key
 * would read (or, staged, fail to read) its values.
 */
export function convertMemberRead(n: Node, scope: FunctionScope, depth: number): Node {
  if (!convertibleMember(n)) return n;
  const length = !n.computed && n.property.name === 'length';
  // staged code reads a dynamic dim as a run-time size (the eager form's shapes are all known)
  if (!n.computed && n.property.name === 'shape' && scope.ctx.form !== 'eager')
    return rt('shapeOf', n.object);
  if (!n.computed && !length) return n;
  const where = lit(scope.ctx.where(n));
  if (scope.ctx.form !== 'eager')
    return length ? rt('len', n.object, where) : rt('index', n.object, n.property, where);
  const roles = ['obj', 'key'];
  const { stores, values } = scope.inOrder(length ? [n.object] : [n.object, n.property], (i) =>
    scope.namedTemp(`index:${roles[i]}${depth}`, `${roles[i]}${depth}_`),
  );
  const [object, key] = values as [Node, Node];
  const value = id(scope.namedTemp(`index:val${depth}`, `val${depth}_`));
  const read = length
    ? member({ ...object }, 'length')
    : { ...n, object: { ...object }, property: { ...key } };
  const defined = binary(
    '!==',
    assign(value, read),
    { type: 'UnaryExpression', operator: 'void', prefix: true, argument: lit(0) }, // `undefined` may be shadowed
  );
  const test = length
    ? defined
    : {
        type: 'LogicalExpression',
        operator: '&&',
        left: typeofIs({ ...key }, 'object', true),
        right: defined,
      };
  const rest = length
    ? rt('lenRest', { ...object }, where)
    : rt('indexRest', { ...object }, { ...key }, where);
  const conditional = { type: 'ConditionalExpression', test, consequent: { ...value }, alternate: rest };
  return stores.length ? sequence([...stores, conditional]) : conditional;
}

/**
 * `o[k] = v` → `ag__.setIndex(o, k, v, where)`: JS order (o, k, v, then the key's conversion and the
 * store). The eager form stores into an array at a number natively:
 * `(O = o, K = k, V = v, typeof K === 'number' && Array.isArray(O) ? (O[K] = V) : ag__.setIndex(O, K, V, where))`.
 */
export function convertIndexAssignment(n: Node, scope: FunctionScope): Node {
  const target = n.left;
  if (n.operator !== '=' || !convertibleMember(target) || !target.computed) return n;
  const where = lit(scope.ctx.where(target));
  if (scope.ctx.form !== 'eager') return rt('setIndex', target.object, target.property, n.right, where);
  const operands = [target.object, target.property, n.right];
  // a store inside an operand runs while this one's temporaries hold values: it has its own
  const height = 1 + Math.max(0, ...operands.map(storeHeight));
  const roles = ['obj', 'key', 'val'];
  const { stores, values } = scope.inOrder(operands, (i) =>
    scope.namedTemp(`store:${roles[i]}${height}`, `store${roles[i]}${height}_`),
  );
  const [o, k, v] = values as [Node, Node, Node];
  const test = {
    type: 'LogicalExpression',
    operator: '&&',
    left: typeofIs({ ...k }, 'number'),
    right: {
      type: 'CallExpression',
      callee: member(id('Array'), 'isArray'),
      arguments: [{ ...o }],
      optional: false,
    },
  };
  const store = { ...n, left: { ...target, object: { ...o }, property: { ...k } }, right: { ...v } };
  const conditional = {
    type: 'ConditionalExpression',
    test,
    consequent: store,
    alternate: rt('setIndex', { ...o }, { ...k }, { ...v }, where),
  };
  return { ...(stores.length ? sequence([...stores, conditional]) : conditional), storeHeight: height };
}

/** How deep the eager form's native stores nest in `n` (0: none). */
function storeHeight(n: Node): number {
  let height = 0;
  visit(n, (x) => {
    if (isFunction(x)) return false;
    if (x.storeHeight) height = Math.max(height, x.storeHeight);
  });
  return height;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * For the activity analysis: the member that a runtime call made by this converter (or by
 * assignments.ts) reads or writes, so `ag__.setIndex(a, 0, v)` still modifies the composite `a[0]`
 * and a staged loop threads it as it threaded the native `a[0] = v`.
 */
export function runtimeMemberAccess(n: Node): { member: Node; read: boolean; write: boolean } | undefined {
  if (n.type !== 'CallExpression' || n.callee.type !== 'MemberExpression') return undefined;
  const { object, property } = n.callee;
  if (object.type !== 'Identifier' || object.name !== RUNTIME || n.callee.computed) return undefined;
  const [o, k] = n.arguments;
  const memberOf = (key: Node, computed: boolean) => ({
    type: 'MemberExpression',
    object: o,
    property: key,
    computed,
    optional: false,
  });
  switch (property.name) {
    case 'index':
      return { member: memberOf(k, true), read: true, write: false };
    case 'len':
      return { member: memberOf({ type: 'Identifier', name: 'length' }, false), read: true, write: false };
    case 'shapeOf':
      return { member: memberOf({ type: 'Identifier', name: 'shape' }, false), read: true, write: false };
    case 'setIndex':
    case 'assignMember':
    case 'logicalAssignMember':
    case 'updateMember': {
      // assignments.ts passes `o.p` as the string literal 'p'
      const member =
        k.type === 'Literal' && typeof k.value === 'string' && IDENTIFIER.test(k.value)
          ? memberOf({ type: 'Identifier', name: k.value }, false)
          : memberOf(k, true);
      // a plain store does not read the old value; the compound helpers do
      return { member, read: property.name !== 'setIndex', write: true };
    }
    default:
      return undefined;
  }
}
