/**
 * Moving the tail of a statement list into a nested block (a guard, or the other branch of an `if`)
 * must not change what the statements before it can see: function declarations are hoisted out, and
 * a lexical declaration that earlier code refers to (through a closure) is declared before the block.
 */
import {
  bindingNames,
  declarationAsAssignment,
  declare,
  exprStmt,
  type Node,
  visit,
  withLoc,
} from '../ast.ts';

export function liftDeclarations(before: Node[], tail: Node[]): Node[] {
  const lifted: Node[] = [];
  const referencedBefore = new Set<string>();
  for (const s of before) visit(s, (n) => void (n.type === 'Identifier' && referencedBefore.add(n.name)));
  for (let i = 0; i < tail.length; i++) {
    const s = tail[i];
    if (s.type === 'FunctionDeclaration') {
      lifted.push(s);
      tail.splice(i--, 1);
      continue;
    }
    const names =
      s.type === 'VariableDeclaration'
        ? s.declarations.flatMap((d: Node) => bindingNames(d.id))
        : s.type === 'ClassDeclaration'
          ? [s.id.name]
          : [];
    if (!names.some((n: string) => referencedBefore.has(n))) continue;
    lifted.push(
      withLoc(
        declare(
          'let',
          names.map((n: string) => [n, null]),
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
        : declarationAsAssignment(s);
    tail[i] = value ? withLoc(exprStmt(value), s) : { type: 'EmptyStatement' };
  }
  return lifted;
}
