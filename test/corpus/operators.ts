// @ts-nocheck -- the corpus deliberately uses coercions and loose idioms that TypeScript rejects.
import type { CorpusCase } from './case.ts';

const NUMS = [
  [0, 0],
  [7, 2],
  [-7, 2],
  [7, -2],
  [1, 0],
  [-0, 5],
  [Number.NaN, 1],
  [Infinity, -Infinity],
  [2.5, 0.5],
];

export const cases: CorpusCase[] = [
  {
    name: 'arithmetic operators on numbers',
    fn: (a: number, b: number) => [a + b, a - b, a * b, a / b, a % b, a ** b],
    inputs: NUMS,
  },
  {
    name: 'comparison operators on numbers',
    fn: (a: number, b: number) => [a < b, a <= b, a > b, a >= b, a == b, a != b, a === b, a !== b],
    inputs: NUMS,
  },
  {
    name: 'unary operators',
    fn: (a: unknown) => [-a, +a, ~a, typeof a, void a, !a],
    inputs: [[0], [-0], [1.5], ['3'], [''], [null], [undefined], [true], [[]], [[2]], ['x']],
  },
  {
    name: 'unary minus on -0 and NaN keeps Object.is identity',
    fn: (a: number) => {
      const n = -a;
      return [Object.is(n, -0), Object.is(n, 0), n !== n, 1 / n];
    },
    inputs: [[0], [-0], [Number.NaN], [3]],
  },
  {
    name: 'bitwise operators',
    fn: (a: number, b: number) => [a & b, a | b, a ^ b, a << b, a >> b, a >>> b, ~a],
    inputs: [
      [5, 3],
      [-1, 28],
      [-16, 2],
      [2 ** 32 + 5, 1],
      [1.9, 33],
      [Number.NaN, 1],
    ],
  },
  {
    name: 'string concatenation with various types',
    fn: (x: unknown) => ['s' + x, x + 's', 1 + x, x + 1, x + '' + x, '' + [x, x]],
    inputs: [[1], [null], [undefined], [[1, 2]], [[]], [{}], [true], ['str'], [Number.NaN], [-0]],
  },
  {
    name: 'left-to-right + mixing numbers and strings',
    fn: (a: number, b: number) => [a + b + 'c', 'c' + a + b, 'c' + (a + b), a + (b + 'c')],
    inputs: [
      [1, 2],
      [0, -0],
      ['1', 2],
      [null, undefined],
    ],
  },
  {
    name: 'arithmetic coercion of non-numbers',
    fn: (a: unknown, b: unknown) => [a - b, a * b, a / b, a % b, a ** b, a < b, a >= b],
    inputs: [
      ['6', '2'],
      ['a', 1],
      [null, 3],
      [undefined, 3],
      [true, false],
      [[5], [2]],
      ['10', '9'],
      ['b', 'a'],
    ],
  },
  {
    name: '== coercions',
    fn: (n: number) => {
      const pairs = [
        [null, undefined],
        [null, 0],
        [undefined, 0],
        ['1', 1],
        [[1], 1],
        [[1, 2], '1,2'],
        ['', 0],
        ['0', false],
        [Number.NaN, Number.NaN],
        [{}, '[object Object]'],
        [0, -0],
        [n, String(n)],
        [1n, 1],
        ['1', 1n],
      ];
      return pairs.map(([a, b]) => [a == b, a != b, a === b, a !== b]);
    },
    inputs: [[0], [1.5], [2]],
  },
  {
    name: '== with valueOf/toString logging call order',
    fn: (n: number) => {
      const log = [];
      const mk = (name, v) => ({
        valueOf() {
          log.push(name + '.valueOf');
          return v;
        },
        toString() {
          log.push(name + '.toString');
          return 'T' + v;
        },
      });
      const a = mk('a', n);
      const b = mk('b', 2);
      const r = [a == 2, 2 == a, a == b, a == 'T' + n, a + 1, `${a}`, a + '', a * b, a < b, String(a)];
      return [r, log];
    },
    inputs: [[2], [3], [5]],
  },
  {
    name: 'object with only toString in arithmetic and comparison',
    fn: (s: string) => {
      const log = [];
      const o = {
        toString() {
          log.push('toString');
          return s;
        },
      };
      return [o + 1, o * 2, o > 1, o == s, log];
    },
    inputs: [['3'], ['x'], [''], ['-0']],
  },
  {
    name: 'Symbol.toPrimitive with hints',
    fn: (n: number) => {
      const hints = [];
      const o = {
        [Symbol.toPrimitive](hint) {
          hints.push(hint);
          return hint === 'number' ? n : 'str' + n;
        },
      };
      return [+o, o + '', `${o}`, o * 1, o == 'str' + n, o < 100, hints];
    },
    inputs: [[1], [200], [2]],
  },
  {
    name: 'operand evaluation order for binary operators',
    fn: (a: number, b: number) => {
      const log = [];
      const t = (tag, v) => (log.push(tag), v);
      const r = [
        t('l1', a) + t('r1', b),
        t('l2', a) < t('r2', b),
        t('l3', a) ** t('r3', b),
        t('l4', a) & t('r4', b),
      ];
      return [r, log];
    },
    inputs: [
      [1, 2],
      [3, 0],
      [-1, -1],
    ],
  },
  {
    name: 'valueOf call order in binary operations',
    fn: (x: number, y: number) => {
      const log = [];
      const a = { valueOf: () => (log.push('a'), x) };
      const b = { valueOf: () => (log.push('b'), y) };
      return [a - b, a > b, b <= a, a * b + a, log];
    },
    inputs: [
      [1, 2],
      [5, 5],
      [Number.NaN, 0],
    ],
  },
  {
    name: 'precedence and associativity',
    fn: (a: number, b: number, c: number) => [
      a + b * c,
      (a + b) * c,
      a - b - c,
      a - (b - c),
      a ** (b ** c),
      (a ** b) ** c,
      -(a ** 2),
      a / b / c,
      (a % b) * c,
      a << (b + c),
      a < b === b < c,
    ],
    inputs: [
      [2, 3, 2],
      [1, 0, 5],
      [-2, 2, 1],
    ],
  },
  {
    name: 'BigInt arithmetic and comparison',
    fn: (a: bigint, b: bigint) => [
      a + b,
      a - b,
      a * b,
      a ** 2n,
      b !== 0n ? a / b : 'div0',
      b !== 0n ? a % b : 'mod0',
      a < b,
      a == b,
      -a,
      a & b,
      a << 2n,
      typeof a,
    ],
    inputs: [
      [7n, 2n],
      [-7n, 2n],
      [0n, 0n],
      [2n ** 70n, 3n],
    ],
  },
  {
    name: 'BigInt mixing errors and comparisons with numbers',
    fn: (a: bigint, n: number) => {
      const out = [a < n, a == n, a > n, a + 'x'];
      try {
        out.push(a + n);
      } catch (e) {
        out.push(e.constructor.name + ': ' + e.message);
      }
      try {
        out.push(+a);
      } catch (e) {
        out.push(e.constructor.name + ': ' + e.message);
      }
      try {
        out.push(a / 0n);
      } catch (e) {
        out.push(e.constructor.name + ': ' + e.message);
      }
      return out;
    },
    inputs: [
      [1n, 1],
      [5n, 2.5],
      [0n, -0],
      [-3n, Number.NaN],
    ],
  },
  {
    name: 'in, instanceof, delete operators',
    fn: (k: string) => {
      const o = { a: 1, b: undefined };
      const arr = [1, 2];
      const r = [
        k in o,
        k in arr,
        arr instanceof Array,
        o instanceof Array,
        delete o[k],
        k in o,
        Object.keys(o),
      ];
      return r;
    },
    inputs: [['a'], ['b'], ['c'], ['0'], ['length']],
  },
  {
    name: 'typeof on various values including functions and symbols',
    fn: (n: number) => {
      const vals = [
        n,
        'x',
        true,
        null,
        undefined,
        {},
        [],
        () => 1,
        function () {},
        Symbol('s'),
        1n,
        class {},
      ];
      return vals.map((v) => typeof v);
    },
    inputs: [[1], [2], [5]],
  },
  {
    name: 'division and modulo edge cases',
    fn: (a: number) => [a / 0, -a / 0, a % 0, 0 / a, -0 % a, a % Infinity, Infinity % a, 5 % a, -5 % a],
    inputs: [[0], [-0], [3], [-3], [Number.NaN]],
  },
  {
    name: 'exponent edge cases',
    fn: (a: number) => [a ** 0, a ** 0.5, (-a) ** 3, 2 ** -a, a ** Infinity, a ** Number.NaN],
    inputs: [[0], [-0], [1], [-1], [4], [Number.NaN]],
  },
  {
    name: 'comparison of strings and mixed types',
    fn: (a: unknown, b: unknown) => [a < b, a > b, a <= b, a >= b],
    inputs: [
      ['a', 'b'],
      ['B', 'a'],
      ['10', '9'],
      ['10', 9],
      [null, 0],
      [undefined, 0],
      [[2], '10'],
      ['', false],
    ],
  },
  {
    name: 'void and comma operators',
    fn: (x: number) => {
      const log = [];
      const a = void log.push('v');
      const b = (log.push('c1'), log.push('c2'), x * 2);
      return [a, b, log];
    },
    inputs: [[1], [0], [2]],
  },
  {
    name: 'operators inside loops accumulate floating point identically',
    fn: (n: number) => {
      let s = 0;
      let p = 1;
      let bits = 0;
      for (let i = 1; i <= n; i++) {
        s += 0.1 * i;
        p *= 1.5;
        bits ^= (i << 3) | (i >>> 1);
      }
      return [s, p, bits];
    },
    inputs: [[0], [10], [40]],
  },
  {
    name: 'string comparison and concatenation inside template literals',
    fn: (a: unknown, b: unknown) => `${a}+${b}=${a + b}; ${a < b ? 'lt' : 'ge'}; ${typeof (a * b)}`,
    inputs: [
      [1, 2],
      ['1', 2],
      [null, undefined],
      [[1], { toString: null }],
    ],
  },
  {
    name: 'toString throwing during concatenation',
    fn: (n: number) => {
      const o = {
        toString() {
          throw new RangeError('no string ' + n);
        },
        valueOf() {
          return this;
        },
      };
      try {
        return 'x' + o;
      } catch (e) {
        return [e.constructor.name, e.message];
      }
    },
    inputs: [[1], [2], [5]],
  },
  {
    name: 'cannot convert object to primitive TypeError',
    fn: (n: number) => {
      const o = Object.create(null);
      const out = [];
      try {
        out.push(o + n);
      } catch (e) {
        out.push(e.constructor.name, e.message);
      }
      try {
        out.push(Symbol('q') + '');
      } catch (e) {
        out.push(e.constructor.name, e.message);
      }
      return out;
    },
    inputs: [[1], [2], [5]],
  },
  {
    name: 'unary plus on objects and dates-like valueOf',
    fn: (v: number) => {
      const log = [];
      const o = { valueOf: () => (log.push('vo'), v) };
      return [+o, -o, ~o, +[], +[v], +{}, +'0x1f', +' 12 ', +'1e3', +'-', log];
    },
    inputs: [[3], [-0], [2]],
  },
  {
    name: 'eager fast paths evaluate operands once, in order, when a call assigns an earlier variable',
    fn: (a: number, b: number) => {
      const log = [];
      let s = a;
      const bump = (v) => {
        log.push(`bump ${v}`);
        s = s * 10 + v;
        return v;
      };
      const xs = [a, b, 3];
      const r1 = s + bump(1) * xs[1];
      const r2 = xs[0] - bump(2) + s;
      const r3 = (s += bump(4)) - s;
      const flags = [0, '', null, xs, false];
      const negated = flags.map((f) => !f);
      let k = 0;
      const r4 = !xs[(k++, bump(0))] && !bump(k);
      const grid = [
        [0, 0],
        [0, 0],
      ];
      grid[bump(1)][bump(0)] = grid[0][bump(1)] = s;
      const obj = { n: 1 };
      obj[bump(3) > 2 ? 'n' : 'm'] = !obj.n;
      // an operator on an object runs valueOf before a later operand (npm run fuzz, seed 1207)
      const valued = { valueOf: () => (log.push('valueOf'), a) };
      const r5 = !a + valued == (log.push('later'), b);
      const r6 = valued * 2 + bump(5) - valued;
      return [r1, r2, r3, r4, r5, r6, s, negated, grid, obj, log];
    },
    inputs: NUMS,
  },
  {
    name: 'operators on a Proxy (or an object whose prototype is one) run none of its traps',
    fn: (n: number) => {
      const log = [];
      const handler = {
        has: (t, k) => (log.push(`has ${String(k)}`), Reflect.has(t, k)),
        get: (t, k, r) => (log.push(`get ${String(k)}`), Reflect.get(t, k, r)),
      };
      const p = new Proxy({ v: n }, handler);
      const o = Object.create(p);
      const out = [p == null, o === p, o != null, p ? 1 : 2, o && n, [p].length, !o];
      if (o) out.push(n > 1 ? p.v : o.v);
      return [out, log];
    },
    inputs: [[0], [1], [3]],
  },
  {
    name: 'indexing a Proxy runs only its get trap',
    fn: (k: string) => {
      const log = [];
      const p = new Proxy(
        { a: 1 },
        {
          getPrototypeOf: (t) => (log.push('getPrototypeOf'), Reflect.getPrototypeOf(t)),
          get: (t, key, r) => (log.push(`get ${String(key)}`), Reflect.get(t, key, r)),
        },
      );
      const v = [p[k], p['@@x'], k in p ? 1 : 0];
      return [v, log];
    },
    inputs: [['a'], ['b']],
  },
  {
    name: 'calling a Proxy of a function runs its traps as JS does',
    fn: (n: number) => {
      const log = [];
      const double = (x) => 2 * x;
      const p = new Proxy(double, {
        get: (t, key, r) => (log.push(`get ${String(key)}`), Reflect.get(t, key, r)),
        apply: (t, self, args) => (log.push('apply'), Reflect.apply(t, self, [args[0] + 1])),
      });
      const o = { p, v: 1 };
      // a method with a `call` of its own: o.m(x) does not use it
      function own(x) {
        return x + this.v;
      }
      own.call = () => 'own call';
      const q = { own, v: 10 };
      return [p(n), [n].map(p), o.p(n), q.own(n), q.own(q.v), log];
    },
    inputs: [[0], [2]],
  },
];
