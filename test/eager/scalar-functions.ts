/**
 * Numeric control-flow functions for test/eager-tensor.test.ts. Each one is self-contained (it is
 * converted from `fn.toString()`), uses only operators and statements (no `Math.*`, no string
 * concatenation), so that it runs unchanged on JS numbers and, once converted, on scalar tensors.
 * `args` draws the inputs; `int` says the function is integer-valued (it is also fed int32 scalars).
 * Float inputs lie on a grid of 1/8 so that float32 and float64 take the same branches.
 */
import fc from 'fast-check';

export interface ScalarCase {
  name: string;
  fn: (...args: any[]) => number | boolean;
  args: fc.Arbitrary<number[]>;
  int: boolean;
}

const int = (min: number, max: number) => fc.integer({ min, max });
/** Multiples of 1/8 in [min, max]: exactly representable in float32. */
const grid = (min: number, max: number) => fc.integer({ min: min * 8, max: max * 8 }).map((k) => k / 8);
const args = (...parts: fc.Arbitrary<number>[]) => fc.tuple(...parts) as fc.Arbitrary<number[]>;

function countdownSum(n: any) {
  let s = 0;
  while (n > 0) {
    s += n;
    n--;
  }
  return s;
}

function collatzSteps(n: any) {
  let steps = 0;
  while (n !== 1) {
    n = n % 2 === 0 ? n / 2 : 3 * n + 1;
    steps++;
  }
  return steps;
}

function gcdMod(a: any, b: any) {
  while (b !== 0) {
    const t = b;
    b = a % b;
    a = t;
  }
  return a;
}

function gcdSub(a: any, b: any) {
  while (a != b) {
    if (a > b) a -= b;
    else b -= a;
  }
  return a;
}

function sqrtNewton(x: any) {
  let g = x;
  for (let i = 0; i < 20; i++) {
    g = 0.5 * (g + x / g);
  }
  return g;
}

function halvingFixedPoint(x: any, c: any) {
  // x -> x / 2 + c converges to 2c; stop when within 1/1024 (exact on the integer inputs drawn).
  let iterations = 0;
  let d = x - 2 * c;
  while ((d < 0 ? -d : d) > 1 / 1024) {
    x = x / 2 + c;
    d = x - 2 * c;
    iterations++;
  }
  return iterations * 1000 + x;
}

function nestedBreakContinue(n: any) {
  let s = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (j > i) break;
      if ((i + j) % 3 === 0) continue;
      s += i * j;
    }
  }
  return s;
}

function firstSquareAbove(n: any) {
  for (let i = 0; i < 100; i++) {
    if (i * i > n) return i;
  }
  return -1;
}

function switchOnNumber(x: any) {
  let y = 0;
  switch (x) {
    case 0:
      return 10;
    case 1:
    case 2:
      return 20;
    case 3:
      y = 5;
      break;
    default:
      y = x * 2;
  }
  return y + 1;
}

function switchFallthrough(n: any) {
  let s = 0;
  switch (n % 4) {
    // @ts-expect-error TS7029: the fall-through is the point of this case
    case 0:
      s += 1;
    case 1:
      s += 2;
      break;
    // @ts-expect-error TS7029: the fall-through is the point of this case
    case 2:
      s += 4;
    default:
      s += 8;
  }
  return s;
}

function ternaryChain(x: any) {
  return x < 0 ? -x : x < 10 ? x * 2 : x - 10;
}

function logicalConditions(x: any, y: any) {
  if (x > 0 && y > 0) return 1;
  if (x < 0 || y < 0) return 2;
  if (!(x === 0)) return 3;
  return 4;
}

function compoundAssignments(x: any) {
  let y = x;
  y += 3;
  y *= 2;
  y -= x;
  y /= 4;
  y **= 2;
  return y;
}

function incrementDecrement(n: any) {
  let a = n;
  a++;
  ++a;
  a--;
  const b = a++ + ++a;
  --a;
  return b * 10 + a;
}

function sumOfSquaresFor(n: any) {
  let s = 0;
  for (let i = 1; i <= n; i++) s += i * i;
  return s;
}

function doubleUntilLarge(x: any) {
  for (;;) {
    x = x * 2;
    if (x > 100) break;
  }
  return x;
}

function doWhileSubtract(x: any) {
  let c = 0;
  do {
    x -= 3;
    c++;
  } while (x > 0);
  return c * 100 + x;
}

function digitSum(n: any) {
  let s = 0;
  while (n > 0) {
    s += n % 10;
    n = (n - (n % 10)) / 10;
  }
  return s;
}

function isPrime(n: any) {
  if (n < 2) return false;
  for (let d = 2; d * d <= n; d++) {
    if (n % d === 0) return false;
  }
  return true;
}

function fibonacciLoop(n: any) {
  let a = 0;
  let b = 1;
  for (let i = 0; i < n; i++) {
    const t = a + b;
    a = b;
    b = t;
  }
  return a;
}

function fibonacciDestructuring(n: any) {
  let a = 0;
  let b = 1;
  while (n > 0) {
    [a, b] = [b, a + b];
    n -= 1;
  }
  return a;
}

function factorial(n: any) {
  let r = 1;
  while (n > 1) {
    r *= n;
    n--;
  }
  return r;
}

function powerBySquaring(b: any, e: any) {
  let r = 1;
  while (e > 0) {
    if (e % 2 === 1) r *= b;
    b *= b;
    e = (e - (e % 2)) / 2;
  }
  return r;
}

function absDiff(a: any, b: any) {
  return a > b ? a - b : b - a;
}

function clamp(x: any, lo: any, hi: any) {
  if (lo > hi) {
    const t = lo;
    lo = hi;
    hi = t;
  }
  if (x < lo) return lo;
  else if (x > hi) return hi;
  else return x;
}

function sign(x: any) {
  return x > 0 ? 1 : x < 0 ? -1 : 0;
}

function maxOfThree(a: any, b: any, c: any) {
  if (a >= b && a >= c) return a;
  if (b >= a && b >= c) return b;
  return c;
}

function sumOddWithContinue(n: any) {
  let i = 0;
  let s = 0;
  while (i < n) {
    i++;
    if (i % 2 === 0) continue;
    s += i;
  }
  return s;
}

function countBits(n: any) {
  let c = 0;
  while (n > 0) {
    c += n % 2;
    n = (n - (n % 2)) / 2;
  }
  return c;
}

function reverseDigits(n: any) {
  let r = 0;
  while (n > 0) {
    r = r * 10 + (n % 10);
    n = (n - (n % 10)) / 10;
  }
  return r;
}

function scaledHarmonic(x: any) {
  let s = 0;
  for (let i = 1; i <= 10; i++) s += x / i;
  return s;
}

function hornerForOf(x: any) {
  const coefficients = [2, -3, 1, -5];
  let r = 0;
  for (const c of coefficients) r = r * x + c;
  return r;
}

function bisectionSqrt(a: any) {
  let lo = 0;
  let hi = a + 1;
  for (let i = 0; i < 30; i++) {
    const mid = (lo + hi) / 2;
    if (mid * mid > a) hi = mid;
    else lo = mid;
  }
  return lo;
}

function logicalTernary(x: any) {
  return (x > 1 || x < -1) && !(x > 5) ? x : 0;
}

function whileCompoundCondition(x: any) {
  let i = 0;
  while (i < 10 && x > 0) {
    x -= i;
    i++;
  }
  return x + i * 100;
}

function nestedWhileEarlyReturn(x: any) {
  let k = 1;
  while (k < 20) {
    let j = 0;
    while (j < k) {
      if (k * j * x > 50) return k * 100 + j;
      j++;
    }
    k++;
  }
  return -1;
}

function jsModuloAssign(x: any) {
  let r = x;
  r %= 7;
  const first = r;
  r += 7;
  r %= 7;
  return first * 100 + r;
}

function absByIf(x: any) {
  if (x < 0) x = -x;
  return x;
}

function labeledBreak(n: any) {
  let count = 0;
  outer: for (let i = 1; i < 10; i++) {
    for (let j = 1; j < 10; j++) {
      if (i * j > n) break outer;
      if (j > i) continue outer;
      count++;
    }
  }
  return count;
}

function postfixInCondition(n: any) {
  let s = 0;
  while (n-- > 0) s += n;
  return s;
}

function recursiveFib(n: any): any {
  return n < 2 ? n : recursiveFib(n - 1) + recursiveFib(n - 2);
}

function closestInteger(x: any) {
  let best = 1000;
  let arg = -1;
  for (let i = 0; i < 6; i++) {
    const v = (x - i) * (x - i);
    if (v < best) {
      best = v;
      arg = i;
    }
  }
  return arg * 1000 + best;
}

function notFlag(x: any) {
  const flag = !(x > 3);
  if (!flag) return x;
  return -x;
}

function inverseTriangular(n: any) {
  let k = 0;
  while ((k * (k + 1)) / 2 <= n) k++;
  return k - 1;
}

function forWithEmptyParts(n: any) {
  let i = 0;
  let s = 0;
  for (; i < n; ) {
    i += 2;
    if (i === 6) continue;
    s += i;
  }
  return s;
}

function isEven(n: any) {
  return n % 2 === 0;
}

function isEvenBang(n: any) {
  return !(n % 2);
}

function andOrValue(x: any, y: any) {
  // && and || return operands: here numbers or scalar tensors, never booleans.
  return (x > y && x - y) || (y > x && y - x) || 100;
}

function piecewiseLinear(x: any) {
  let y: any;
  if (x < -2) y = -1;
  else if (x < 0) y = x / 2;
  else if (x < 3) y = x * x;
  else y = 9 + (x - 3);
  return y;
}

function tripleNestedCount(n: any) {
  let c = 0;
  for (let i = 0; i < 4; i++) {
    for (let j = i; j < 4; j++) {
      let k = 0;
      while (k < n) {
        if (k === j) break;
        c++;
        k++;
      }
    }
  }
  return c;
}

function negativeZeroSafeSign(x: any) {
  let s = 0;
  if (x >= 0) s += 1;
  if (x <= 0) s += 2;
  if (x != 0) s += 4;
  if (x !== 0 && x == x) s += 8;
  return s;
}

function integerSqrtLoop(n: any) {
  let r = 0;
  while ((r + 1) * (r + 1) <= n) ++r;
  return r;
}

function countdownBy(n: any, step: any) {
  let iterations = 0;
  for (let v = n; v > 0; v -= step) iterations++;
  return iterations;
}

function sumDigitsUntilSingle(n: any) {
  let rounds = 0;
  while (n >= 10) {
    let s = 0;
    while (n > 0) {
      s += n % 10;
      n = (n - (n % 10)) / 10;
    }
    n = s;
    rounds++;
  }
  return rounds * 10 + n;
}

export const scalarCases: ScalarCase[] = [
  { name: 'countdownSum', fn: countdownSum, args: args(int(-3, 25)), int: true },
  { name: 'collatzSteps', fn: collatzSteps, args: args(int(1, 60)), int: true },
  { name: 'gcdMod', fn: gcdMod, args: args(int(1, 400), int(1, 400)), int: true },
  { name: 'gcdSub', fn: gcdSub, args: args(int(1, 40), int(1, 40)), int: true },
  { name: 'sqrtNewton', fn: sqrtNewton, args: args(grid(0.25, 100)), int: false },
  { name: 'halvingFixedPoint', fn: halvingFixedPoint, args: args(int(-8, 8), int(-8, 8)), int: false },
  { name: 'nestedBreakContinue', fn: nestedBreakContinue, args: args(int(0, 9)), int: true },
  { name: 'firstSquareAbove', fn: firstSquareAbove, args: args(int(-5, 200)), int: true },
  { name: 'switchOnNumber', fn: switchOnNumber, args: args(int(-2, 6)), int: true },
  { name: 'switchFallthrough', fn: switchFallthrough, args: args(int(0, 20)), int: true },
  { name: 'ternaryChain', fn: ternaryChain, args: args(grid(-20, 30)), int: false },
  { name: 'logicalConditions', fn: logicalConditions, args: args(int(-2, 2), int(-2, 2)), int: true },
  { name: 'compoundAssignments', fn: compoundAssignments, args: args(grid(-10, 10)), int: false },
  { name: 'incrementDecrement', fn: incrementDecrement, args: args(int(-50, 50)), int: true },
  { name: 'sumOfSquaresFor', fn: sumOfSquaresFor, args: args(int(-2, 25)), int: true },
  { name: 'doubleUntilLarge', fn: doubleUntilLarge, args: args(grid(0.125, 60)), int: false },
  { name: 'doWhileSubtract', fn: doWhileSubtract, args: args(int(-5, 40)), int: true },
  { name: 'digitSum', fn: digitSum, args: args(int(0, 99999)), int: true },
  { name: 'isPrime', fn: isPrime, args: args(int(-3, 300)), int: true },
  { name: 'fibonacciLoop', fn: fibonacciLoop, args: args(int(0, 25)), int: true },
  { name: 'fibonacciDestructuring', fn: fibonacciDestructuring, args: args(int(0, 25)), int: true },
  { name: 'factorial', fn: factorial, args: args(int(0, 10)), int: true },
  { name: 'powerBySquaring', fn: powerBySquaring, args: args(int(-3, 3), int(0, 10)), int: true },
  { name: 'absDiff', fn: absDiff, args: args(grid(-50, 50), grid(-50, 50)), int: false },
  { name: 'clamp', fn: clamp, args: args(grid(-20, 20), grid(-10, 10), grid(-10, 10)), int: false },
  { name: 'sign', fn: sign, args: args(grid(-3, 3)), int: false },
  { name: 'maxOfThree', fn: maxOfThree, args: args(int(-5, 5), int(-5, 5), int(-5, 5)), int: true },
  { name: 'sumOddWithContinue', fn: sumOddWithContinue, args: args(int(-2, 30)), int: true },
  { name: 'countBits', fn: countBits, args: args(int(0, 100000)), int: true },
  { name: 'reverseDigits', fn: reverseDigits, args: args(int(0, 9999)), int: true },
  { name: 'scaledHarmonic', fn: scaledHarmonic, args: args(grid(-20, 20)), int: false },
  { name: 'hornerForOf', fn: hornerForOf, args: args(grid(-5, 5)), int: false },
  { name: 'bisectionSqrt', fn: bisectionSqrt, args: args(grid(1, 100)), int: false },
  { name: 'logicalTernary', fn: logicalTernary, args: args(grid(-8, 8)), int: false },
  { name: 'whileCompoundCondition', fn: whileCompoundCondition, args: args(grid(-5, 60)), int: false },
  { name: 'nestedWhileEarlyReturn', fn: nestedWhileEarlyReturn, args: args(grid(0.25, 6)), int: false },
  { name: 'jsModuloAssign', fn: jsModuloAssign, args: args(int(-40, 40)), int: true },
  { name: 'absByIf', fn: absByIf, args: args(grid(-30, 30)), int: false },
  { name: 'labeledBreak', fn: labeledBreak, args: args(int(0, 90)), int: true },
  { name: 'postfixInCondition', fn: postfixInCondition, args: args(int(-3, 20)), int: true },
  { name: 'recursiveFib', fn: recursiveFib, args: args(int(0, 9)), int: true },
  { name: 'closestInteger', fn: closestInteger, args: args(grid(-3, 9)), int: false },
  { name: 'notFlag', fn: notFlag, args: args(grid(0, 8)), int: false },
  { name: 'inverseTriangular', fn: inverseTriangular, args: args(int(0, 200)), int: true },
  { name: 'forWithEmptyParts', fn: forWithEmptyParts, args: args(int(-1, 20)), int: true },
  { name: 'isEven', fn: isEven, args: args(int(-20, 20)), int: true },
  { name: 'isEvenBang', fn: isEvenBang, args: args(int(-20, 20)), int: true },
  { name: 'andOrValue', fn: andOrValue, args: args(int(-10, 10), int(-10, 10)), int: true },
  { name: 'piecewiseLinear', fn: piecewiseLinear, args: args(grid(-5, 6)), int: false },
  { name: 'tripleNestedCount', fn: tripleNestedCount, args: args(int(0, 6)), int: true },
  { name: 'negativeZeroSafeSign', fn: negativeZeroSafeSign, args: args(grid(-2, 2)), int: false },
  { name: 'integerSqrtLoop', fn: integerSqrtLoop, args: args(int(0, 400)), int: true },
  { name: 'countdownBy', fn: countdownBy, args: args(int(-5, 60), int(1, 9)), int: true },
  { name: 'sumDigitsUntilSingle', fn: sumDigitsUntilSingle, args: args(int(0, 99999)), int: true },
];
