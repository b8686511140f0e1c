// @ts-nocheck -- the corpus deliberately uses coercions and loose idioms that TypeScript rejects.
import type { CorpusCase } from './case.ts';

export const cases: CorpusCase[] = [
  {
    name: 'destructured params with defaults',
    fn: ({ a = 1, b: { c = 'c' } = {} } = {}, [x, y = x * 2] = [5]) => [a, c, x, y],
    inputs: [[], [{ a: 0 }], [{ a: null, b: { c: undefined } }, [1]], [undefined, [3, 4]]],
  },
  {
    name: 'defaults that call functions are evaluated lazily in order',
    fn: (o: any) => {
      const log = [];
      const d = (tag, v) => (log.push(tag), v);
      const { a = d('a', 1), b = d('b', a + 1), c = d('c', b * 10) } = o;
      return [a, b, c, log];
    },
    inputs: [[{}], [{ a: 5 }], [{ b: 2, c: 3 }], [{ a: null, b: undefined }]],
  },
  {
    name: 'for (const [k, v] of Object.entries)',
    fn: (o: Record<string, number>) => {
      const out = [];
      for (const [k, v] of Object.entries(o)) {
        if (v === 0) continue;
        out.push(k + v);
      }
      return out;
    },
    inputs: [[{}], [{ a: 1, z: 0, m: 3 }], [{ only: 0 }]],
  },
  {
    name: 'for (const [k, v] of map) with break',
    fn: (pairs: [string, number][]) => {
      const m = new Map(pairs);
      let found = 'none';
      for (const [k, v] of m) {
        if (v > 1) {
          found = k;
          break;
        }
      }
      return found;
    },
    inputs: [
      [[]],
      [
        [
          ['a', 1],
          ['b', 2],
          ['c', 3],
        ],
      ],
      [
        [
          ['a', 0],
          ['b', 1],
        ],
      ],
      [[['z', 5]]],
    ],
  },
  {
    name: 'for (const {a, b: [c]} of ...) nested destructuring',
    fn: (rows: any[]) => {
      const out = [];
      for (const {
        a,
        b: [c, ...rest],
        d = 'dflt',
      } of rows)
        out.push([a, c, rest.length, d]);
      return out;
    },
    inputs: [
      [[]],
      [
        [
          { a: 1, b: [2, 3, 4] },
          { a: 'x', b: 'yz', d: 0 },
        ],
      ],
      [[{ b: [] }]],
      [[{ b: [undefined], d: null }]],
    ],
  },
  {
    name: 'destructuring non-iterable in for..of throws TypeError',
    fn: (rows: any[]) => {
      const out = [];
      try {
        for (const [a] of rows) out.push(a);
      } catch (e) {
        out.push(e.constructor.name);
      }
      try {
        for (const { a } of rows) out.push(a);
      } catch (e) {
        // Known deviation: V8 names its internal '.for' binding in this message, converted code names
        // its own item variable; the error type is the same.
        out.push(e.constructor.name, e.message.replace(/'[^']*' as it is/, "'<item>' as it is"));
      }
      return out;
    },
    inputs: [[[[1], 'ab']], [[[1], null]], [[[1], 5]], [[{ a: 1 }]]],
  },
  {
    name: 'swap via assignment destructuring inside loop',
    fn: (xs: number[]) => {
      const a = [...xs];
      for (let i = 0; i < a.length; i++) {
        for (let j = 0; j + 1 < a.length - i; j++) {
          if (a[j] > a[j + 1]) [a[j], a[j + 1]] = [a[j + 1], a[j]];
        }
      }
      let x = 1;
      let y = 2;
      for (let k = 0; k < xs.length; k++) [x, y] = [y, x];
      return [a, x, y];
    },
    inputs: [[[]], [[3, 1, 2]], [[5, 4, 3, 2, 1, 0]]],
  },
  {
    name: 'assignment destructuring with defaults and rest',
    fn: (src: any) => {
      let a;
      let b;
      let rest;
      ({ a, b = 'B', ...rest } = src);
      let x;
      let ys;
      [x = 'X', ...ys] = src.list ?? [];
      return [a, b, rest, x, ys];
    },
    inputs: [[{}], [{ a: 1, b: 2, c: 3, list: [undefined, 5, 6] }], [{ b: null, list: [0] }]],
  },
  {
    name: 'destructuring assignment into members with side-effect order',
    fn: (vals: number[]) => {
      const log = [];
      const o = {};
      const target = () => (log.push('target'), o);
      [target().a, target().b = (log.push('default'), 'd')] = vals;
      return [o, log];
    },
    inputs: [[[]], [[1]], [[1, 2]]],
  },
  {
    name: 'destructuring from getters logs access order',
    fn: (n: number) => {
      const log = [];
      const src = {
        get x() {
          log.push('x');
          return n;
        },
        get y() {
          log.push('y');
          return n + 1;
        },
      };
      const { y, x, z = (log.push('z-default'), 'z') } = src;
      return [x, y, z, log];
    },
    inputs: [[1], [2], [5]],
  },
  {
    name: 'array destructuring uses the iterator and closes it',
    fn: (take: number) => {
      const log = [];
      const it = {
        [Symbol.iterator]() {
          let i = 0;
          return {
            next: () => (log.push('next'), { value: i++, done: i > 5 }),
            return: () => (log.push('return'), {}),
          };
        },
      };
      let r;
      if (take === 1) {
        const [a] = it;
        r = [a];
      } else if (take === 2) {
        const [a, , c] = it;
        r = [a, c];
      } else {
        const [...all] = it;
        r = all;
      }
      return [r, log];
    },
    inputs: [[1], [2], [3]],
  },
  {
    name: 'destructuring null throws TypeError',
    fn: (v: any) => {
      try {
        const { a } = v;
        return a;
      } catch (e) {
        return e.constructor.name;
      }
    },
    inputs: [[null], [undefined], [{ a: 1 }], [1]],
  },
  {
    name: 'computed keys in destructuring patterns',
    fn: (k: string) => {
      const log = [];
      const key = () => (log.push('key'), k);
      const { [key()]: v = 'none', ...others } = { a: 1, b: 2 };
      return [v, others, log];
    },
    inputs: [['a'], ['b'], ['c']],
  },
  {
    name: 'destructuring in catch clause and arrow params',
    fn: (n: number) => {
      const out = [];
      try {
        throw { code: n, info: { msg: 'bad' } };
      } catch ({ code, info: { msg } }) {
        out.push(code, msg);
      }
      const pairs = [
        [1, 2],
        [3, 4],
      ].map(([a, b]) => a * b + n);
      return [out, pairs];
    },
    inputs: [[0], [7], [2]],
  },
  {
    name: 'for..of with destructuring into existing variables',
    fn: (rows: number[][]) => {
      let a = 'a0';
      let b = 'b0';
      const out = [];
      for ([a, b = 'db'] of rows) out.push(a + '' + b);
      return [out, a, b];
    },
    inputs: [[[]], [[[1, 2], [3]]], [[[]]], [[[0, null]]]],
  },
  {
    name: 'nested default with function call in for..of destructuring',
    fn: (rows: any[]) => {
      let calls = 0;
      const mk = () => (++calls, 'made' + calls);
      const out = [];
      for (const {
        id = mk(),
        tags: [first = mk()] = [],
      } of rows)
        out.push([id, first]);
      return [out, calls];
    },
    inputs: [
      [[]],
      [[{}, { id: 1 }, { tags: ['t'] }, { id: 0, tags: [undefined] }]],
      [[{ id: null, tags: [] }]],
    ],
  },
];
