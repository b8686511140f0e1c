/**
 * A fast-check generator of random programs with effects for staging (test/effects-fuzz.test.ts):
 * `function (x, n) { ... }` with `x` a float32 vector of length 3 and `n` a small JS integer, and three
 * tf.Variables in scope (created by the harness, test/gen/effects-check.ts):
 *
 * - `v`, a float32 vector [3]: `v.assign(T.clipByValue(e, -6, 6))`, `v.assign(T.tanh(e) * 3)`,
 *   `v.assign(v + T.tanh(e))`;
 * - `s`, a float32 scalar: `s.assign(s + T.tanh(e))`, `s.assign(T.clipByValue(e, -6, 6))`;
 * - `c`, an int32 scalar counter: `c.assign(c + 1)`, `c.assign((c * 3 + 1) % 97)`;
 *
 * read everywhere in expressions and conditions (`T.sum(v)`, `s`, `c % 3 == 1`, `(v * c)`), beside two
 * locals (`t` a float32 vector, `u` a float32 scalar) and, in a for…of, the row. Assigned values are
 * bounded (clip, tanh) so that several calls in a row from the same starting values stay finite.
 *
 * Throws are `if (<cond>) throw new <Class>('e<id>')` guards anywhere (tensor and JS conditions, inside
 * staged and JS branches and loops) and bare `throw new <Class>('e<id>')` statements inside any
 * branch or loop body (never at the top level: every call would throw). The classes are `Error`,
 * `RangeError`, `TypeError` and `CheckError` (a subclass of RangeError that the harness puts in
 * scope); every throw's message is unique, so an outcome names the throw that failed.
 *
 * Control flow: staged `if`, `while`, `do…while`, `for(;;)` (tensor tests with a JS counter as fuel,
 * as in test/gen/staged-program.ts), `for…of` over the rows of `x`, `v` or `t` (over `v` while the
 * body assigns `v`: the rows are those of the value before the loop), JS `if` on `n` and JS loops to
 * `n`; `break`/`continue` where staging supports them (`jumpAllowed` in test/gen/arbitraries.ts) and
 * early returns in the programs that return one vector (not inside a JS loop or a `for(;;)`). Like
 * staged-program.ts, the tree is name-free: every subtree prints to a valid program, so shrinking
 * never breaks one.
 */
import fc from 'fast-check';
import {
  type ArithOp,
  arithOp,
  type BinaryLogical,
  branchAndLoops,
  type CmpOp,
  cmpOp,
  component,
  hasTensor,
  type JsTest,
  jsTestArb,
  jsTestText,
  type JumpLoop,
  jumpAllowed,
  lineWriter,
  logicalText,
  type Negation,
  w,
  withLogical,
} from './arbitraries.ts';

export type { ArithOp, CmpOp };

// ---------------------------------------------------------------------------------------------------
// The tree

export type Fn = 'tanh' | 'abs' | 'relu' | 'sigmoid' | 'square';
export type Red = 'sum' | 'max' | 'min' | 'mean';

/** A float32 [3] vector: `x`, `v`, the local `t`, `(x + r)` in a for…of (else `x`). */
export type VecExpr =
  | { k: 'x' }
  | { k: 'v' }
  | { k: 't' }
  | { k: 'row' }
  | { k: 'bin'; op: ArithOp; l: VecExpr; r: VecExpr }
  | { k: 'bins'; op: ArithOp; l: VecExpr; r: ScalarExpr | { k: 'lit'; v: number }; flip: boolean }
  | { k: 'div'; l: VecExpr; d: ScalarExpr }
  | { k: 'fn'; f: Fn; e: VecExpr }
  /** `(l op c)`, or `(l op n)`: int32 and JS numbers beside a float vector. */
  | { k: 'mixc'; op: ArithOp; l: VecExpr; n: boolean };

/** A float32 scalar: `s`, the local `u`, the row of a for…of (else `T.mean(x)`), reductions... */
export type ScalarExpr =
  | { k: 's' }
  | { k: 'u' }
  | { k: 'row' }
  | { k: 'red'; f: Red; e: VecExpr }
  | { k: 'elem'; e: VecExpr; at: 0 | 1 | 2 }
  | { k: 'bin'; op: ArithOp; l: ScalarExpr; r: ScalarExpr | { k: 'lit'; v: number } }
  | { k: 'fn'; f: Fn; e: ScalarExpr }
  /** `T.cast(c, 'float32')` or `(c / 4)`. */
  | { k: 'cast'; div: boolean };

/** An int32 scalar: always rooted at `c`. */
export type IntExpr =
  | { k: 'c' }
  | { k: 'ibin'; op: ArithOp; l: IntExpr; r: number }
  | { k: 'imod'; l: IntExpr; m: number };

export type Cond =
  | { k: 'cmp'; op: CmpOp; l: ScalarExpr; r: ScalarExpr | { k: 'lit'; v: number } }
  | { k: 'icmp'; op: CmpOp | '==' | '!='; l: IntExpr; r: number }
  | JsTest
  | BinaryLogical<Cond>
  | Negation<Cond>;

export type ErrorClass = 'Error' | 'RangeError' | 'TypeError' | 'CheckError';

export type Stmt =
  /** `t = e` / `t += e`: the local vector. */
  | { k: 'tset'; plus: boolean; e: VecExpr }
  | { k: 'uset'; plus: boolean; e: ScalarExpr }
  | { k: 'vassign'; form: 'clip' | 'tanh' | 'plus'; e: VecExpr }
  | { k: 'sassign'; form: 'plus' | 'clip'; e: ScalarExpr }
  | { k: 'cassign'; form: 'inc' | 'mod' }
  /** `if (c) throw new Class('e<id>')`. */
  | { k: 'guard'; c: Cond; cls: ErrorClass }
  /** `throw new Class('e<id>')` (printed only inside a branch or loop body). */
  | { k: 'raise'; cls: ErrorClass }
  | { k: 'if'; c: Cond; t: Stmt[]; f: Stmt[] | null }
  | { k: 'while'; fuel: number; c: Cond; body: Stmt[] }
  | { k: 'do'; fuel: number; c: Cond; body: Stmt[] }
  | { k: 'for'; fuel: number; c: Cond; body: Stmt[] }
  | { k: 'forof'; src: 'x' | 'v' | 't'; body: Stmt[] }
  | { k: 'macro'; bound: 'n' | 2; body: Stmt[] }
  | { k: 'break' }
  | { k: 'continue' }
  | { k: 'return'; e: VecExpr };

export interface EffectsTree {
  body: Stmt[];
  /** 'array': `return [t, u, v, s, c]`, no early returns; 'tensor': one vector, early returns too. */
  ret: 'array' | 'tensor';
  final: VecExpr;
}

export interface EffectsCall {
  x: number[];
  n: number;
}

export interface EffectsProgram {
  source: string;
  /** Starting values of the variables `v` (float32 [3]), `s` (float32) and `c` (int32). */
  v0: number[];
  s0: number;
  c0: number;
  /** The calls, made in a row from the starting values. */
  calls: EffectsCall[];
}

// ---------------------------------------------------------------------------------------------------
// Arbitraries

const fnArb = fc.constantFrom<Fn>('tanh', 'abs', 'relu', 'sigmoid', 'square');
const redArb = fc.constantFrom<Red>('sum', 'max', 'min', 'mean');
const lit = fc.record({ k: fc.constant('lit' as const), v: fc.constantFrom(0.5, 1, 2, 0.25, 1.5, -1) });
/** Literals off the inputs' grid of sixteenths: no exact ties, which an ulp would decide. */
const condLit = fc.record({
  k: fc.constant('lit' as const),
  v: fc.constantFrom(0.05, 0.55, 1.05, -0.95, 2.05, -0.45),
});
const errorClass = fc.constantFrom<ErrorClass>('Error', 'RangeError', 'TypeError', 'CheckError');

const vecCache = new Map<number, fc.Arbitrary<VecExpr>>();
const scalarCache = new Map<number, fc.Arbitrary<ScalarExpr>>();
const condCache = new Map<string, fc.Arbitrary<Cond>>();

function vecArb(depth: number): fc.Arbitrary<VecExpr> {
  const cached = vecCache.get(depth);
  if (cached) return cached;
  const leaf: fc.Arbitrary<VecExpr> = fc.oneof(
    w(fc.constant({ k: 'x' as const }), 2),
    w(fc.constant({ k: 'v' as const }), 3),
    w(fc.constant({ k: 't' as const }), 2),
    w(fc.constant({ k: 'row' as const }), 1),
  );
  let arb = leaf;
  if (depth > 0) {
    const sub = vecArb(depth - 1);
    const sc = scalarArb(depth - 1);
    arb = fc.oneof(
      w(leaf, 4),
      w(fc.record({ k: fc.constant('bin' as const), op: arithOp, l: sub, r: sub }), 3),
      w(
        fc.record({
          k: fc.constant('bins' as const),
          op: arithOp,
          l: sub,
          r: fc.oneof(sc, lit),
          flip: fc.boolean(),
        }),
        3,
      ),
      w(fc.record({ k: fc.constant('div' as const), l: sub, d: sc }), 1),
      w(fc.record({ k: fc.constant('fn' as const), f: fnArb, e: sub }), 2),
      w(fc.record({ k: fc.constant('mixc' as const), op: arithOp, l: sub, n: fc.boolean() }), 1),
    ) as fc.Arbitrary<VecExpr>;
  }
  vecCache.set(depth, arb);
  return arb;
}

function scalarArb(depth: number): fc.Arbitrary<ScalarExpr> {
  const cached = scalarCache.get(depth);
  if (cached) return cached;
  const vec0 = vecArb(0);
  const leaf: fc.Arbitrary<ScalarExpr> = fc.oneof(
    w(fc.constant({ k: 's' as const }), 3),
    w(fc.constant({ k: 'u' as const }), 2),
    w(fc.constant({ k: 'row' as const }), 1),
    w(fc.record({ k: fc.constant('red' as const), f: redArb, e: vec0 }), 3),
    w(fc.record({ k: fc.constant('cast' as const), div: fc.boolean() }), 1),
  );
  let arb = leaf;
  if (depth > 0) {
    const sub = scalarArb(depth - 1);
    arb = fc.oneof(
      w(leaf, 4),
      w(fc.record({ k: fc.constant('red' as const), f: redArb, e: vecArb(depth - 1) }), 2),
      w(
        fc.record({
          k: fc.constant('elem' as const),
          e: vecArb(depth - 1),
          at: fc.constantFrom<0 | 1 | 2>(0, 1, 2),
        }),
        1,
      ),
      w(fc.record({ k: fc.constant('bin' as const), op: arithOp, l: sub, r: fc.oneof(sub, lit) }), 3),
      w(fc.record({ k: fc.constant('fn' as const), f: fnArb, e: sub }), 1),
    ) as fc.Arbitrary<ScalarExpr>;
  }
  scalarCache.set(depth, arb);
  return arb;
}

const intArb: fc.Arbitrary<IntExpr> = fc.oneof(
  w(fc.constant({ k: 'c' as const }), 3),
  w(
    fc.record({
      k: fc.constant('ibin' as const),
      op: arithOp,
      l: fc.constant({ k: 'c' as const }),
      r: fc.constantFrom(1, 2, 3, -1),
    }),
    2,
  ),
  w(
    fc.record({
      k: fc.constant('imod' as const),
      l: fc.constant({ k: 'c' as const }),
      m: fc.constantFrom(2, 3, 5),
    }),
    3,
  ),
);

/** Conditions; `tensorOnly`: a pure tensor condition (a staged loop's test). */
function condArb(depth: number, tensorOnly: boolean): fc.Arbitrary<Cond> {
  const key = `${depth}${tensorOnly}`;
  const cached = condCache.get(key);
  if (cached) return cached;
  const sc = scalarArb(1);
  const cmp: fc.Arbitrary<Cond> = fc.record({
    k: fc.constant('cmp' as const),
    op: cmpOp,
    l: sc,
    r: fc.oneof(sc, condLit),
  });
  const icmp: fc.Arbitrary<Cond> = fc.record({
    k: fc.constant('icmp' as const),
    op: fc.constantFrom<CmpOp | '==' | '!='>('<', '>', '<=', '>=', '==', '!='),
    l: intArb,
    r: fc.integer({ min: -1, max: 4 }),
  });
  const js = jsTestArb(2);
  const leaf = tensorOnly ? fc.oneof(w(cmp, 3), w(icmp, 2)) : fc.oneof(w(cmp, 3), w(icmp, 2), w(js, 1));
  const arb = depth > 0 ? withLogical(leaf, condArb(depth - 1, tensorOnly)) : leaf;
  condCache.set(key, arb);
  return arb;
}

const EXPR_DEPTH = 2;
const STMT_DEPTH = 3;
const stmtCache = new Map<number, fc.Arbitrary<Stmt>>();

function stmtArb(depth: number): fc.Arbitrary<Stmt> {
  const cached = stmtCache.get(depth);
  if (cached) return cached;
  const simple: fc.Arbitrary<Stmt> = fc.oneof(
    w(fc.record({ k: fc.constant('tset' as const), plus: fc.boolean(), e: vecArb(EXPR_DEPTH) }), 2),
    w(fc.record({ k: fc.constant('uset' as const), plus: fc.boolean(), e: scalarArb(EXPR_DEPTH) }), 2),
    w(
      fc.record({
        k: fc.constant('vassign' as const),
        form: fc.constantFrom<'clip' | 'tanh' | 'plus'>('clip', 'tanh', 'plus'),
        e: vecArb(EXPR_DEPTH),
      }),
      4,
    ),
    w(
      fc.record({
        k: fc.constant('sassign' as const),
        form: fc.constantFrom<'plus' | 'clip'>('plus', 'clip'),
        e: scalarArb(EXPR_DEPTH),
      }),
      3,
    ),
    w(
      fc.record({
        k: fc.constant('cassign' as const),
        form: fc.constantFrom<'inc' | 'mod'>('inc', 'inc', 'mod'),
      }),
      3,
    ),
    w(fc.record({ k: fc.constant('guard' as const), c: condArb(1, false), cls: errorClass }), 3),
    w(fc.record({ k: fc.constant('raise' as const), cls: errorClass }), 1),
    w(fc.constant({ k: 'break' as const }), 1),
    w(fc.constant({ k: 'continue' as const }), 1),
    w(fc.record({ k: fc.constant('return' as const), e: vecArb(1) }), 1),
  );
  let arb = simple;
  if (depth > 0) {
    const body = fc.array(stmtArb(depth - 1), { minLength: 1, maxLength: 3 });
    const fuel = fc.integer({ min: 1, max: 3 });
    arb = fc.oneof(
      w(simple, 6),
      ...branchAndLoops(condArb(1, false), condArb(1, true), body, fuel),
      w(
        fc.record({
          k: fc.constant('forof' as const),
          src: fc.constantFrom<'x' | 'v' | 't'>('x', 'v', 't'),
          body,
        }),
        2,
      ),
      w(fc.record({ k: fc.constant('macro' as const), bound: fc.constantFrom<'n' | 2>('n', 2), body }), 1),
    );
  }
  stmtCache.set(depth, arb);
  return arb;
}

const vec3 = fc.array(component, { minLength: 3, maxLength: 3 });

export const effectsTreeArbitrary: fc.Arbitrary<EffectsTree> = fc.record({
  body: fc.array(stmtArb(STMT_DEPTH), { minLength: 1, maxLength: 5 }),
  ret: fc.constantFrom<'array' | 'tensor'>('array', 'tensor'),
  final: vecArb(1),
});

export const effectsProgramArbitrary: fc.Arbitrary<EffectsProgram> = fc
  .record({
    tree: effectsTreeArbitrary,
    v0: vec3,
    s0: component,
    c0: fc.integer({ min: -2, max: 5 }),
    calls: fc.array(fc.record({ x: vec3, n: fc.integer({ min: 0, max: 2 }) }), {
      minLength: 2,
      maxLength: 4,
    }),
  })
  .map(({ tree, v0, s0, c0, calls }) => ({ source: printEffects(tree, ALL), v0, s0, c0, calls }));

// ---------------------------------------------------------------------------------------------------
// Printing

export interface PrintOptions {
  /** Bare `throw` statements inside branches and loop bodies (every path of that body throws). */
  bareThrows?: boolean;
  /** Throws (guards and bare) inside staged loop bodies. */
  throwsInLoops?: boolean;
  /**
   * Bare throws directly in a staged loop body (every iteration fails). Off: after a guard, such a
   * loop fails the trace (IRVerificationError) or reports the guard's error where the guard does not
   * hold (test/effects-regressions.test.ts, "a loop whose body always throws").
   */
  bareThrowsInLoops?: boolean;
  /** Early returns (in 'tensor' programs). */
  returns?: boolean;
  /** break/continue. */
  jumps?: boolean;
  /** for…of over `v` (the variable the body may assign). */
  forOfVariable?: boolean;
  /**
   * Throws that run at trace time (a bare throw or a guard on `n` outside staged control flow) also
   * after a staged check, or inside a JS loop (where a later iteration follows a check of an earlier
   * one). Off: a trace-time throw fails every staged call before the graph runs, so it pre-empts an
   * earlier check that fails eagerly first (test/effects-regressions.test.ts, "a trace-time throw").
   */
  traceThrowsAfterChecks?: boolean;
  /**
   * `u = s` / `t = v`: a local bound to the variable itself (an alias: eagerly it sees later assigns).
   * Also an early `return v`. Off: printed `(s + 0)`, a value (staged control flow carries such a local
   * as a snapshot, and ONNX returns v's value from before the call: test/effects-regressions.test.ts,
   * "a local bound to a variable", "returning a variable").
   */
  aliasVariables?: boolean;
  /**
   * In programs that return an array: guards at the top level, and bare throws in the branches of a
   * top-level `if` (not inside a loop). Off: the converter moves the rest of the function,
   * `return [...]` included, into the other branch of an `if` that ends in a throw, and a staged loop
   * there that assigns a local fails the trace (IRVerificationError: test/effects-regressions.test.ts,
   * "a guard before a loop").
   */
  topGuardsInArrayPrograms?: boolean;
}

/** Every construct is generated; the options exist to switch one off while isolating a failure. */
export const ALL: PrintOptions = {
  bareThrows: true,
  throwsInLoops: true,
  bareThrowsInLoops: true,
  returns: true,
  jumps: true,
  // off: staged, for…of over a variable the body assigns iterates its current value (a silent wrong
  // answer: test/effects-regressions.test.ts, "for…of over a variable")
  forOfVariable: true,
  traceThrowsAfterChecks: true,
  aliasVariables: false,
  topGuardsInArrayPrograms: true,
};

/** A for…of is a 'staged' loop here (jumps allowed in it), a staged `for(;;)` 'for', a JS loop 'macro'. */
interface Loop extends JumpLoop {
  kind: 'staged' | 'macro' | 'for';
}

interface Ctx {
  loops: Loop[];
  /** The innermost for…of's row (a float32 scalar), and the innermost loop index. */
  row: string | null;
  idx: string | null;
  ret: 'array' | 'tensor';
  /** Inside a branch or loop body (a bare throw is not every call's fate). */
  nested: boolean;
  /** Inside a staged loop body. */
  inStagedLoop: boolean;
  /** In a staged loop's body, not in a branch inside it (a JS loop in between keeps it). */
  loopBody: boolean;
  /** At the top level or in branches of a top-level `if` (no loop in between). */
  topChain: boolean;
  /** Inside staged control flow (a staged `if` or loop): a throw there is a check. */
  staged: boolean;
  /** Inside an `if` whose condition may be a tensor (a JS `&&`/`||` operand may decide it). */
  maybeStaged: boolean;
}

export function printEffects(tree: EffectsTree, options: PrintOptions = ALL): string {
  let fresh = 0;
  let throwId = 0;
  /** A throw that is a staged check has been printed. */
  let checkPrinted = false;
  const { lines, emit } = lineWriter();
  const litText = (v: number) => (v < 0 ? `(${v})` : String(v));

  const int = (e: IntExpr): string => {
    switch (e.k) {
      case 'c':
        return 'c';
      case 'ibin':
        return `(${int(e.l)} ${e.op} ${litText(e.r)})`;
      case 'imod':
        return `(${int(e.l)} % ${e.m})`;
    }
  };

  const vec = (e: VecExpr, ctx: Ctx): string => {
    switch (e.k) {
      case 'x':
      case 'v':
      case 't':
        return e.k;
      case 'row':
        return ctx.row ? `(x + ${ctx.row})` : 'x';
      case 'bin':
        return `(${vec(e.l, ctx)} ${e.op} ${vec(e.r, ctx)})`;
      case 'bins': {
        const [l, r] = [vec(e.l, ctx), e.r.k === 'lit' ? litText(e.r.v) : scalar(e.r, ctx)];
        return e.flip ? `(${r} ${e.op} ${l})` : `(${l} ${e.op} ${r})`;
      }
      case 'div':
        return `(${vec(e.l, ctx)} / (1 + T.abs(${scalar(e.d, ctx)})))`;
      case 'fn':
        return `T.${e.f}(${vec(e.e, ctx)})`;
      case 'mixc':
        return `(${vec(e.l, ctx)} ${e.op} ${e.n ? 'n' : 'c'})`;
    }
  };

  const scalar = (e: ScalarExpr, ctx: Ctx): string => {
    switch (e.k) {
      case 's':
      case 'u':
        return e.k;
      case 'row':
        return ctx.row ?? 'T.mean(x)';
      case 'red':
        return `T.${e.f}(${vec(e.e, ctx)})`;
      case 'elem':
        return `(${vec(e.e, ctx)})[${e.at}]`;
      case 'bin':
        return `(${scalar(e.l, ctx)} ${e.op} ${e.r.k === 'lit' ? litText(e.r.v) : scalar(e.r, ctx)})`;
      case 'fn':
        return `T.${e.f}(${scalar(e.e, ctx)})`;
      case 'cast':
        return e.div ? '(c / 4)' : "T.cast(c, 'float32')";
    }
  };

  const cond = (c: Cond, ctx: Ctx): string => {
    switch (c.k) {
      case 'cmp':
        // an offset keeps ties of two expressions (which an ulp decides) unlikely
        return c.r.k === 'lit'
          ? `${scalar(c.l, ctx)} ${c.op} ${litText(c.r.v)}`
          : `${scalar(c.l, ctx)} ${c.op} (${scalar(c.r, ctx)} + 0.25)`;
      case 'icmp':
        return `${int(c.l)} ${c.op} ${litText(c.r)}`;
      case 'js':
        return jsTestText(c);
      case 'log':
      case 'not':
        return logicalText(c, (e) => cond(e, ctx));
    }
  };

  const stmts = (list: Stmt[], indent: number, ctx: Ctx) => {
    for (const s of list) stmt(s, indent, ctx);
  };

  const enterLoop = (ctx: Ctx, loop: Loop, extra: Partial<Ctx>): Ctx => ({
    ...ctx,
    ...extra,
    nested: true,
    loops: [...ctx.loops, loop],
    topChain: false,
  });

  /** A staged loop's body (a for…of's included): staged control flow, where a throw is a check. */
  const stagedLoopBody = (body: Stmt[], indent: number, ctx: Ctx, kind: Loop['kind'], bind: Partial<Ctx>) =>
    stmts(
      body,
      indent,
      enterLoop(
        ctx,
        { kind, stagedIfSince: false },
        { ...bind, inStagedLoop: true, staged: true, maybeStaged: true, loopBody: true },
      ),
    );

  const newError = (cls: ErrorClass) => `new ${cls}('e${throwId++}')`;
  /** Whether a throw (under `c`, or bare) may be printed here; notes the checks printed. */
  const throwAllowed = (ctx: Ctx, c: Cond | null): boolean => {
    if (ctx.inStagedLoop && !options.throwsInLoops) return false;
    const check = ctx.staged || (c !== null && alwaysTensor(c));
    if (!check && !options.traceThrowsAfterChecks && (checkPrinted || ctx.loops.length > 0)) return false;
    if (ctx.maybeStaged || (c !== null && hasTensor(c))) checkPrinted = true;
    return true;
  };

  const stmt = (s: Stmt, indent: number, ctx: Ctx): void => {
    switch (s.k) {
      case 'tset': {
        const e = s.e.k === 'v' && !s.plus && !options.aliasVariables ? '(v + 0)' : vec(s.e, ctx);
        emit(indent, `t ${s.plus ? '+=' : '='} ${e};`);
        return;
      }
      case 'uset': {
        const e = s.e.k === 's' && !s.plus && !options.aliasVariables ? '(s + 0)' : scalar(s.e, ctx);
        emit(indent, `u ${s.plus ? '+=' : '='} ${e};`);
        return;
      }
      case 'vassign': {
        const e = vec(s.e, ctx);
        const value =
          s.form === 'clip'
            ? `T.clipByValue(${e}, -6, 6)`
            : s.form === 'tanh'
              ? `T.tanh(${e}) * 3`
              : `v + T.tanh(${e})`;
        emit(indent, `v.assign(${value});`);
        return;
      }
      case 'sassign': {
        const e = scalar(s.e, ctx);
        emit(indent, `s.assign(${s.form === 'clip' ? `T.clipByValue(${e}, -6, 6)` : `s + T.tanh(${e})`});`);
        return;
      }
      case 'cassign':
        emit(indent, s.form === 'inc' ? 'c.assign(c + 1);' : 'c.assign((c * 3 + 1) % 97);');
        return;
      case 'guard':
        if (!ctx.nested && ctx.ret === 'array' && !options.topGuardsInArrayPrograms) return;
        if (!throwAllowed(ctx, s.c)) return;
        emit(indent, `if (${cond(s.c, ctx)}) throw ${newError(s.cls)};`);
        return;
      case 'raise':
        if (!ctx.nested || !options.bareThrows) return;
        if (ctx.topChain && ctx.ret === 'array' && !options.topGuardsInArrayPrograms) return;
        if (ctx.loopBody && !options.bareThrowsInLoops) return;
        if (!throwAllowed(ctx, null)) return;
        emit(indent, `throw ${newError(s.cls)};`);
        return;
      case 'if': {
        const inner: Ctx = {
          ...ctx,
          nested: true,
          loopBody: false,
          staged: ctx.staged || alwaysTensor(s.c),
          maybeStaged: ctx.maybeStaged || hasTensor(s.c),
          loops: hasTensor(s.c) ? ctx.loops.map((l) => ({ ...l, stagedIfSince: true })) : ctx.loops,
        };
        emit(indent, `if (${cond(s.c, ctx)}) {`);
        stmts(s.t, indent + 1, inner);
        if (s.f) {
          emit(indent, '} else {');
          stmts(s.f, indent + 1, inner);
        }
        emit(indent, '}');
        return;
      }
      case 'while': {
        const f = `f${fresh++}`;
        emit(indent, `let ${f} = 0;`);
        emit(indent, `while (${f} < ${s.fuel} && ${cond(s.c, ctx)}) {`);
        emit(indent + 1, `${f} = ${f} + 1;`);
        stagedLoopBody(s.body, indent + 1, ctx, 'staged', { idx: f });
        emit(indent, '}');
        return;
      }
      case 'do': {
        const f = `f${fresh++}`;
        emit(indent, `let ${f} = 0;`);
        emit(indent, 'do {');
        emit(indent + 1, `${f} += 1;`);
        stagedLoopBody(s.body, indent + 1, ctx, 'staged', { idx: f });
        emit(indent, `} while (${f} < ${s.fuel} && ${cond(s.c, ctx)});`);
        return;
      }
      case 'for': {
        const i = `i${fresh++}`;
        emit(indent, `for (let ${i} = 0; ${i} < ${s.fuel} && ${cond(s.c, ctx)}; ${i}++) {`);
        stagedLoopBody(s.body, indent + 1, ctx, 'for', { idx: i });
        emit(indent, '}');
        return;
      }
      case 'forof': {
        const r = `r${fresh++}`;
        const src = s.src === 'v' && !options.forOfVariable ? 'x' : s.src;
        emit(indent, `for (const ${r} of ${src}) {`);
        stagedLoopBody(s.body, indent + 1, ctx, 'staged', { row: r });
        emit(indent, '}');
        return;
      }
      case 'macro': {
        const i = `i${fresh++}`;
        emit(indent, `for (let ${i} = 0; ${i} < ${s.bound}; ${i}++) {`);
        stmts(s.body, indent + 1, enterLoop(ctx, { kind: 'macro', stagedIfSince: false }, { idx: i }));
        emit(indent, '}');
        return;
      }
      case 'break':
      case 'continue': {
        if (!options.jumps || !jumpAllowed(s.k, ctx.loops.at(-1))) return;
        emit(indent, `${s.k};`);
        return;
      }
      case 'return': {
        if (!options.returns || ctx.ret !== 'tensor') return;
        if (ctx.loops.some((l) => l.kind === 'macro' || l.kind === 'for')) return;
        emit(indent, `return ${s.e.k === 'v' && !options.aliasVariables ? '(v + 0)' : vec(s.e, ctx)};`);
        return;
      }
    }
  };

  const top: Ctx = {
    loops: [],
    row: null,
    idx: null,
    ret: tree.ret,
    nested: false,
    inStagedLoop: false,
    staged: false,
    maybeStaged: false,
    loopBody: false,
    topChain: true,
  };
  emit(0, 'function (x, n) {');
  emit(1, 'let t = x * 0.5;');
  emit(1, 'let u = T.sum(v) * 0.25;');
  stmts(tree.body, 1, top);
  emit(1, tree.ret === 'array' ? 'return [t, u, v, s, c];' : `return ${vec(tree.final, top)};`);
  emit(0, '}');
  return lines.join('\n');
}

/**
 * Whether a condition is a tensor whatever `n` is: a JS left operand of `&&`/`||` may decide it
 * (`n > 1 || T.sum(x) > 0` is JS `true` for n = 2).
 */
function alwaysTensor(c: Cond): boolean {
  switch (c.k) {
    case 'cmp':
    case 'icmp':
      return true;
    case 'js':
      return false;
    case 'log':
      return alwaysTensor(c.l);
    case 'not':
      return alwaysTensor(c.e);
  }
}
