/**
 * What the program generators test/gen/staged-program.ts and test/gen/effects-program.ts have in
 * common: the operators, the input values, the `&&`/`||`/`!` layer over conditions, and the printing
 * and jump rules of the constructs both generate. The generators differ in their variables and
 * expressions, so the helpers here are generic over them and know only the kinds they handle.
 *
 * A fixed seed yields a fixed program only while the arbitraries draw in the same order: changing one
 * here changes the programs of both generators.
 */
import fc from 'fast-check';

export type ArithOp = '+' | '-' | '*';
export type CmpOp = '<' | '>' | '<=' | '>=';

/** A weighted alternative for `fc.oneof`. */
export const w = <T>(arbitrary: fc.Arbitrary<T>, weight: number) => ({ arbitrary, weight });

export const arithOp = fc.constantFrom<ArithOp>('+', '-', '*');
export const cmpOp = fc.constantFrom<CmpOp>('<', '>', '<=', '>=');

/** Small float32 values on a grid of sixteenths (no -0, so that printing them is exact). */
export const component = fc.integer({ min: -40, max: 40 }).map((k) => (k === 0 ? 0 : Math.fround(k / 16)));

// ---------------------------------------------------------------------------------------------------
// Conditions

/** A JS test of the integer argument `n` (macro control flow, unrolled while tracing). */
export interface JsTest {
  k: 'js';
  test: 'gt' | 'lt' | 'even';
  m: number;
}

/**
 * `l && r`, `l || r` or `!e` over a generator's conditions `C`. Interfaces, so that `C` can list them
 * (a type alias there would reference itself); `Logical` is for the helpers.
 */
export type Logical<C> = BinaryLogical<C> | Negation<C>;
export interface BinaryLogical<C> {
  k: 'log';
  op: '&&' | '||';
  l: C;
  r: C;
}
export interface Negation<C> {
  k: 'not';
  e: C;
}

/** `n > m`, `n < m` or `n % 2 === m % 2`, `m` drawn up to `maxM`. */
export const jsTestArb = (maxM: number): fc.Arbitrary<JsTest> =>
  fc.record({
    k: fc.constant('js' as const),
    test: fc.constantFrom<'gt' | 'lt' | 'even'>('gt', 'lt', 'even'),
    m: fc.integer({ min: 0, max: maxM }),
  });

/**
 * A condition one level deeper than `sub`: a `leaf` (weighted most, so that conditions stay short), or
 * `&&`/`||` of two `sub`s, or `!` of one.
 */
export function withLogical<C>(leaf: fc.Arbitrary<C>, sub: fc.Arbitrary<C>): fc.Arbitrary<C | Logical<C>> {
  return fc.oneof(
    w<C | Logical<C>>(leaf, 4),
    w(
      fc.record({
        k: fc.constant('log' as const),
        op: fc.constantFrom<'&&' | '||'>('&&', '||'),
        l: sub,
        r: sub,
      }),
      2,
    ),
    w(fc.record({ k: fc.constant('not' as const), e: sub }), 1),
  );
}

/** The kinds of condition the helpers below tell apart: tensor comparisons, JS tests, combinations. */
type CondShape =
  | { k: 'cmp' | 'icmp' }
  | { k: 'js' }
  | { k: 'log'; l: CondShape; r: CondShape }
  | { k: 'not'; e: CondShape };

/** Whether a condition may be a tensor (it compares one somewhere): an `if` on it may be staged. */
export function hasTensor(c: CondShape): boolean {
  switch (c.k) {
    case 'cmp':
    case 'icmp':
      return true;
    case 'js':
      return false;
    case 'log':
      return hasTensor(c.l) || hasTensor(c.r);
    case 'not':
      return hasTensor(c.e);
  }
}

export const jsTestText = (c: JsTest): string =>
  c.test === 'gt' ? `n > ${c.m}` : c.test === 'lt' ? `n < ${c.m}` : `n % 2 === ${c.m % 2}`;

/** `(l op r)` or `!(e)`, the operands printed by the generator's own `print`. */
export const logicalText = <C>(c: Logical<C>, print: (c: C) => string): string =>
  c.k === 'log' ? `(${print(c.l)} ${c.op} ${print(c.r)})` : `!(${print(c.e)})`;

// ---------------------------------------------------------------------------------------------------
// Statements

/** An `if` and the staged loops over a generator's conditions `C` and statements `S`. */
export type BranchOrLoop<C, S> =
  | { k: 'if'; c: C; t: S[]; f: S[] | null }
  | { k: 'while' | 'do' | 'for'; fuel: number; c: C; body: S[] };

/**
 * The alternatives for an `if` on `cond` (with or without `else`) and for `while`, `do…while` and
 * `for(;;)` loops on `loopCond` (a pure tensor condition: a staged loop's test must be symbolic at
 * once), each bounded by a JS counter up to `fuel`: to spread into the statement's `fc.oneof`.
 */
export function branchAndLoops<C, S>(
  cond: fc.Arbitrary<C>,
  loopCond: fc.Arbitrary<C>,
  body: fc.Arbitrary<S[]>,
  fuel: fc.Arbitrary<number>,
) {
  return [
    w<BranchOrLoop<C, S>>(
      fc.record({
        k: fc.constant('if' as const),
        c: cond,
        t: body,
        f: fc.option(body, { nil: null }),
      }),
      4,
    ),
    w<BranchOrLoop<C, S>>(fc.record({ k: fc.constant('while' as const), fuel, c: loopCond, body }), 2),
    w<BranchOrLoop<C, S>>(fc.record({ k: fc.constant('do' as const), fuel, c: loopCond, body }), 1),
    w<BranchOrLoop<C, S>>(fc.record({ k: fc.constant('for' as const), fuel, c: loopCond, body }), 1),
  ];
}

// ---------------------------------------------------------------------------------------------------
// Printing

/** The lines of a program being printed, and `emit`, which appends one at an indent of two spaces. */
export function lineWriter() {
  const lines: string[] = [];
  const emit = (indent: number, line: string): void => {
    lines.push(`${'  '.repeat(indent)}${line}`);
  };
  return { lines, emit };
}

/**
 * A loop as the printer of jumps sees it. staged: a staged `while`/`do…while` (or a `for(;;)` or
 * for…of treated as one); for: a staged `for(;;)`; forof: a for…of over a tensor; macro: a JS loop.
 */
export interface JumpLoop {
  kind: 'staged' | 'macro' | 'for' | 'forof';
  /** Whether a staged `if` lies between the current statement and this loop. */
  stagedIfSince: boolean;
}

/**
 * Where staging supports a jump: into a staged loop; into a JS (macro) loop only when its flag stays
 * a JS value (no staged `if` in between: a loop whose test turns symbolic after starting as a JS loop
 * cannot be staged, as in TF AutoGraph), except `continue`, which the loop test does not read. Not in
 * a staged `for(;;)`.
 */
export function jumpAllowed(kind: 'break' | 'continue', loop: JumpLoop | undefined): boolean {
  if (!loop || loop.kind === 'for') return false;
  if (loop.kind === 'staged' || loop.kind === 'forof') return true;
  return kind === 'continue' || !loop.stagedIfSince;
}
