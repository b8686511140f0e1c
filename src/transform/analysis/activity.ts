/**
 * Activity analysis: the symbols a piece of code reads and modifies. Symbols are variable names and
 * composite names of member chains (`a.b`, `a[0]`); only direct writes modify (`a.b = c` modifies
 * `a.b`, not `a`). Closures the user wrote count by what they read and write; the closures conversion
 * generated (thunks of `&&`, `?:`) are part of the expression.
 */
import { type Node, visit, visitPatternTargets } from '../ast.ts';
import { runtimeMemberAccess } from '../converters/indexing.ts';
import { isReference } from '../converters/unsupported.ts';

export interface Activity {
  read: Set<string>;
  modified: Set<string>;
  /** Names this code declares (let/const/var/function/class/catch/for heads). */
  declared: Set<string>;
}

/** `a`, `a.b`, `a.b[0]` → the composite symbol name; other member chains have none. */
export function qualifiedName(n: Node): string | undefined {
  if (n.type === 'Identifier') return n.name;
  if (n.type === 'ThisExpression') return 'this';
  if (n.type !== 'MemberExpression') return undefined;
  const base = qualifiedName(n.object);
  if (base === undefined) return undefined;
  if (!n.computed) return n.property.type === 'Identifier' ? `${base}.${n.property.name}` : undefined;
  return n.property.type === 'Literal' && typeof n.property.value === 'number'
    ? `${base}[${n.property.value}]`
    : undefined;
}

export function activity(root: Node): Activity {
  const read = new Set<string>();
  const modified = new Set<string>();
  const declared = new Set<string>();
  const writeTargets = new Set<Node>();

  const markWrite = (target: Node, declaration: boolean) => {
    visitPatternTargets(target, (t) => {
      const name = qualifiedName(t);
      if (name === undefined) return;
      modified.add(name);
      if (declaration) declared.add(name);
      if (t.type === 'Identifier') writeTargets.add(t);
    });
  };

  visit(root, (n, parent) => {
    switch (n.type) {
      case 'VariableDeclarator':
        markWrite(n.id, true);
        break;
      case 'FunctionDeclaration':
      case 'ClassDeclaration':
        if (n.id) {
          modified.add(n.id.name);
          declared.add(n.id.name);
          writeTargets.add(n.id);
        }
        break;
      case 'CatchClause':
        if (n.param) markWrite(n.param, true);
        break;
      case 'AssignmentExpression':
        markWrite(n.left, false);
        // `x += 1` also reads x; plain `x = 1` does not
        if (n.operator !== '=' && n.left.type === 'Identifier') read.add(n.left.name);
        break;
      case 'UpdateExpression':
        markWrite(n.argument, false);
        if (n.argument.type === 'Identifier') read.add(n.argument.name);
        break;
      case 'ForOfStatement':
      case 'ForInStatement':
        markWrite(
          n.left.type === 'VariableDeclaration' ? n.left.declarations[0].id : n.left,
          n.left.type === 'VariableDeclaration',
        );
        break;
      case 'Identifier':
        if (!writeTargets.has(n) && isReference(n, parent) && !isDeclarationName(n, parent)) read.add(n.name);
        break;
      case 'MemberExpression': {
        const name = qualifiedName(n);
        if (name !== undefined && !(parent?.type === 'AssignmentExpression' && parent.left === n))
          read.add(name);
        break;
      }
      case 'CallExpression': {
        // member reads and writes that conversion turned into runtime calls (`ag__.setIndex(a, 0, v)`)
        const access = runtimeMemberAccess(n);
        const name = access && qualifiedName(access.member);
        if (name === undefined) break;
        if (access!.write) modified.add(name);
        if (access!.read) read.add(name);
        break;
      }
    }
  });
  return { read, modified, declared };
}

function isDeclarationName(n: Node, parent: Node | null): boolean {
  return (
    !!parent &&
    (((parent.type === 'FunctionDeclaration' ||
      parent.type === 'FunctionExpression' ||
      parent.type === 'ClassExpression') &&
      parent.id === n) ||
      (parent.type === 'VariableDeclarator' && parent.id === n))
  );
}
