import type { Form } from '../protocol.ts';
import { type Node, visit } from './ast.ts';
import type { ParsedSource } from './source.ts';
import { errorAt } from './source.ts';

/** Hands out identifiers that collide with nothing in the converted source. */
export class Namer {
  private readonly used = new Set<string>();
  constructor(root: Node) {
    visit(root, (n) => {
      if (n.type === 'Identifier' || n.type === 'PrivateIdentifier') this.used.add(n.name);
      if (n.type === 'LabeledStatement') this.used.add(n.label.name);
    });
  }
  fresh(base: string): string {
    let name = base;
    for (let i = 1; this.used.has(name); i++) name = `${base}${i}`;
    this.used.add(name);
    return name;
  }
}

/** What every converter pass of one conversion shares. */
export type { Form };

export class ConversionContext {
  readonly namer: Namer;
  /** Functions declared in the converted function that its calls may call directly (eager form; see local-functions.ts). */
  directCallees: ReadonlySet<string> = new Set();
  constructor(
    readonly src: ParsedSource,
    root: Node,
    readonly form: Form = 'graph',
    /** Whether the source is known to be strict-mode code (a module unless told otherwise). */
    readonly strict: boolean = (src.program as Node).sourceType === 'module',
  ) {
    this.namer = new Namer(root);
  }
  /** `file:line:col` of a node, passed to runtime operators so their errors name the source line. */
  where(node: Node): string {
    const start = node.loc?.start;
    return start ? `${this.src.file}:${start.line + this.src.lineOffset}:${start.column + 1}` : this.src.file;
  }
  error(node: Node, reason: string, hint: string) {
    return errorAt(this.src, node, reason, hint);
  }
}

/** Per-function state: the temporaries a function's converted body needs declared. */
export class FunctionScope {
  /** Every temporary, declared at the top of the converted body. */
  readonly temps: string[] = [];
  private readonly numbered: string[] = [];
  private readonly named = new Map<string, string>();
  constructor(
    readonly ctx: ConversionContext,
    /** The function's free variables: everything else it names is its own. */
    readonly free: ReadonlyMap<string, unknown> = new Map(),
  ) {}
  /** Whether `n` reads a variable of this function (never a global, whose read may run a getter). */
  isLocal(n: Node): boolean {
    return n.type === 'Identifier' && !this.free.has(n.name) && n.name !== 'undefined';
  }
  /** Whether reading `n` again, or later than JS would, is unobservable as long as nothing assigns it meanwhile. */
  isUnobservable(n: Node): boolean {
    return isConstant(n) || n.type === 'ThisExpression' || this.isLocal(n);
  }
  /** A temporary of the function reserved for one purpose (`key`), apart from the numbered ones. */
  namedTemp(key: string, base: string): string {
    let name = this.named.get(key);
    if (name === undefined) {
      name = this.ctx.namer.fresh(base);
      this.named.set(key, name);
      this.temps.push(name);
    }
    return name;
  }
  /**
   * Operands that converted code reads more than once (a fast path and its fallback), evaluated
   * once and in JS order: each is stored in a temporary (`temp(i)` names it) unless reading it again
   * is unobservable: a constant, `this`, or a local variable that no operand evaluated after it can
   * assign. Returns the stores to run first and what to read instead of each operand.
   */
  inOrder(operands: Node[], temp: (index: number) => string): { stores: Node[]; values: Node[] } {
    let lastStored = -1;
    operands.forEach((n, i) => {
      if (!this.isUnobservable(n)) lastStored = i;
    });
    const stores: Node[] = [];
    const values = operands.map((n, i) => {
      if (isConstant(n) || n.type === 'ThisExpression' || i > lastStored) return n;
      const name = temp(i);
      stores.push({
        type: 'AssignmentExpression',
        operator: '=',
        left: { type: 'Identifier', name },
        right: n,
      });
      return { type: 'Identifier', name };
    });
    return { stores, values };
  }
  /** A temporary for the function; call sites may reuse one because each use completes immediately. */
  temp(index = 0): string {
    while (this.numbered.length <= index) {
      const name = this.ctx.namer.fresh(`tmp${this.numbered.length}_`);
      this.numbered.push(name);
      this.temps.push(name);
    }
    return this.numbered[index]!;
  }
}

/** A literal, or a negated number literal. */
export const isConstant = (n: Node): boolean =>
  n.type === 'Literal' || (n.type === 'UnaryExpression' && n.operator === '-' && isConstant(n.argument));
