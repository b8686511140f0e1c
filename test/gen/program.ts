/**
 * A fast-check generator of random, always-terminating structured JS programs, used to check that a
 * converted function behaves exactly like its original.
 *
 * The arbitrary produces a name-free tree (variables, labels and jump targets are indices); the
 * printer resolves them against the scopes in force, so every tree prints to a valid program and
 * shrinking never produces dangling references. Every loop has a fuel guard the program cannot touch:
 * `while (f0++ < 8 && (cond))`, `do … while (f1++ < 8 && (cond))`, `for (let i0 = s; i0 < n && (cond); i0++)`
 * (the index is never assignable), `for (const v0 of <finite array or parameter>)`.
 */
import fc from 'fast-check';

// ---------------------------------------------------------------------------------------------------
// Values

export type Value = number | string | boolean | null | undefined;

const specialValues: Value[] = [
  0,
  -0,
  NaN,
  Infinity,
  -Infinity,
  1,
  2,
  3,
  -1,
  0.5,
  -2.5,
  '',
  '0',
  'a',
  'ab',
  ' 1',
  true,
  false,
  null,
  undefined,
];

export const valueArbitrary: fc.Arbitrary<Value> = fc.oneof(
  { arbitrary: fc.constantFrom(...specialValues), weight: 4 },
  { arbitrary: fc.integer({ min: -3, max: 7 }), weight: 1 },
);

// ---------------------------------------------------------------------------------------------------
// The tree

export type UnaryOp = '-' | '+' | '!' | 'typeof';
export type BinaryOp =
  | '+'
  | '-'
  | '*'
  | '/'
  | '%'
  | '**'
  | '<'
  | '<='
  | '>'
  | '>='
  | '=='
  | '!='
  | '==='
  | '!==';
export type LogicalOp = '&&' | '||' | '??';
export type AssignOp = '=' | '+=' | '-=' | '*=' | '/=' | '%=' | '**=' | '||=' | '&&=' | '??=';
const assignOps: AssignOp[] = ['=', '+=', '-=', '*=', '/=', '%=', '**=', '||=', '&&=', '??='];
/** Methods called on arbitrary values: some exist on some primitives, `foo` on none (TypeError). */
export type Method = 'toString()' | 'toFixed(1)' | 'charAt(0)' | 'at(-1)' | 'valueOf()' | 'foo()';
export type GlobalFn = 'String' | 'Number' | 'Boolean' | 'Math.abs' | 'isNaN';
/** A property of the object `o`: `o.p`, `o.q` or `o[expr]`. */
export type Key = 'p' | 'q' | Expr;

export type Expr =
  | { k: 'lit'; v: Value }
  | { k: 'var'; i: number }
  | { k: 'un'; op: UnaryOp; e: Expr }
  | { k: 'bin'; op: BinaryOp; l: Expr; r: Expr }
  | { k: 'log'; op: LogicalOp; l: Expr; r: Expr }
  | { k: 'cond'; t: Expr; c: Expr; a: Expr }
  | { k: 'assign'; op: AssignOp; i: number; e: Expr }
  | { k: 'upd'; op: '++' | '--'; prefix: boolean; i: number }
  | { k: 'len'; e: Expr }
  | { k: 'tpl'; e: Expr }
  | { k: 'seq'; l: Expr; r: Expr }
  | { k: 'iife'; e: Expr }
  /** `(log.push(n), e)`: makes evaluation order and count observable. */
  | { k: 'trace'; n: number; e: Expr }
  | { k: 'call'; e: Expr; m: Method }
  | { k: 'gcall'; f: GlobalFn; e: Expr }
  /** `({ valueOf: () => (log.push(n), e) })`: an object whose conversions are observable. */
  | { k: 'obj'; n: number; e: Expr }
  | { k: 'mread'; key: Key }
  /** `(e)[key]`, or `[e, 'x', 2][key]` (`arr`): indexing arbitrary values and a small array. */
  | { k: 'index'; e: Expr; key: Expr; arr: boolean }
  | { k: 'massign'; op: AssignOp; key: Key; e: Expr }
  | { k: 'mupd'; op: '++' | '--'; prefix: boolean; key: Key }
  /** `arguments.length`, `arguments[key]`, `String([...arguments])` (the program is then strict). */
  | { k: 'args'; form: 'length' | 'index' | 'spread'; key: Expr };

export type Stmt =
  | { k: 'expr'; e: Expr }
  | { k: 'decl'; kind: 'let' | 'const'; shadow: number | null; tdz: boolean; init: Expr | null }
  | { k: 'if'; c: Expr; t: Stmt[]; f: Stmt[] | null; braces: boolean }
  | { k: 'while'; label: boolean; c: Expr; body: Stmt[]; braces: boolean }
  | { k: 'do'; label: boolean; c: Expr; body: Stmt[] }
  | {
      k: 'for';
      label: boolean;
      start: number;
      bound: number;
      step: 1 | 2;
      c: Expr | null;
      body: Stmt[];
      braces: boolean;
    }
  | { k: 'forof'; label: boolean; kind: 'let' | 'const'; src: Expr[] | number; body: Stmt[] }
  | { k: 'switch'; d: Expr; cases: SwitchCase[]; defaultAt: number | null }
  | { k: 'block'; body: Stmt[] }
  | { k: 'break'; label: number | null }
  | { k: 'continue'; label: number | null }
  | { k: 'return'; e: Expr | 'snapshot' | null }
  | { k: 'throw'; e: Expr; plain: boolean }
  | { k: 'closure'; e: Expr }
  | { k: 'try'; body: Stmt[]; handler: Stmt[] | null; binding: boolean; finalizer: Stmt[] | null }
  | { k: 'lblock'; body: Stmt[] };

export interface SwitchCase {
  test: Value;
  body: Stmt[];
  brk: boolean;
}

export interface ProgramTree {
  body: Stmt[];
  inputs: Value[][];
}

export interface Program {
  source: string;
  inputs: unknown[][];
}

// ---------------------------------------------------------------------------------------------------
// Arbitraries for the tree

const EXPR_DEPTH = 3;
const STMT_DEPTH = 3;

const index = fc.nat({ max: 63 });
const w = <T>(arbitrary: fc.Arbitrary<T>, weight: number) => ({ arbitrary, weight });

const exprCache = new Map<number, fc.Arbitrary<Expr>>();
function exprArb(depth: number): fc.Arbitrary<Expr> {
  const cached = exprCache.get(depth);
  if (cached) return cached;
  const leaf: fc.Arbitrary<Expr> = fc.oneof(
    w(fc.record({ k: fc.constant('lit' as const), v: valueArbitrary }), 3),
    w(fc.record({ k: fc.constant('var' as const), i: index }), 5),
  );
  let arb: fc.Arbitrary<Expr>;
  if (depth <= 0) {
    arb = leaf;
  } else {
    const sub = exprArb(depth - 1);
    arb = fc.oneof(
      w(leaf, 6),
      w(
        fc.record({
          k: fc.constant('un' as const),
          op: fc.constantFrom<UnaryOp>('-', '+', '!', 'typeof'),
          e: sub,
        }),
        2,
      ),
      w(
        fc.record({
          k: fc.constant('bin' as const),
          op: fc.constantFrom<BinaryOp>(
            '+',
            '-',
            '*',
            '/',
            '%',
            '**',
            '<',
            '<=',
            '>',
            '>=',
            '==',
            '!=',
            '===',
            '!==',
          ),
          l: sub,
          r: sub,
        }),
        5,
      ),
      w(
        fc.record({
          k: fc.constant('log' as const),
          op: fc.constantFrom<LogicalOp>('&&', '||', '??'),
          l: sub,
          r: sub,
        }),
        3,
      ),
      w(fc.record({ k: fc.constant('cond' as const), t: sub, c: sub, a: sub }), 2),
      w(
        fc.record({
          k: fc.constant('assign' as const),
          op: fc.constantFrom(...assignOps),
          i: index,
          e: sub,
        }),
        2,
      ),
      w(
        fc.record({
          k: fc.constant('upd' as const),
          op: fc.constantFrom<'++' | '--'>('++', '--'),
          prefix: fc.boolean(),
          i: index,
        }),
        2,
      ),
      w(fc.record({ k: fc.constant('len' as const), e: sub }), 1),
      w(fc.record({ k: fc.constant('tpl' as const), e: sub }), 1),
      w(fc.record({ k: fc.constant('seq' as const), l: sub, r: sub }), 1),
      w(fc.record({ k: fc.constant('iife' as const), e: sub }), 1),
      w(fc.record({ k: fc.constant('trace' as const), n: fc.nat({ max: 9 }), e: sub }), 2),
      w(
        fc.record({
          k: fc.constant('call' as const),
          e: sub,
          m: fc.constantFrom<Method>('toString()', 'toFixed(1)', 'charAt(0)', 'at(-1)', 'valueOf()', 'foo()'),
        }),
        1,
      ),
      w(
        fc.record({
          k: fc.constant('gcall' as const),
          f: fc.constantFrom<GlobalFn>('String', 'Number', 'Boolean', 'Math.abs', 'isNaN'),
          e: sub,
        }),
        1,
      ),
      w(fc.record({ k: fc.constant('obj' as const), n: fc.nat({ max: 9 }), e: sub }), 1),
      w(
        fc.record({
          k: fc.constant('args' as const),
          form: fc.constantFrom<'length' | 'index' | 'spread'>('length', 'index', 'spread'),
          key: sub,
        }),
        1,
      ),
      w(fc.record({ k: fc.constant('mread' as const), key: keyArb(depth - 1) }), 1),
      w(fc.record({ k: fc.constant('index' as const), e: sub, key: sub, arr: fc.boolean() }), 1),
      w(
        fc.record({
          k: fc.constant('massign' as const),
          op: fc.constantFrom(...assignOps),
          key: keyArb(depth - 1),
          e: sub,
        }),
        1,
      ),
      w(
        fc.record({
          k: fc.constant('mupd' as const),
          op: fc.constantFrom<'++' | '--'>('++', '--'),
          prefix: fc.boolean(),
          key: keyArb(depth - 1),
        }),
        1,
      ),
    );
  }
  exprCache.set(depth, arb);
  return arb;
}

function keyArb(depth: number): fc.Arbitrary<Key> {
  return fc.oneof(w(fc.constantFrom<'p' | 'q'>('p', 'q'), 3), w(exprArb(Math.min(depth, 1)), 1));
}

const stmtCache = new Map<number, fc.Arbitrary<Stmt>>();
function stmtArb(depth: number): fc.Arbitrary<Stmt> {
  const cached = stmtCache.get(depth);
  if (cached) return cached;
  const e = exprArb(EXPR_DEPTH);
  const cond = exprArb(2);
  const simple: fc.WeightedArbitrary<Stmt>[] = [
    w(fc.record({ k: fc.constant('expr' as const), e }), 6),
    w(
      fc.record({
        k: fc.constant('decl' as const),
        kind: fc.constantFrom<'let' | 'const'>('let', 'const'),
        shadow: fc.option(index, { freq: 3, nil: null }),
        tdz: fc.integer({ min: 0, max: 19 }).map((n) => n === 0),
        init: fc.option(e, { freq: 8, nil: null }),
      }),
      4,
    ),
    w(fc.record({ k: fc.constant('break' as const), label: fc.option(index, { freq: 2, nil: null }) }), 2),
    w(fc.record({ k: fc.constant('continue' as const), label: fc.option(index, { freq: 2, nil: null }) }), 2),
    w(
      fc.record({
        k: fc.constant('return' as const),
        e: fc.oneof(w(e, 3), w(fc.constant('snapshot' as const), 2), w(fc.constant(null), 1)),
      }),
      1,
    ),
    w(fc.record({ k: fc.constant('throw' as const), e: exprArb(1), plain: fc.boolean() }), 1),
    w(fc.record({ k: fc.constant('closure' as const), e }), 2),
  ];
  let arb: fc.Arbitrary<Stmt>;
  if (depth <= 0) {
    arb = fc.oneof(...simple);
  } else {
    const block = fc.array(stmtArb(depth - 1), { minLength: 0, maxLength: 4 });
    const nonEmpty = fc.array(stmtArb(depth - 1), { minLength: 1, maxLength: 4 });
    arb = fc.oneof(
      ...simple,
      w(
        fc.record({
          k: fc.constant('if' as const),
          c: cond,
          t: nonEmpty,
          f: fc.option(nonEmpty, { freq: 2, nil: null }),
          braces: fc.boolean(),
        }),
        5,
      ),
      w(
        fc.record({
          k: fc.constant('while' as const),
          label: fc.boolean(),
          c: cond,
          body: block,
          braces: fc.boolean(),
        }),
        2,
      ),
      w(fc.record({ k: fc.constant('do' as const), label: fc.boolean(), c: cond, body: block }), 2),
      w(
        fc.record({
          k: fc.constant('for' as const),
          label: fc.boolean(),
          start: fc.integer({ min: -1, max: 2 }),
          bound: fc.integer({ min: 0, max: 5 }),
          step: fc.constantFrom<1 | 2>(1, 2),
          c: fc.option(cond, { freq: 2, nil: null }),
          body: block,
          braces: fc.boolean(),
        }),
        3,
      ),
      w(
        fc.record({
          k: fc.constant('forof' as const),
          label: fc.boolean(),
          kind: fc.constantFrom<'let' | 'const'>('let', 'const'),
          src: fc.oneof(w(fc.array(exprArb(1), { maxLength: 4 }), 4), w(fc.nat({ max: 2 }), 1)),
          body: block,
        }),
        2,
      ),
      w(
        fc.record({
          k: fc.constant('switch' as const),
          d: cond,
          cases: fc.array(
            fc.record({
              test: valueArbitrary,
              body: fc.array(stmtArb(depth - 1), { maxLength: 3 }),
              brk: fc.boolean(),
            }),
            { minLength: 1, maxLength: 4 },
          ),
          defaultAt: fc.option(fc.nat({ max: 4 }), { freq: 2, nil: null }),
        }),
        2,
      ),
      w(fc.record({ k: fc.constant('block' as const), body: nonEmpty }), 1),
      w(fc.record({ k: fc.constant('lblock' as const), body: nonEmpty }), 1),
      w(
        fc
          .record({
            k: fc.constant('try' as const),
            body: nonEmpty,
            handler: fc.option(block, { freq: 4, nil: null }),
            binding: fc.boolean(),
            finalizer: fc.option(block, { freq: 2, nil: null }),
          })
          .map((t) => (t.handler === null && t.finalizer === null ? { ...t, handler: [] } : t)),
        2,
      ),
    );
  }
  stmtCache.set(depth, arb);
  return arb;
}

export const programTreeArbitrary: fc.Arbitrary<ProgramTree> = fc.record({
  body: fc.array(stmtArb(STMT_DEPTH), { minLength: 1, maxLength: 6 }),
  // calls with 0 to 4 arguments: parameters may be missing, `arguments` may hold more
  inputs: fc.array(fc.array(valueArbitrary, { minLength: 0, maxLength: 4 }), { minLength: 1, maxLength: 4 }),
});

// ---------------------------------------------------------------------------------------------------
// Printing

interface VarInfo {
  name: string;
  mutable: boolean;
}

interface Printed {
  s: string;
  /** Precedence of the printed expression (higher binds tighter). */
  p: number;
  /** Set for logical expressions: `??` cannot be mixed with `&&`/`||` without parentheses. */
  logical?: 'coalesce' | 'andor';
}

const PREC: Record<BinaryOp | LogicalOp, number> = {
  '??': 4,
  '||': 4,
  '&&': 5,
  '==': 9,
  '!=': 9,
  '===': 9,
  '!==': 9,
  '<': 10,
  '<=': 10,
  '>': 10,
  '>=': 10,
  '+': 12,
  '-': 12,
  '*': 13,
  '/': 13,
  '%': 13,
  '**': 14,
};
const P_SEQ = 1;
const P_ASSIGN = 2;
const P_COND = 3;
const P_UNARY = 15;
const P_POSTFIX = 16;
const P_PRIMARY = 20;

function paren(x: Printed, min: number): string {
  return x.p < min ? `(${x.s})` : x.s;
}

function printValue(v: Value): Printed {
  if (v === undefined) return { s: 'undefined', p: P_PRIMARY };
  if (typeof v === 'string') return { s: `'${v}'`, p: P_PRIMARY };
  if (typeof v === 'number') {
    if (Object.is(v, -0)) return { s: '-0', p: P_UNARY };
    if (Number.isNaN(v)) return { s: 'NaN', p: P_PRIMARY };
    if (v === Infinity) return { s: 'Infinity', p: P_PRIMARY };
    if (v === -Infinity) return { s: '-Infinity', p: P_UNARY };
    if (v < 0) return { s: String(v), p: P_UNARY };
    return { s: String(v), p: P_PRIMARY };
  }
  return { s: String(v), p: P_PRIMARY };
}

class Printer {
  private scopes: Map<string, VarInfo>[] = [];
  /** Per scope, the names referenced inside it so far: a later declaration must not shadow them (TDZ). */
  private used: Set<string>[] = [];
  private loops = 0;
  private breakable = 0;
  private labels: { name: string; loop: boolean }[] = [];
  /** Inside a `finally` block: no break/continue/return (the contract rejects them there). */
  private inFinally = 0;
  private nextCatch = 0;
  private nextVar = 0;
  private nextLabel = 0;
  private nextIndex = 0;
  /** Whether the program reads `arguments`: it is then strict (converted code is; see arguments.ts). */
  private usesArguments = false;
  fuel: string[] = [];

  private visible(exclude?: string): VarInfo[] {
    const all = new Map<string, VarInfo>();
    for (const scope of this.scopes) for (const [name, info] of scope) all.set(name, info);
    const out: VarInfo[] = [];
    for (const [name, info] of all) if (name !== exclude) out.push(info);
    return out;
  }

  private use(name: string): string {
    for (const u of this.used) u.add(name);
    return name;
  }

  private readable(i: number): string | null {
    const vars = this.visible(this.excluded);
    return vars.length === 0 ? null : this.use(vars[i % vars.length].name);
  }

  private writable(i: number): string | null {
    const vars = this.visible(this.excluded).filter((v) => v.mutable);
    return vars.length === 0 ? null : this.use(vars[i % vars.length].name);
  }

  /** A name whose binding is not yet initialized while its initializer is printed (avoids TDZ reads). */
  private excluded: string | undefined;

  private withScope<T>(vars: VarInfo[], f: () => T): T {
    this.scopes.push(new Map(vars.map((v) => [v.name, v])));
    this.used.push(new Set());
    try {
      return f();
    } finally {
      this.scopes.pop();
      this.used.pop();
    }
  }

  expr(e: Expr): Printed {
    switch (e.k) {
      case 'lit':
        return printValue(e.v);
      case 'var': {
        const name = this.readable(e.i);
        return name === null ? { s: 'undefined', p: P_PRIMARY } : { s: name, p: P_PRIMARY };
      }
      case 'un': {
        const x = this.expr(e.e);
        const inner = paren(x, P_UNARY);
        if (e.op === 'typeof') return { s: `typeof ${inner}`, p: P_UNARY };
        // Avoid `- -x` turning into `--x`.
        const sep =
          (e.op === '-' || e.op === '+') && (inner.startsWith('-') || inner.startsWith('+')) ? ' ' : '';
        return { s: `${e.op}${sep}${inner}`, p: P_UNARY };
      }
      case 'bin': {
        const p = PREC[e.op];
        const l = this.expr(e.l);
        const r = this.expr(e.r);
        if (e.op === '**') {
          // The base of `**` cannot be a unary expression; `**` is right-associative.
          return { s: `${paren(l, P_POSTFIX)} ** ${paren(r, p)}`, p };
        }
        return { s: `${paren(l, p)} ${e.op} ${paren(r, p + 1)}`, p };
      }
      case 'log': {
        const p = PREC[e.op];
        const family = e.op === '??' ? 'coalesce' : 'andor';
        const l = this.expr(e.l);
        const r = this.expr(e.r);
        const side = (x: Printed, min: number) =>
          x.logical && x.logical !== family ? `(${x.s})` : paren(x, min);
        return { s: `${side(l, p)} ${e.op} ${side(r, p + 1)}`, p, logical: family };
      }
      case 'cond': {
        const t = this.expr(e.t);
        const c = this.expr(e.c);
        const a = this.expr(e.a);
        return { s: `${paren(t, P_COND + 1)} ? ${paren(c, P_ASSIGN)} : ${paren(a, P_ASSIGN)}`, p: P_COND };
      }
      case 'assign': {
        const target = this.writable(e.i);
        const v = this.expr(e.e);
        if (target === null) return v;
        return { s: `${target} ${e.op} ${paren(v, P_ASSIGN)}`, p: P_ASSIGN };
      }
      case 'upd': {
        const target = this.writable(e.i);
        if (target === null) return { s: '0', p: P_PRIMARY };
        return e.prefix ? { s: `${e.op}${target}`, p: P_UNARY } : { s: `${target}${e.op}`, p: P_POSTFIX };
      }
      case 'len':
        return { s: `${this.object(this.expr(e.e))}.length`, p: P_PRIMARY };
      case 'tpl':
        return { s: `\`<\${${this.expr(e.e).s}}>\``, p: P_PRIMARY };
      case 'seq': {
        const l = this.expr(e.l);
        const r = this.expr(e.r);
        return { s: `${paren(l, P_SEQ)}, ${paren(r, P_ASSIGN)}`, p: P_SEQ };
      }
      case 'args':
        this.usesArguments = true;
        if (e.form === 'length') return { s: 'arguments.length', p: P_PRIMARY };
        if (e.form === 'spread') return { s: 'String([...arguments])', p: P_PRIMARY };
        return { s: `arguments[${this.expr(e.key).s}]`, p: P_PRIMARY };
      case 'iife':
        return { s: `(() => ${paren(this.expr(e.e), P_ASSIGN)})()`, p: P_PRIMARY };
      case 'trace':
        return { s: `(log.push(${e.n}), ${paren(this.expr(e.e), P_ASSIGN)})`, p: P_PRIMARY };
      case 'call':
        return { s: `${this.object(this.expr(e.e))}.${e.m}`, p: P_PRIMARY };
      case 'gcall':
        return { s: `${e.f}(${paren(this.expr(e.e), P_ASSIGN)})`, p: P_PRIMARY };
      case 'obj':
        return {
          s: `({ valueOf: () => (log.push(${e.n}), ${paren(this.expr(e.e), P_ASSIGN)}) })`,
          p: P_PRIMARY,
        };
      case 'mread':
        return { s: this.member(e.key), p: P_PRIMARY };
      case 'index': {
        const object = this.expr(e.e);
        const key = this.expr(e.key).s;
        const s = e.arr ? `[${paren(object, P_ASSIGN)}, 'x', 2][${key}]` : `${this.object(object)}[${key}]`;
        return { s, p: P_PRIMARY };
      }
      case 'massign': {
        const target = this.member(e.key);
        return { s: `${target} ${e.op} ${paren(this.expr(e.e), P_ASSIGN)}`, p: P_ASSIGN };
      }
      case 'mupd': {
        const target = this.member(e.key);
        return e.prefix ? { s: `${e.op}${target}`, p: P_UNARY } : { s: `${target}${e.op}`, p: P_POSTFIX };
      }
    }
  }

  /** `x` as the object of a member expression. */
  private object(x: Printed): string {
    return /^[A-Za-z_$][\w$]*$/.test(x.s) ? x.s : `(${x.s})`;
  }

  private member(key: Key): string {
    return typeof key === 'string' ? `o.${key}` : `o[${this.expr(key).s}]`;
  }

  private exprText(e: Expr): string {
    return this.expr(e).s;
  }

  /** Statements of a block; a fresh scope. */
  block(body: Stmt[], indent: string, extra: VarInfo[] = []): string[] {
    return this.withScope(extra, () => body.flatMap((s) => this.stmt(s, indent)));
  }

  private braced(body: Stmt[], indent: string, header: string, extra: VarInfo[] = []): string[] {
    const lines = this.block(body, `${indent}  `, extra);
    return [`${indent}${header} {`, ...lines, `${indent}}`];
  }

  /** A loop or if body: braceless when `braces` is false and it is one simple statement. */
  private body(body: Stmt[], indent: string, header: string, braces: boolean, trailer = ''): string[] {
    if (
      !braces &&
      body.length === 1 &&
      ['expr', 'return', 'break', 'continue', 'throw'].includes(body[0].k)
    ) {
      const lines = this.block(body, `${indent}  `);
      if (lines.length === 1) return [`${indent}${header}`, lines[0]];
    }
    const lines = this.braced(body, indent, header);
    if (trailer) lines[lines.length - 1] += trailer;
    return lines;
  }

  private loop(label: boolean, indent: string, f: (prefix: string) => string[]): string[] {
    const name = label ? `L${this.nextLabel++}` : null;
    this.loops++;
    this.breakable++;
    if (name) this.labels.push({ name, loop: true });
    try {
      return f(name ? `${name}: ` : '');
    } finally {
      this.loops--;
      this.breakable--;
      if (name) this.labels.pop();
    }
  }

  private newFuel(): string {
    const name = `f${this.fuel.length}`;
    this.fuel.push(name);
    return name;
  }

  stmt(s: Stmt, indent: string): string[] {
    switch (s.k) {
      case 'expr':
        return [`${indent}${this.exprText(s.e)};`];
      case 'decl': {
        const scope = this.scopes[this.scopes.length - 1];
        let name: string | null = null;
        if (s.shadow !== null) {
          const used = this.used[this.used.length - 1];
          const candidates = this.visible().filter((v) => !scope.has(v.name) && !used.has(v.name));
          if (candidates.length > 0) name = candidates[s.shadow % candidates.length].name;
        }
        if (name === null) name = `x${this.nextVar++}`;
        const kind = s.kind === 'const' && s.init === null ? 'let' : s.kind;
        let init = '';
        if (s.init !== null) {
          const saved = this.excluded;
          this.excluded = s.tdz ? saved : name;
          try {
            init = ` = ${paren(this.expr(s.init), P_ASSIGN)}`;
          } finally {
            this.excluded = saved;
          }
        }
        scope.set(name, { name, mutable: kind === 'let' });
        return [`${indent}${kind} ${name}${init};`];
      }
      case 'if': {
        const head = `if (${this.exprText(s.c)})`;
        // A braceless then-branch may not be followed by `else` when it could capture it; simple
        // statements only (see `body`) never do.
        const lines = this.body(s.t, indent, head, s.braces);
        if (s.f === null) return lines;
        if (!s.braces && s.f.length === 1 && s.f[0].k === 'if') {
          const inner = this.withScope([], () => this.stmt(s.f![0], indent));
          inner[0] = `${indent}else ${inner[0].trimStart()}`;
          return [...lines, ...inner];
        }
        return [...lines, ...this.body(s.f, indent, 'else', s.braces)];
      }
      case 'while':
        return this.loop(s.label, indent, (prefix) => {
          const fuel = this.newFuel();
          return this.body(
            s.body,
            indent,
            `${prefix}while (${fuel}++ < 8 && (${this.exprText(s.c)}))`,
            s.braces,
          );
        });
      case 'do':
        return this.loop(s.label, indent, (prefix) => {
          const fuel = this.newFuel();
          const lines = this.braced(s.body, indent, `${prefix}do`);
          lines[lines.length - 1] += ` while (${fuel}++ < 8 && (${this.exprText(s.c)}));`;
          return lines;
        });
      case 'for':
        return this.loop(s.label, indent, (prefix) => {
          const i = `i${this.nextIndex++}`;
          const idx: VarInfo = { name: i, mutable: false };
          return this.withScope([idx], () => {
            const c = s.c === null ? '' : ` && (${this.exprText(s.c)})`;
            const step = s.step === 1 ? `${i}++` : `${i} += 2`;
            const head = `${prefix}for (let ${i} = ${s.start}; ${i} < ${s.bound}${c}; ${step})`;
            return this.body(s.body, indent, head, s.braces);
          });
        });
      case 'forof':
        return this.loop(s.label, indent, (prefix) => {
          const src =
            typeof s.src === 'number'
              ? ['a', 'b', 'c'][s.src]
              : `[${s.src.map((x) => paren(this.expr(x), P_ASSIGN)).join(', ')}]`;
          const v = `v${this.nextIndex++}`;
          const info: VarInfo = { name: v, mutable: s.kind === 'let' };
          return this.withScope([info], () =>
            this.braced(s.body, indent, `${prefix}for (${s.kind} ${v} of ${src})`),
          );
        });
      case 'switch': {
        const d = this.exprText(s.d);
        const lines = [`${indent}switch (${d}) {`];
        const defaultAt = s.defaultAt === null ? -1 : s.defaultAt % (s.cases.length + 1);
        this.breakable++;
        try {
          s.cases.forEach((c, n) => {
            const label = n === defaultAt ? 'default:' : `case ${printValue(c.test).s}:`;
            const body = this.block(c.body, `${indent}    `);
            const declares = c.body.some((x) => x.k === 'decl');
            const tail = c.brk ? [`${indent}    break;`] : [];
            if (declares) lines.push(`${indent}  ${label} {`, ...body, `${indent}  }`, ...tail);
            else lines.push(`${indent}  ${label}`, ...body, ...tail);
          });
          if (defaultAt === s.cases.length) lines.push(`${indent}  default:`);
        } finally {
          this.breakable--;
        }
        lines.push(`${indent}}`);
        return lines;
      }
      case 'block':
        return this.braced(s.body, indent, '').map((l, n) => (n === 0 ? `${indent}{` : l));
      case 'break': {
        if (this.inFinally > 0) return [];
        if (s.label !== null && this.labels.length > 0)
          return [`${indent}break ${this.labels[s.label % this.labels.length].name};`];
        return this.breakable > 0 ? [`${indent}break;`] : [];
      }
      case 'continue': {
        if (this.inFinally > 0) return [];
        const loops = this.labels.filter((l) => l.loop);
        if (s.label !== null && loops.length > 0)
          return [`${indent}continue ${loops[s.label % loops.length].name};`];
        return this.loops > 0 ? [`${indent}continue;`] : [];
      }
      case 'lblock': {
        const name = `B${this.nextLabel++}`;
        this.labels.push({ name, loop: false });
        try {
          return this.braced(s.body, indent, `${name}:`);
        } finally {
          this.labels.pop();
        }
      }
      case 'try': {
        const lines = this.braced(s.body, indent, 'try');
        if (s.handler !== null) {
          const name = s.binding ? `e${this.nextCatch++}` : null;
          const extra = name === null ? [] : [{ name, mutable: true }];
          lines.push(...this.braced(s.handler, indent, name === null ? 'catch' : `catch (${name})`, extra));
        }
        if (s.finalizer !== null) {
          this.inFinally++;
          try {
            lines.push(...this.braced(s.finalizer, indent, 'finally'));
          } finally {
            this.inFinally--;
          }
        }
        return lines;
      }
      case 'return': {
        if (this.inFinally > 0) return [];
        if (s.e === null) return [`${indent}return;`];
        if (s.e === 'snapshot')
          return [
            `${indent}return [${this.visible()
              .map((v) => this.use(v.name))
              .join(', ')}];`,
          ];
        return [`${indent}return ${this.exprText(s.e)};`];
      }
      case 'throw': {
        const x = this.expr(s.e);
        return s.plain
          ? [`${indent}throw ${x.s};`]
          : [`${indent}throw new Error('x' + ${paren(x, PREC['+'] + 1)});`];
      }
      case 'closure':
        return [`${indent}fns.push(() => ${paren(this.expr(s.e), P_ASSIGN)});`];
    }
  }

  program(tree: ProgramTree): string {
    const params: VarInfo[] = ['a', 'b', 'c'].map((name) => ({ name, mutable: true }));
    // Parameters live in the body's top scope: a top-level `let a` would redeclare them.
    return this.withScope(params, () => {
      const body = tree.body.flatMap((s) => this.stmt(s, '  '));
      const finals = this.visible().map((v) => v.name);
      const fuel = this.fuel.length > 0 ? [`  let ${this.fuel.map((f) => `${f} = 0`).join(', ')};`] : [];
      return [
        'function (a, b, c) {',
        ...(this.usesArguments ? ["  'use strict';"] : []),
        ...fuel,
        "  const fns = [], log = [], o = { p: 1, q: 'a' };",
        ...body,
        `  return [${[...finals, 'fns.map((f) => f())', 'log', 'Object.entries(o)'].join(', ')}];`,
        '}',
      ].join('\n');
    });
  }
}

export function printProgram(tree: ProgramTree): string {
  return new Printer().program(tree);
}

export const programArbitrary: fc.Arbitrary<Program> = programTreeArbitrary.map((tree) => ({
  source: printProgram(tree),
  inputs: tree.inputs,
}));
