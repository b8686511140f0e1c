/**
 * Moving the tail of a statement list into a nested block (a guard, or the other branch of an `if`)
 * must not change what the statements before it can see: function declarations are hoisted out, and
 * a lexical declaration that earlier code refers to (through a closure, or in its temporal dead zone)
 * is declared before the block, holding a marker until its original declaration runs; reads of it
 * go through `ag__.ld`, which throws JS's ReferenceError while the marker is there.
 */
import {
  bindingNames,
  declarationAsAssignment,
  declare,
  exprStmt,
  id,
  lit,
  member,
  type Node,
  RUNTIME,
  rt,
  visit,
  visitPatternTargets,
  withLoc,
} from '../ast.ts';
import { isReference } from './unsupported.ts';

export function liftDeclarations(before: Node[], tail: Node[]): Node[] {
  const lifted: Node[] = [];
  const referencedBefore = new Set<string>();
  for (const s of before) visit(s, (n) => void (n.type === 'Identifier' && referencedBefore.add(n.name)));
  const hoisted = new Set<string>();
  for (let i = 0; i < tail.length; i++) {
    const s = tail[i];
    if (s.type === 'FunctionDeclaration') {
      lifted.push(s);
      tail.splice(i--, 1);
      continue;
    }
    const names: string[] =
      s.type === 'VariableDeclaration'
        ? s.declarations.flatMap((d: Node) => bindingNames(d.id))
        : s.type === 'ClassDeclaration'
          ? [s.id.name]
          : [];
    if (!names.some((n) => referencedBefore.has(n))) continue;
    names.forEach((n) => hoisted.add(n));
    lifted.push(
      withLoc(
        declare(
          'let',
          names.map((n) => [n, member(id(RUNTIME), 'UNINITIALIZED')]),
        ),
        s,
      ),
    );
    const value =
      s.type === 'ClassDeclaration'
        ? {
            type: 'AssignmentExpression',
            operator: '=',
            left: { ...s.id },
            right: { ...s, type: 'ClassExpression' },
          }
        : (declarationAsAssignment(s) ?? {
            type: 'AssignmentExpression',
            operator: '=',
            left: id(names[0]!),
            right: id('undefined'),
          });
    tail[i] = withLoc(exprStmt(value), s);
    // (the declaration itself too: its initializer may read the name in its dead zone, `let v = -v`)
    guardReads([...before, ...tail.slice(0, i + 1)], hoisted);
  }
  return lifted;
}

/** Wraps reads of `names` in `ag__.ld(x, 'x')`. */
function guardReads(stmts: Node[], names: Set<string>): void {
  const targets = bindingTargets(stmts);
  const reads: Node[] = [];
  for (const s of stmts) {
    visit(s, (n, parent) => {
      if (n.type !== 'Identifier' || !names.has(n.name) || !isReference(n, parent) || targets.has(n)) return;
      if (parent?.type === 'AssignmentExpression' && parent.left === n) return;
      if (parent?.type === 'VariableDeclarator' && parent.id === n) return;
      if (parent?.type === 'CallExpression' && parent.callee.property?.name === 'ld') return;
      reads.push(n);
    });
  }
  for (const n of reads) {
    const original = { ...n };
    Object.keys(n).forEach((k) => delete n[k]);
    Object.assign(n, rt('ld', original, lit(original.name)), { loc: original.loc });
  }
}

/**
 * The identifiers that destructuring declares or assigns, and parameters, in `stmts`: not reads
 * (`const [c, o] = …` in a block before the tail declares another `c`).
 */
function bindingTargets(stmts: Node[]): Set<Node> {
  const targets = new Set<Node>();
  const add = (pattern: Node | null | undefined) => {
    if (pattern) visitPatternTargets(pattern, (t) => void targets.add(t));
  };
  for (const s of stmts)
    visit(s, (n) => {
      if (n.type === 'VariableDeclarator') add(n.id);
      else if (n.type === 'AssignmentExpression' && n.left.type !== 'Identifier') add(n.left);
      else if (
        (n.type === 'ForOfStatement' || n.type === 'ForInStatement') &&
        n.left.type !== 'VariableDeclaration'
      )
        add(n.left);
      else if (n.type === 'CatchClause') add(n.param);
      else if (n.params) n.params.forEach(add);
    });
  return targets;
}
