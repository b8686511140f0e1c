import type { CorpusCase } from './case.ts';

/**
 * Parameter default values: converted like the body's expressions, evaluated as JS evaluates them
 * (left to right, only for an `undefined` argument, in the parameter scope).
 */
export const cases: CorpusCase[] = [
  {
    name: 'parameters: a default reading an earlier parameter, used under a condition',
    fn: function (a: number, b = a * 2) {
      if (b > 3) return a + b;
      return b;
    },
    inputs: [[1], [2], [1, 5], [1, undefined], [1, null]],
  },
  {
    name: 'parameters: defaults run left to right, only for undefined arguments',
    fn: function (a: number, b: number) {
      const log: string[] = [];
      const note = (s: string, v: number) => (log.push(s), v);
      const g = (x = note('x', a), y = note('y', x + 1), z = note('z', x * y)) => [x, y, z];
      return [g(b), g(undefined, b), g(a, b, 0), log];
    },
    inputs: [
      [1, 2],
      [0, -1],
    ],
  },
  {
    name: "parameters: a default reading 'arguments' and calling a function",
    fn: function (a: number, b = arguments.length, c = Math.max(a, b)) {
      return [a, b, c, arguments.length];
    },
    inputs: [[1], [1, 5], [4, undefined, 2], []],
  },
  {
    name: "parameters: defaults reading 'this' of the call",
    fn: function (a: number) {
      const o = {
        k: 10,
        m(this: { k: number }, x = this.k + a, y = () => this.k * x) {
          let s = x;
          for (let i = 0; i < 3; i++) s += y();
          return s;
        },
      };
      return [o.m(), o.m(1), o.m(undefined, () => -1)];
    },
    inputs: [[1], [-3]],
  },
  {
    name: 'parameters: a closure in a default sees writes to the parameter, not a body var',
    fn: function (a: number) {
      const shared = (x = a, read = () => x) => {
        x = x + 1;
        return [x, read()];
      };
      const shadowed = function (x = a, read = () => x) {
        var x = 100;
        x++;
        return [x, read()];
      };
      return [shared(), shared(5), shadowed(), shadowed(7)];
    },
    inputs: [[1], [0]],
  },
  {
    name: 'parameters: a closure in a default sees the parameter a loop in the body updates',
    fn: function (n: number, limit = n > 3 ? 3 : n, read = () => [n, limit]) {
      const seen: number[][] = [];
      while (n < 6) {
        n += limit > 0 ? limit : 1;
        seen.push(read());
      }
      return seen;
    },
    inputs: [[0], [2], [5, 0], [9]],
  },
  {
    name: 'parameters: a default reading a later parameter is a ReferenceError (TDZ)',
    fn: function (useDefault: boolean) {
      // @ts-expect-error: reading a later parameter is the temporal dead zone this case checks
      const f = (a = b + 1, b = 2) => a + b;
      return useDefault ? f() : f(1);
    },
    inputs: [[true], [false]],
  },
  {
    name: 'parameters: destructuring defaults reading earlier bindings, computed keys',
    fn: function (input: any, key: string) {
      const f = (
        { x = 1, y = x + 1 }: any = {},
        [p = y, q = p * 2]: any[] = [],
        { [key + '!']: r = q > 3 ? 'big' : 'small' }: any = {},
      ) => [x, y, p, q, r];
      return [f(input), f(input, [5]), f(undefined, [undefined, 0], { 'k!': 'given' })];
    },
    inputs: [
      [{}, 'k'],
      [{ x: 5 }, 'k'],
      [{ x: 0, y: -1 }, 'j'],
      [null, 'k'],
    ],
  },
  {
    name: 'parameters: defaults with logical operators, member calls and a rest parameter',
    fn: function (
      xs: number[] | null,
      n = (xs && xs.length) || 0,
      first = xs?.slice(0, 1).pop() ?? -1,
      ...rest: unknown[]
    ) {
      let total = 0;
      for (let i = 0; i < n; i++) total += xs![i]!;
      return [n, first, total, rest.length];
    },
    inputs: [[null], [[1, 2, 3]], [[4, 5], 1], [[], undefined, undefined, 'r', 's']],
  },
];
