/**
 * A fast-check generator of random programs for staging: `function (x, y, n, k) { ... }` where `x` and
 * `y` are float32 vectors of one length (3; any length in dynamic mode), `n` a small JS integer and `k`
 * an int32 scalar tensor, called through `T` (tfjs). Every program is valid staged code by construction:
 *
 * - variables are typed, and every assignment keeps the type (expressions are generated per type):
 *   `x`, `y`, `c` hold float32 vectors, `a`, `b` float32 scalars, `k`, `j` int32 scalars
 *   (`j = T.cast(T.sum(x) * 4, 'int32')`), `q` a float32 vector that grows
 *   (`q = T.concat([q, T.reshape(a, [1])])`: a dynamic dim after a staged loop or branch) and `p` a JS
 *   list of float32 scalars (`p.push(a)`, printed only where control flow is JS, and only once the
 *   runtime has `listPush`; read as `T.stack(p)`);
 * - int32 expressions use JS integers beside int32 tensors (weakly typed: `k * 2 + 1`, `(k % 3)`,
 *   `k + n`, `j - i0` with a loop counter), `T.abs`/`T.minimum`/`T.maximum`/`?:`; their values stay
 *   small (assignments are bounded, `k = (e) % 97` or `T.clipByValue(e, -99, 99)`, steps are `k++`,
 *   `k += 1`, `k -= 2`), so nothing overflows. They enter float32 code through `T.cast(e, 'float32')`,
 *   `/` (true division: `(k / 4)` is float32), tfjs's promotion (`a * k`) and comparisons
 *   (`k % 3 == 1`, `(k ** 2) > 5`, `j !== n`);
 * - tensor conditions compare scalars derived from the variables; JS conditions read only `n`
 *   (macro control flow, unrolled while tracing); `&&`, `||`, `!` and `?:` mix both;
 * - staged loops (`while`, `do…while`, `for(;;)` on a tensor test, `for…of` over a tensor's rows or
 *   over `q`) have a JS integer counter incremented first thing in the body, carried as int32 and read
 *   as the loop index (`let f0 = 0; while (f0 < 4 && cond) { f0 = f0 + 1; … }`); macro loops run `n`
 *   (or a constant) times;
 * - jumps are placed by the printer where staging supports them (see `printJump`): the tree is
 *   name-free, so shrinking never breaks a program;
 * - a program either returns `[x, y, c, a, b, k, j, q, T.stack(p)]` at the end (no early return), or
 *   returns one vector, at the end and from early returns (staged control flow cannot carry a returned
 *   array yet).
 *
 * Programs are length-agnostic (no constants of the inputs' length; a column is `T.reshape(v, [-1, 1])`).
 * A third of them are in dynamic mode: the harness also stages them with `x` and `y` of one dynamic
 * length (`ag.spec(['len'])`) and runs that trace at two lengths.
 */
import fc from 'fast-check';
import { registeredOps } from '../../src/ir/ops/index.ts';
import * as runtime from '../../src/runtime/index.ts';
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
// Which ops may be generated

/** tfjs kernels each generated call needs; a call is generated only when all are registered. */
const needs: Record<string, string[]> = {
  tanh: ['Tanh'],
  abs: ['Abs'],
  relu: ['Relu'],
  sigmoid: ['Sigmoid'],
  square: ['Square'],
  sqrt: ['Sqrt', 'Abs', 'Add'],
  exptanh: ['Exp', 'Tanh'],
  log1p: ['Log1p', 'Abs'],
  sum: ['Sum'],
  max: ['Max'],
  min: ['Min'],
  mean: ['Mean'],
  maximum: ['Maximum'],
  minimum: ['Minimum'],
};

/** Kernels every program needs (arithmetic, comparisons, staged loops and for…of). */
export const coreOps = [
  'Add',
  'Sub',
  'Multiply',
  'RealDiv',
  'Neg',
  'Abs',
  'Less',
  'Greater',
  'LessEqual',
  'GreaterEqual',
  'LogicalNot',
  'NotEqual',
  'Cast',
  'Sum',
  'Reshape',
  'GatherV2',
];

const available = (names: string[]) => {
  const ops = new Set(registeredOps());
  return names.filter((n) => needs[n]!.every((k) => ops.has(k)));
};

export type ElementFn = 'tanh' | 'abs' | 'relu' | 'sigmoid' | 'square' | 'sqrt' | 'exptanh' | 'log1p';
export type Reduction = 'sum' | 'max' | 'min' | 'mean';
export type BinaryFn = 'maximum' | 'minimum';

const elementFns = available(['tanh', 'abs', 'relu', 'sigmoid', 'square', 'sqrt', 'exptanh', 'log1p']);
const reductions = available(['sum', 'max', 'min', 'mean']);
const binaryFns = available(['maximum', 'minimum']);

// ---------------------------------------------------------------------------------------------------
// The tree

/** A JS number operand: a literal, `n`, or the index of the innermost loop with one (else `n`). */
export type Num = { k: 'lit'; v: number } | { k: 'n' } | { k: 'idx' };

/** A JS integer beside an int32 tensor: a literal, `n`, or the innermost loop's index or counter. */
export type IntNum = { k: 'ilit'; v: number } | { k: 'n' } | { k: 'idx' };
export type IntFn2 = 'maximum' | 'minimum';

/**
 * An int32 scalar expression. Its leftmost leaf is an int32 variable, so it is always a tensor (JS
 * operands are weakly typed int32 beside it); |value| stays far below 2^31 (variables within 99 or a
 * few loop steps beyond, literals within 9, at most four of them multiplied).
 */
export type IntExpr =
  | { k: 'ivar'; i: number }
  | { k: 'ibin'; op: ArithOp; l: IntExpr; r: IntExpr | IntNum; flip: boolean }
  /** `(l % m)`, JS `%` (the sign of the dividend) by a positive literal. */
  | { k: 'imod'; l: IntExpr; m: number }
  | { k: 'ineg'; e: IntExpr }
  | { k: 'iabs'; e: IntExpr }
  | { k: 'ifn2'; f: IntFn2; l: IntExpr; r: IntExpr }
  | { k: 'icond'; c: Cond; a: IntExpr; b: IntExpr };

/** A float32 vector expression (shape [3], or the inputs' length in dynamic mode). */
export type VecExpr =
  | { k: 'var'; i: number }
  /** The innermost for…of row broadcast against `x` (`(x + r0)`), or `x` outside for…of. */
  | { k: 'row' }
  | { k: 'bin'; op: ArithOp; l: VecExpr; r: VecExpr }
  | { k: 'bins'; op: ArithOp; l: VecExpr; r: ScalarExpr | Num; flip: boolean }
  /** `l / (1 + T.abs(d))`, the divisor a vector or a scalar. */
  | { k: 'div'; l: VecExpr; d: { t: 'v'; e: VecExpr } | { t: 's'; e: ScalarExpr } }
  | { k: 'neg'; e: VecExpr }
  | { k: 'fn'; f: ElementFn; e: VecExpr }
  | { k: 'fn2'; f: BinaryFn; l: VecExpr; r: VecExpr }
  | { k: 'cond'; c: Cond; a: VecExpr; b: VecExpr }
  /** `(l op e)` with `e` an int32 scalar: tfjs promotes it to float32. */
  | { k: 'mixi'; op: ArithOp; l: VecExpr; e: IntExpr; flip: boolean };

/** A float32 scalar expression. */
export type ScalarExpr =
  | { k: 'var'; i: number }
  /** `T.sum(r0)` of the innermost for…of row, or `T.mean(y)` outside for…of. */
  | { k: 'row' }
  | { k: 'red'; f: Reduction; e: VecExpr }
  /** `(v)[at]`: an element of a [3] vector, read by indexing (a Gather at a constant). */
  | { k: 'elem'; e: VecExpr; at: 0 | 1 | 2 }
  | { k: 'bin'; op: ArithOp; l: ScalarExpr; r: ScalarExpr | Num }
  | { k: 'div'; l: ScalarExpr; r: ScalarExpr }
  | { k: 'neg'; e: ScalarExpr }
  | { k: 'fn'; f: ElementFn; e: ScalarExpr }
  | { k: 'cond'; c: Cond; a: ScalarExpr; b: ScalarExpr }
  /** `T.cast(e, 'float32')`. */
  | { k: 'icast'; e: IntExpr }
  /** `(e / d)`: JS `/` is true division, float32 also for int32 operands. */
  | { k: 'idiv'; e: IntExpr; d: number }
  | { k: 'mixi'; op: ArithOp; l: ScalarExpr; e: IntExpr; flip: boolean }
  /** `T.f(q)` of the growing vector `q`, or `T.sum(T.stack(p))` of the JS list `p`. */
  | { k: 'grown'; f: Reduction }
  | { k: 'list' };

export type IntCmpOp = CmpOp | '==' | '!=' | '===' | '!==';

/** A condition: tensor comparisons, JS tests of `n`, and their combinations. */
export type Cond =
  | { k: 'cmp'; op: CmpOp; l: ScalarExpr; r: ScalarExpr | Num }
  /** An int32 comparison (`k % 3 == 1`); `sq`: `(l ** 2)` when `l` is a variable. */
  | { k: 'icmp'; op: IntCmpOp; l: IntExpr; r: IntExpr | IntNum; sq: boolean }
  | JsTest
  | BinaryLogical<Cond>
  | Negation<Cond>;

export type AssignOp = '=' | '+=' | '-=' | '*=';

export type Stmt =
  | { k: 'vassign'; i: number; op: AssignOp; e: VecExpr }
  | { k: 'sassign'; i: number; op: AssignOp; e: ScalarExpr }
  /** `k = (e) % 97` or `k = T.clipByValue(e, -99, 99)`: int32 variables stay small. */
  | { k: 'iassign'; i: number; e: IntExpr; bound: 'mod' | 'clip' }
  /** `k += 1`, `k -= 2`, `k++`: JS integer steps of an int32 variable. */
  | { k: 'istep'; i: number; step: '+= 1' | '-= 2' | '++' }
  /** `q = T.concat([q, …])`: `q` grows (a dynamic dim after a staged loop or branch). */
  | { k: 'grow'; e: { t: 's'; e: ScalarExpr } | { t: 'v'; e: VecExpr } }
  /** `p.push(e)` on a JS list; printed only where control flow is JS (its effect runs once per trace). */
  | { k: 'push'; e: ScalarExpr }
  | { k: 'if'; c: Cond; t: Stmt[]; f: Stmt[] | null }
  /** Staged loops: the test is `fuel && c` with `c` a pure tensor condition. */
  | { k: 'while'; fuel: number; c: Cond; body: Stmt[] }
  | { k: 'do'; fuel: number; c: Cond; body: Stmt[] }
  | { k: 'for'; fuel: number; c: Cond; body: Stmt[] }
  /** `for (const r of T.reshape(v, [-1, 1]))` (rows [1]) or `for (const r of v)` (rows []); `v` or `q`. */
  | { k: 'forof'; src: VecExpr | { k: 'grown' }; column: boolean; body: Stmt[] }
  /** A JS loop on `n`, unrolled while tracing. */
  | { k: 'macro'; bound: 'n' | 'n+1' | 2; body: Stmt[] }
  | { k: 'break' }
  | { k: 'continue' }
  | { k: 'return'; e: VecExpr };

export interface StagedTree {
  body: Stmt[];
  /** 'array': `return [x, y, c, a, b]`, early returns dropped; 'tensor': one [3] tensor. */
  ret: 'array' | 'tensor';
  final: VecExpr;
}

export interface StagedProgram {
  source: string;
  x: number[];
  y: number[];
  n: number;
  /** The int32 scalar argument. */
  k: number;
  /**
   * Dynamic mode: also staged for this executor with `x`, `y` of one dynamic length ('len'), and called
   * with x, y and with x2, y2; null: static shapes only.
   */
  dynamic: 'tfjs' | 'onnx' | null;
  x2: number[];
  y2: number[];
}

export const VEC_VARS = ['x', 'y', 'c'];
export const SCALAR_VARS = ['a', 'b'];
export const INT_VARS = ['k', 'j'];

// ---------------------------------------------------------------------------------------------------
// Arbitraries

/** An element-wise function applied to `sub`, shared by the vector and scalar grammars. */
const elementFnNode = <E>(sub: fc.Arbitrary<E>, weight: number) =>
  w(
    fc.record({ k: fc.constant('fn' as const), f: fc.constantFrom(...(elementFns as ElementFn[])), e: sub }),
    weight,
  );
const lits = [0.5, 1, 2, 0.25, 1.5, 0.1, 3, -1];

const numArb: fc.Arbitrary<Num> = fc.oneof(
  w(fc.record({ k: fc.constant('lit' as const), v: fc.constantFrom(...lits) }), 3),
  w(fc.record({ k: fc.constant('n' as const) }), 1),
  w(fc.record({ k: fc.constant('idx' as const) }), 1),
);

const intNumArb: fc.Arbitrary<IntNum> = fc.oneof(
  w(fc.record({ k: fc.constant('ilit' as const), v: fc.constantFrom(0, 1, 2, 3, 5, 9, -1, -4) }), 4),
  w(fc.record({ k: fc.constant('n' as const) }), 1),
  w(fc.record({ k: fc.constant('idx' as const) }), 2),
);
const intCache = new Map<number, fc.Arbitrary<IntExpr>>();

function intArb(depth: number): fc.Arbitrary<IntExpr> {
  const cached = intCache.get(depth);
  if (cached) return cached;
  const leaf: fc.Arbitrary<IntExpr> = fc.record({
    k: fc.constant('ivar' as const),
    i: fc.nat({ max: INT_VARS.length - 1 }),
  });
  let arb = leaf;
  if (depth > 0) {
    const sub = intArb(depth - 1);
    arb = fc.oneof(
      w(leaf, 4),
      w(
        fc.record({
          k: fc.constant('ibin' as const),
          op: arithOp,
          l: sub,
          r: fc.oneof(w(sub, 1), w(intNumArb, 2)),
          flip: fc.boolean(),
        }),
        5,
      ),
      w(fc.record({ k: fc.constant('imod' as const), l: sub, m: fc.constantFrom(2, 3, 5, 7) }), 3),
      w(fc.record({ k: fc.constant('ineg' as const), e: sub }), 1),
      w(fc.record({ k: fc.constant('iabs' as const), e: sub }), 1),
      w(
        fc.record({
          k: fc.constant('ifn2' as const),
          f: fc.constantFrom<IntFn2>('maximum', 'minimum'),
          l: sub,
          r: sub,
        }),
        1,
      ),
      w(fc.record({ k: fc.constant('icond' as const), c: condArb(depth - 1, false), a: sub, b: sub }), 1),
    ) as fc.Arbitrary<IntExpr>;
  }
  intCache.set(depth, arb);
  return arb;
}

const vecCache = new Map<number, fc.Arbitrary<VecExpr>>();
const scalarCache = new Map<number, fc.Arbitrary<ScalarExpr>>();
const condCache = new Map<string, fc.Arbitrary<Cond>>();

function vecArb(depth: number): fc.Arbitrary<VecExpr> {
  const cached = vecCache.get(depth);
  if (cached) return cached;
  const leaf: fc.Arbitrary<VecExpr> = fc.oneof(
    w(fc.record({ k: fc.constant('var' as const), i: fc.nat({ max: VEC_VARS.length - 1 }) }), 5),
    w(fc.record({ k: fc.constant('row' as const) }), 1),
  );
  let arb = leaf;
  if (depth > 0) {
    const sub = vecArb(depth - 1);
    const sc = scalarArb(depth - 1);
    const options = [
      w(leaf, 5),
      w(fc.record({ k: fc.constant('bin' as const), op: arithOp, l: sub, r: sub }), 4),
      w(
        fc.record({
          k: fc.constant('bins' as const),
          op: arithOp,
          l: sub,
          r: fc.oneof(sc, numArb),
          flip: fc.boolean(),
        }),
        4,
      ),
      w(
        fc.record({
          k: fc.constant('div' as const),
          l: sub,
          d: fc.oneof(
            fc.record({ t: fc.constant('v' as const), e: sub }),
            fc.record({ t: fc.constant('s' as const), e: sc }),
          ),
        }),
        1,
      ),
      w(fc.record({ k: fc.constant('neg' as const), e: sub }), 1),
      w(fc.record({ k: fc.constant('cond' as const), c: condArb(depth - 1, false), a: sub, b: sub }), 1),
      w(
        fc.record({
          k: fc.constant('mixi' as const),
          op: arithOp,
          l: sub,
          e: intArb(depth - 1),
          flip: fc.boolean(),
        }),
        1,
      ),
    ];
    if (elementFns.length) options.push(elementFnNode(sub, 3));
    if (binaryFns.length)
      options.push(
        w(
          fc.record({
            k: fc.constant('fn2' as const),
            f: fc.constantFrom(...(binaryFns as BinaryFn[])),
            l: sub,
            r: sub,
          }),
          1,
        ),
      );
    arb = fc.oneof(...options) as fc.Arbitrary<VecExpr>;
  }
  vecCache.set(depth, arb);
  return arb;
}

function scalarArb(depth: number): fc.Arbitrary<ScalarExpr> {
  const cached = scalarCache.get(depth);
  if (cached) return cached;
  const vec0 = fc.record({ k: fc.constant('var' as const), i: fc.nat({ max: VEC_VARS.length - 1 }) });
  const reds = reductions.length ? (reductions as Reduction[]) : (['sum'] as Reduction[]);
  const leaf: fc.Arbitrary<ScalarExpr> = fc.oneof(
    w(fc.record({ k: fc.constant('var' as const), i: fc.nat({ max: SCALAR_VARS.length - 1 }) }), 4),
    w(fc.record({ k: fc.constant('row' as const) }), 1),
    w(fc.record({ k: fc.constant('red' as const), f: fc.constantFrom(...reds), e: vec0 }), 3),
    w(fc.record({ k: fc.constant('icast' as const), e: intArb(0) }), 1),
    w(fc.record({ k: fc.constant('grown' as const), f: fc.constantFrom(...reds) }), 1),
    w(fc.constant({ k: 'list' as const }), 1),
  );
  let arb = leaf;
  if (depth > 0) {
    const sub = scalarArb(depth - 1);
    const int = intArb(Math.min(depth - 1, 1));
    const options = [
      w(leaf, 5),
      w(fc.record({ k: fc.constant('red' as const), f: fc.constantFrom(...reds), e: vecArb(depth - 1) }), 2),
      w(
        fc.record({
          k: fc.constant('elem' as const),
          e: vecArb(depth - 1),
          at: fc.constantFrom<0 | 1 | 2>(0, 1, 2),
        }),
        1,
      ),
      w(fc.record({ k: fc.constant('bin' as const), op: arithOp, l: sub, r: fc.oneof(sub, numArb) }), 4),
      w(fc.record({ k: fc.constant('div' as const), l: sub, r: sub }), 1),
      w(fc.record({ k: fc.constant('neg' as const), e: sub }), 1),
      w(fc.record({ k: fc.constant('cond' as const), c: condArb(depth - 1, false), a: sub, b: sub }), 1),
      w(fc.record({ k: fc.constant('icast' as const), e: int }), 1),
      w(fc.record({ k: fc.constant('idiv' as const), e: int, d: fc.constantFrom(2, 3, 4) }), 1),
      w(fc.record({ k: fc.constant('mixi' as const), op: arithOp, l: sub, e: int, flip: fc.boolean() }), 1),
    ];
    if (elementFns.length) options.push(elementFnNode(sub, 2));
    arb = fc.oneof(...options) as fc.Arbitrary<ScalarExpr>;
  }
  scalarCache.set(depth, arb);
  return arb;
}

/** Conditions; `tensorOnly`: a pure tensor condition (a staged loop's test must be symbolic at once). */
function condArb(depth: number, tensorOnly: boolean): fc.Arbitrary<Cond> {
  const key = `${depth}${tensorOnly}`;
  const cached = condCache.get(key);
  if (cached) return cached;
  const sc = scalarArb(Math.min(depth, 1));
  const cmp: fc.Arbitrary<Cond> = fc.record({
    k: fc.constant('cmp' as const),
    op: cmpOp,
    l: sc,
    // literals off the inputs' grid of sixteenths (and their means): no exact ties, which an ulp decides
    r: fc.oneof(
      sc,
      fc.record({ k: fc.constant('lit' as const), v: fc.constantFrom(0.05, 0.55, 1.05, -0.95, 2.05) }),
    ),
  });
  const js = jsTestArb(3);
  const icmp: fc.Arbitrary<Cond> = fc.record({
    k: fc.constant('icmp' as const),
    op: fc.constantFrom<IntCmpOp>('<', '>', '<=', '>=', '==', '!=', '===', '!=='),
    l: intArb(Math.min(depth, 1)),
    r: fc.oneof(intArb(0), intNumArb),
    sq: fc.boolean(),
  });
  const leaf = tensorOnly ? fc.oneof(w(cmp, 3), w(icmp, 1)) : fc.oneof(w(cmp, 3), w(icmp, 1), w(js, 1));
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
  const assignOp = fc.constantFrom<AssignOp>('=', '=', '+=', '-=', '*=');
  const simple: fc.Arbitrary<Stmt> = fc.oneof(
    w(
      fc.record({
        k: fc.constant('vassign' as const),
        i: fc.nat({ max: VEC_VARS.length - 1 }),
        op: assignOp,
        e: vecArb(EXPR_DEPTH),
      }),
      4,
    ),
    w(
      fc.record({
        k: fc.constant('sassign' as const),
        i: fc.nat({ max: SCALAR_VARS.length - 1 }),
        op: assignOp,
        e: scalarArb(EXPR_DEPTH),
      }),
      3,
    ),
    w(
      fc.record({
        k: fc.constant('iassign' as const),
        i: fc.nat({ max: INT_VARS.length - 1 }),
        e: intArb(EXPR_DEPTH),
        bound: fc.constantFrom<'mod' | 'clip'>('mod', 'clip'),
      }),
      2,
    ),
    w(
      fc.record({
        k: fc.constant('istep' as const),
        i: fc.nat({ max: INT_VARS.length - 1 }),
        step: fc.constantFrom<'+= 1' | '-= 2' | '++'>('+= 1', '-= 2', '++'),
      }),
      1,
    ),
    w(
      fc.record({
        k: fc.constant('grow' as const),
        e: fc.oneof(
          w(fc.record({ t: fc.constant('s' as const), e: scalarArb(1) }), 3),
          w(fc.record({ t: fc.constant('v' as const), e: vecArb(0) }), 1),
        ),
      }),
      1,
    ),
    w(fc.record({ k: fc.constant('push' as const), e: scalarArb(1) }), 1),
    w(fc.constant({ k: 'break' as const }), 1),
    w(fc.constant({ k: 'continue' as const }), 1),
    w(fc.record({ k: fc.constant('return' as const), e: vecArb(1) }), 1),
  );
  let arb = simple;
  if (depth > 0) {
    const body = fc.array(stmtArb(depth - 1), { minLength: 1, maxLength: 3 });
    const fuel = fc.integer({ min: 1, max: depth >= STMT_DEPTH ? 5 : 3 });
    arb = fc.oneof(
      w(simple, 6),
      ...branchAndLoops(condArb(1, false), condArb(1, true), body, fuel),
      w(
        fc.record({
          k: fc.constant('forof' as const),
          src: fc.oneof(w(vecArb(0), 3), w(fc.constant({ k: 'grown' as const }), 1)),
          column: fc.boolean(),
          body,
        }),
        2,
      ),
      w(
        fc.record({
          k: fc.constant('macro' as const),
          bound: fc.constantFrom<'n' | 'n+1' | 2>('n', 'n+1', 2),
          body,
        }),
        1,
      ),
    );
  }
  stmtCache.set(depth, arb);
  return arb;
}

export const stagedTreeArbitrary: fc.Arbitrary<StagedTree> = fc.record({
  body: fc.array(stmtArb(STMT_DEPTH), { minLength: 1, maxLength: 4 }),
  ret: fc.constantFrom<'array' | 'tensor'>('array', 'tensor'),
  final: vecArb(1),
});

export const stagedProgramArbitrary: fc.Arbitrary<StagedProgram> = fc
  .record({
    tree: stagedTreeArbitrary,
    x: fc.array(component, { minLength: 3, maxLength: 3 }),
    y: fc.array(component, { minLength: 3, maxLength: 3 }),
    n: fc.integer({ min: 0, max: 3 }),
    k: fc.integer({ min: -9, max: 20 }),
    // a third of the programs also run with dynamic-length inputs, on one executor each
    dynamic: fc.oneof(w(fc.constant(null), 4), w(fc.constantFrom<'tfjs' | 'onnx'>('tfjs', 'onnx'), 2)),
    xy2: fc
      .integer({ min: 1, max: 6 })
      .chain((len) =>
        fc.tuple(
          fc.array(component, { minLength: len, maxLength: len }),
          fc.array(component, { minLength: len, maxLength: len }),
        ),
      ),
  })
  .map(({ tree, x, y, n, k, dynamic, xy2: [x2, y2] }) => ({
    source: printStaged(tree, dynamic ? DYNAMIC : ALL),
    x,
    y,
    n,
    k,
    dynamic,
    x2,
    y2,
  }));
/**
 * The converter rewrites `p.push(e)` to the runtime's `listPush` (lists in staged code); pushes are
 * generated once the runtime has it.
 */
const listPushes = 'listPush' in runtime;

/** Every construct is generated; the options exist to switch one off while isolating a failure. */
const ALL: PrintOptions = {
  listPush: listPushes,
  stagedListPush: listPushes,
  stagedReturns: true,
  deadVariables: true,
  breakInForOf: true,
  returnUnderJsIfInLoop: true,
  jumpsInLoopUnderIf: true,
  jumpsInFor: true,
  deadCode: true,
};
/**
 * Dynamic mode generates every construct too (early returns of dynamic values were a bug once), but
 * reads only element 0 of a vector (its second length may be 1).
 */
const DYNAMIC: PrintOptions = { ...ALL, firstElementOnly: true };

// ---------------------------------------------------------------------------------------------------
// Printing

interface Ctx {
  loops: JumpLoop[];
  /** Innermost first: for…of row variables (and whether the rows are [1]) and loop indices. */
  row: string | null;
  idx: string | null;
  ret: 'array' | 'tensor';
  /** Inside a staged `if`; and inside a loop that is itself inside one. */
  stagedIf: boolean;
  loopUnderIf: boolean;
  /** Inside a JS `if` (on `n`) inside a loop: a return there may not be traced at all. */
  jsIfInLoop: boolean;
  /** Inside staged control flow (a staged loop, for…of or `if`): JS side effects run once per trace. */
  staged: boolean;
  /** Inside a for…of over `q`: `q` does not grow there (each iteration would multiply its length). */
  overGrown: boolean;
}

export interface PrintOptions {
  /** A final return that leaves some variables dead after a staged if. */
  deadVariables?: boolean;
  /** `break` in for…of over a tensor. */
  breakInForOf?: boolean;
  /** Early returns under a JS `if` inside a loop. */
  returnUnderJsIfInLoop?: boolean;
  /** break/return inside a loop nested in a staged `if`. */
  jumpsInLoopUnderIf?: boolean;
  /** Generate break/continue/return inside staged for(;;) loops. */
  jumpsInFor?: boolean;
  /** Print statements after a jump (dead code). */
  deadCode?: boolean;
  /** Early returns inside staged loops and `if`s. */
  stagedReturns?: boolean;
  /** `v[0]` for every element read (the vectors may have a single element). */
  firstElementOnly?: boolean;
  /** `p.push(e)` where control flow is JS. */
  listPush?: boolean;
  /** `p.push(e)` also in staged loops and branches (a staged list). */
  stagedListPush?: boolean;
}

export function printStaged(tree: StagedTree, options: PrintOptions = {}): string {
  let fresh = 0;
  /** A jump under staged control flow was printed: what follows may run under a staged `cond`. */
  let stagedJumped = false;
  const { lines, emit } = lineWriter();

  const num = (e: Num, ctx: Ctx): string =>
    e.k === 'lit' ? String(e.v) : e.k === 'n' ? 'n' : (ctx.idx ?? 'n');

  const scalarOrNum = (e: ScalarExpr | Num, ctx: Ctx): string =>
    e.k === 'lit' || e.k === 'n' || e.k === 'idx' ? num(e, ctx) : scalar(e, ctx);

  const intNum = (e: IntNum, ctx: Ctx): string =>
    e.k === 'ilit' ? (e.v < 0 ? `(${e.v})` : String(e.v)) : e.k === 'n' ? 'n' : (ctx.idx ?? 'n');

  const intOrNum = (e: IntExpr | IntNum, ctx: Ctx): string =>
    e.k === 'ilit' || e.k === 'n' || e.k === 'idx' ? intNum(e, ctx) : int(e, ctx);

  const int = (e: IntExpr, ctx: Ctx): string => {
    switch (e.k) {
      case 'ivar':
        return INT_VARS[e.i]!;
      case 'ibin': {
        const [l, r] = [int(e.l, ctx), intOrNum(e.r, ctx)];
        return e.flip ? `(${r} ${e.op} ${l})` : `(${l} ${e.op} ${r})`;
      }
      case 'imod':
        return `(${int(e.l, ctx)} % ${e.m})`;
      case 'ineg':
        return `-(${int(e.e, ctx)})`;
      case 'iabs':
        return `T.abs(${int(e.e, ctx)})`;
      case 'ifn2':
        return `T.${e.f}(${int(e.l, ctx)}, ${int(e.r, ctx)})`;
      case 'icond':
        return `(${cond(e.c, ctx)} ? ${int(e.a, ctx)} : ${int(e.b, ctx)})`;
    }
  };

  const mixi = (op: ArithOp, l: string, e: IntExpr, flip: boolean, ctx: Ctx): string =>
    flip ? `(${int(e, ctx)} ${op} ${l})` : `(${l} ${op} ${int(e, ctx)})`;

  const vec = (e: VecExpr, ctx: Ctx): string => {
    switch (e.k) {
      case 'var':
        return VEC_VARS[e.i]!;
      case 'row':
        return ctx.row ? `(x + ${ctx.row})` : 'x';
      case 'bin':
        return `(${vec(e.l, ctx)} ${e.op} ${vec(e.r, ctx)})`;
      case 'bins': {
        const [l, r] = [vec(e.l, ctx), scalarOrNum(e.r, ctx)];
        return e.flip ? `(${r} ${e.op} ${l})` : `(${l} ${e.op} ${r})`;
      }
      case 'div':
        return `(${vec(e.l, ctx)} / (1 + T.abs(${e.d.t === 'v' ? vec(e.d.e, ctx) : scalar(e.d.e, ctx)})))`;
      case 'neg':
        return `-(${vec(e.e, ctx)})`;
      case 'fn':
        return call(e.f, vec(e.e, ctx));
      case 'fn2':
        return `T.${e.f}(${vec(e.l, ctx)}, ${vec(e.r, ctx)})`;
      case 'cond':
        return `(${cond(e.c, ctx)} ? ${vec(e.a, ctx)} : ${vec(e.b, ctx)})`;
      case 'mixi':
        return mixi(e.op, vec(e.l, ctx), e.e, e.flip, ctx);
    }
  };

  const scalar = (e: ScalarExpr, ctx: Ctx): string => {
    switch (e.k) {
      case 'var':
        return SCALAR_VARS[e.i]!;
      case 'row':
        return ctx.row ? `T.sum(${ctx.row})` : 'T.sum(y)';
      case 'red':
        return `T.${e.f}(${vec(e.e, ctx)})`;
      case 'elem':
        return `(${vec(e.e, ctx)})[${options.firstElementOnly ? 0 : e.at}]`;
      case 'bin':
        return `(${scalar(e.l, ctx)} ${e.op} ${scalarOrNum(e.r, ctx)})`;
      case 'div':
        return `(${scalar(e.l, ctx)} / (1 + T.abs(${scalar(e.r, ctx)})))`;
      case 'neg':
        return `-(${scalar(e.e, ctx)})`;
      case 'fn':
        return call(e.f, scalar(e.e, ctx));
      case 'cond':
        return `(${cond(e.c, ctx)} ? ${scalar(e.a, ctx)} : ${scalar(e.b, ctx)})`;
      case 'icast':
        return `T.cast(${int(e.e, ctx)}, 'float32')`;
      case 'idiv':
        return `(${int(e.e, ctx)} / ${e.d})`;
      case 'mixi':
        return mixi(e.op, scalar(e.l, ctx), e.e, e.flip, ctx);
      case 'grown':
        return `T.${e.f}(q)`;
      case 'list':
        return 'T.sum(T.stack(p))';
    }
  };

  const cond = (c: Cond, ctx: Ctx): string => {
    switch (c.k) {
      case 'cmp':
        // Two reductions are equal in exact arithmetic on a constant vector (mean = min), and two
        // expressions of one variable can be (b / (1 + …) <= b at b = 0), where an ulp from ONNX
        // Runtime's kernels decides the branch (tfjs's mean divides before summing, ReduceMean after):
        // an offset keeps such ties unlikely.
        return c.r.k !== 'lit' && c.r.k !== 'n' && c.r.k !== 'idx'
          ? `${scalar(c.l, ctx)} ${c.op} (${scalar(c.r, ctx)} + 0.25)`
          : `${scalar(c.l, ctx)} ${c.op} ${scalarOrNum(c.r, ctx)}`;
      case 'icmp': {
        const l = c.sq && c.l.k === 'ivar' ? `(${int(c.l, ctx)} ** 2)` : int(c.l, ctx);
        return `${l} ${c.op} ${intOrNum(c.r, ctx)}`;
      }
      case 'js':
        return jsTestText(c);
      case 'log':
      case 'not':
        return logicalText(c, (e) => cond(e, ctx));
    }
  };

  /** Prints a statement list; without `deadCode`, stops after a printed jump. */
  const stmts = (list: Stmt[], indent: number, ctx: Ctx) => {
    for (const s of list) {
      const before = lines.length;
      stmt(s, indent, ctx);
      const jumped = s.k === 'break' || s.k === 'continue' || s.k === 'return';
      if (jumped && lines.length > before && !options.deadCode) return;
    }
  };

  const enterLoop = (ctx: Ctx, loop: JumpLoop, extra: Partial<Ctx> = {}): Ctx => ({
    ...ctx,
    ...extra,
    loops: [...ctx.loops, loop],
    loopUnderIf: ctx.loopUnderIf || ctx.stagedIf,
  });

  const stmt = (s: Stmt, indent: number, ctx: Ctx): void => {
    switch (s.k) {
      case 'vassign':
        emit(indent, `${VEC_VARS[s.i]} ${s.op} ${vec(s.e, ctx)};`);
        return;
      case 'sassign':
        emit(indent, `${SCALAR_VARS[s.i]} ${s.op} ${scalar(s.e, ctx)};`);
        return;
      case 'iassign': {
        const e = int(s.e, ctx);
        emit(
          indent,
          `${INT_VARS[s.i]} = ${s.bound === 'mod' ? `${e} % 97` : `T.clipByValue(${e}, -99, 99)`};`,
        );
        return;
      }
      case 'istep':
        emit(indent, s.step === '++' ? `${INT_VARS[s.i]}++;` : `${INT_VARS[s.i]} ${s.step};`);
        return;
      case 'grow': {
        if (ctx.overGrown) return;
        const e = s.e.t === 's' ? `T.reshape(${scalar(s.e.e, ctx)}, [1])` : vec(s.e.e, ctx);
        emit(indent, `q = T.concat([q, ${e}]);`);
        return;
      }
      case 'push':
        if (!options.listPush || ((ctx.staged || stagedJumped) && !options.stagedListPush)) return;
        emit(indent, `p.push(${scalar(s.e, ctx)});`);
        return;
      case 'if': {
        const staged = hasTensor(s.c);
        const inner = staged
          ? {
              ...ctx,
              stagedIf: true,
              staged: true,
              loops: ctx.loops.map((l) => ({ ...l, stagedIfSince: true })),
            }
          : { ...ctx, jsIfInLoop: ctx.jsIfInLoop || ctx.loops.length > 0 };
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
        stmts(
          s.body,
          indent + 1,
          enterLoop(ctx, { kind: 'staged', stagedIfSince: false }, { idx: f, staged: true }),
        );
        emit(indent, '}');
        return;
      }
      case 'do': {
        const f = `f${fresh++}`;
        emit(indent, `let ${f} = 0;`);
        emit(indent, 'do {');
        emit(indent + 1, `${f} += 1;`);
        stmts(
          s.body,
          indent + 1,
          enterLoop(ctx, { kind: 'staged', stagedIfSince: false }, { idx: f, staged: true }),
        );
        emit(indent, `} while (${f} < ${s.fuel} && ${cond(s.c, ctx)});`);
        return;
      }
      case 'for': {
        const i = `i${fresh++}`;
        emit(indent, `for (let ${i} = 0; ${i} < ${s.fuel} && ${cond(s.c, ctx)}; ${i}++) {`);
        const kind = options.jumpsInFor ? 'staged' : 'for';
        stmts(s.body, indent + 1, enterLoop(ctx, { kind, stagedIfSince: false }, { idx: i, staged: true }));
        emit(indent, '}');
        return;
      }
      case 'forof': {
        const r = `r${fresh++}`;
        const src = s.src.k === 'grown' ? 'q' : vec(s.src, ctx);
        emit(indent, `for (const ${r} of ${s.column ? `T.reshape(${src}, [-1, 1])` : src}) {`);
        const kind = options.breakInForOf ? 'staged' : 'forof';
        stmts(
          s.body,
          indent + 1,
          enterLoop(
            ctx,
            { kind, stagedIfSince: false },
            { row: r, staged: true, overGrown: ctx.overGrown || s.src.k === 'grown' },
          ),
        );
        emit(indent, '}');
        return;
      }
      case 'macro': {
        const i = `i${fresh++}`;
        const bound = s.bound === 'n+1' ? 'n + 1' : String(s.bound);
        emit(indent, `for (let ${i} = 0; ${i} < ${bound}; ${i}++) {`);
        stmts(s.body, indent + 1, enterLoop(ctx, { kind: 'macro', stagedIfSince: false }, { idx: i }));
        emit(indent, '}');
        return;
      }
      case 'break':
      case 'continue': {
        const loop = ctx.loops.at(-1);
        if (!jumpAllowed(s.k, loop)) return;
        if (s.k === 'break' && loop!.kind === 'forof' && !options.breakInForOf) return;
        if (s.k === 'break' && ctx.loopUnderIf && !options.jumpsInLoopUnderIf) return;
        if (ctx.staged) stagedJumped = true;
        emit(indent, `${s.k};`);
        return;
      }
      case 'return': {
        if (ctx.ret !== 'tensor' || ctx.loops.some((l) => l.kind === 'macro' || l.kind === 'for')) return;
        if (ctx.jsIfInLoop && !options.returnUnderJsIfInLoop) return;
        if (ctx.loopUnderIf && !options.jumpsInLoopUnderIf) return;
        if (ctx.staged && !options.stagedReturns) return;
        if (ctx.staged) stagedJumped = true;
        emit(indent, `return ${vec(s.e, ctx)};`);
        return;
      }
    }
  };

  const top: Ctx = {
    loops: [],
    row: null,
    idx: null,
    ret: tree.ret,
    stagedIf: false,
    loopUnderIf: false,
    jsIfInLoop: false,
    staged: false,
    overGrown: false,
  };
  emit(0, 'function (x, y, n, k) {');
  emit(1, 'let c = x - y;');
  emit(1, 'let a = T.sum(x) * 0.5;');
  emit(1, 'let b = T.mean(y);');
  emit(1, "let j = T.cast(T.sum(x) * 4, 'int32');");
  emit(1, 'let q = T.reshape(b, [1]);');
  emit(1, 'const p = [a];');
  stmts(tree.body, 1, top);
  const last = options.deadVariables ? vec(tree.final, top) : `${vec(tree.final, top)} + (x - y + c) * a - b`;
  emit(1, tree.ret === 'array' ? 'return [x, y, c, a, b, k, j, q, T.stack(p)];' : `return ${last};`);
  emit(0, '}');
  return lines.join('\n');
}

function call(f: ElementFn, arg: string): string {
  switch (f) {
    case 'sqrt':
      return `T.sqrt(T.abs(${arg}) + 1)`;
    case 'exptanh':
      return `T.exp(T.tanh(${arg}))`;
    case 'log1p':
      return `T.log1p(T.abs(${arg}))`;
    default:
      return `T.${f}(${arg})`;
  }
}
