// @ts-nocheck -- the corpus deliberately indexes with odd keys and exotic objects that TypeScript rejects.
/**
 * Indexing and `.length` on JS values: conversion routes member reads, `.length` and index stores through
 * the runtime (converters/indexing.ts), which must keep their exact JS meaning: keys of every type, holes,
 * getters and proxy traps (how often they run, in which order), receivers of computed method calls, the
 * values of assignment expressions, and JS's own TypeErrors.
 */
import type { CorpusCase } from './case.ts';

export const cases: CorpusCase[] = [
  {
    name: 'array reads at odd keys',
    fn: (a: unknown[]) => {
      const keys = [
        0,
        1,
        2,
        -1,
        1.5,
        NaN,
        -0,
        '0',
        '01',
        '1',
        'length',
        10,
        true,
        null,
        undefined,
        [1],
        2 ** 32,
      ];
      const out = [];
      for (const k of keys) out.push(a[k]);
      return out;
    },
    inputs: [[[10, 20, 30]], [[]], [['x']]],
  },
  {
    name: 'array holes read as undefined and length counts them',
    fn: (n: number) => {
      const a = [1, , 3];
      a[n] = 'end';
      const seen = [];
      for (let i = 0; i < a.length; i++) seen.push([i, a[i], i in a]);
      return [seen, a.length];
    },
    inputs: [[5], [1], [0]],
  },
  {
    name: 'index loop summing rows of nested arrays',
    fn: (m: number[][]) => {
      let total = 0;
      const sums = [];
      for (let i = 0; i < m.length; i++) {
        let s = 0;
        for (let j = 0; j < m[i].length; j++) s += m[i][j];
        sums[i] = s;
        total += s;
      }
      return [total, sums];
    },
    inputs: [
      [[]],
      [
        [
          [1, 2],
          [3, 4, 5],
        ],
      ],
      [[[1.5], [], [2, -2]]],
    ],
  },
  {
    name: 'index inside an index and in a key',
    fn: (a: number[], b: number[]) => {
      const out = [];
      for (let i = 0; i < b.length; i++) out.push(a[b[i]], a[b[b[i]] ?? 0], b[a[i] % b.length]);
      return out;
    },
    inputs: [
      [
        [5, 6, 7],
        [2, 0, 1],
      ],
      [[1], [0, 0]],
    ],
  },
  {
    name: 'string indexing and length',
    fn: (s: string) => {
      const chars = [];
      for (let i = 0; i < s.length; i++) chars.push(s[i]);
      return [chars, s[-1], s[s.length], s['length'], s.length, ''.length];
    },
    inputs: [['abc'], [''], ['héllo 🙂']],
  },
  {
    name: 'typed arrays: reads, writes, clamping and out-of-range stores',
    fn: (n: number) => {
      const f = new Float32Array(3);
      const u = new Uint8ClampedArray(2);
      const i = new Int16Array([1, 2, 3]);
      f[0] = 1.1;
      f[n] = 7;
      u[0] = 300;
      u[1] = -5;
      i[1] += 40000;
      i[2]++;
      let s = 0;
      for (let k = 0; k < i.length; k++) s += i[k];
      return [f[0], f[n], f.length, u[0], u[1], i[1], s, f[-1], f[1.5]];
    },
    inputs: [[1], [5], [-1]],
  },
  {
    name: 'array-like objects with numeric keys and a length',
    fn: (o: Record<string, unknown>) => {
      const out = [];
      for (let i = 0; i < o.length; i++) out.push(o[i]);
      return [out, Array.prototype.slice.call(o), o['1'], o[1], o[-1]];
    },
    inputs: [[{ 0: 'a', 1: 'b', length: 2 }], [{ length: 0 }], [{ 1: 'x', length: 3, '-1': 'neg' }]],
  },
  {
    name: 'getters run once per read, in order',
    fn: (k: number) => {
      const log = [];
      const o = {
        get 0() {
          log.push('get 0');
          return 'zero';
        },
        get length() {
          log.push('get length');
          return 1;
        },
      };
      Object.defineProperty(o, '2', {
        get() {
          log.push('get 2');
          return undefined;
        },
      });
      const r = [o[k], o.length, o[2], o[k + 2], o.length + o[0].length];
      return [r, log];
    },
    inputs: [[0], [1]],
  },
  {
    name: 'proxy traps see the same operations',
    fn: (k: number) => {
      const log = [];
      const target = [1, 2, 3];
      const p = new Proxy(target, {
        get(t, key, r) {
          log.push(`get ${String(key)}`);
          return Reflect.get(t, key, r);
        },
        set(t, key, v, r) {
          log.push(`set ${String(key)}=${v}`);
          return Reflect.set(t, key, v, r);
        },
        has(t, key) {
          log.push(`has ${String(key)}`);
          return Reflect.has(t, key);
        },
      });
      const a = p[k];
      const n = p.length;
      p[k] = 10;
      p[k] += 1;
      p[0]++;
      const missing = p[99];
      const s = p['x'];
      return [a, n, missing, s, [...target], log];
    },
    inputs: [[0], [2], [5]],
  },
  {
    name: 'proxy of a plain object with numeric and symbol keys',
    fn: (k: number) => {
      const log = [];
      const sym = Symbol.for('s');
      const p = new Proxy(
        { 0: 'a', [sym]: 'sym' },
        {
          get(t, key) {
            log.push(typeof key === 'symbol' ? 'get symbol' : `get ${key}`);
            return t[key];
          },
        },
      );
      return [p[k], p[sym], p.length, log];
    },
    inputs: [[0], [1]],
  },
  {
    name: 'symbol keys read and write',
    fn: (v: number) => {
      const s = Symbol('k');
      const o = {};
      o[s] = v;
      o[s] += 1;
      const a = [1];
      a[Symbol.iterator] === Array.prototype[Symbol.iterator];
      return [o[s], a[Symbol.iterator] === Array.prototype[Symbol.iterator], typeof a[Symbol.toPrimitive]];
    },
    inputs: [[1], [-1]],
  },
  {
    name: 'length of functions, strings, objects and primitives',
    fn: (x: unknown) => {
      const f = (a, b, ...c) => a;
      function g(a, b = 1) {}
      const withLength = { length: 'custom' };
      const withGetter = {
        get length() {
          return 42;
        },
      };
      return [
        f.length,
        g.length,
        withLength.length,
        withGetter.length,
        (5).length,
        true.length,
        new Map().length,
        [, , ,].length,
        x.length,
      ];
    },
    inputs: [['abc'], [[1, 2]], [{ length: -1 }], [7]],
  },
  {
    name: 'length of null and undefined throws the JS TypeError',
    fn: (x: unknown) => x.length,
    inputs: [[null], [undefined]],
  },
  {
    name: 'index into null and undefined throws the JS TypeError',
    fn: (x: unknown, k: unknown) => x[k],
    inputs: [
      [null, 0],
      [undefined, 'a'],
      [undefined, 1.5],
    ],
  },
  {
    name: 'store into null and undefined throws the JS TypeError',
    fn: (x: unknown, k: unknown) => {
      const log = [];
      try {
        x[(log.push('key'), k)] = (log.push('value'), 1);
      } catch (e) {
        log.push(e.message);
      }
      return log;
    },
    inputs: [
      [null, 0],
      [undefined, 'a'],
    ],
  },
  {
    name: 'store into a frozen array throws in strict code',
    fn: (k: number) => {
      const a = Object.freeze([1, 2]);
      a[k] = 5;
      return a;
    },
    inputs: [[0], [3]],
  },
  {
    name: 'key conversion runs after the stored value is evaluated',
    fn: (v: number) => {
      const log = [];
      const key = {
        toString() {
          log.push('toString');
          return 'k';
        },
      };
      const o = {};
      o[key] = (log.push('value'), v);
      const read = o[key];
      o[key] += (log.push('rhs'), 1);
      return [read, o.k, log];
    },
    inputs: [[1], [10]],
  },
  {
    name: 'evaluation order of object, key and value in stores',
    fn: (n: number) => {
      const log = [];
      const a = [0, 0, 0, 0];
      let i = 0;
      const obj = () => (log.push('obj'), a);
      obj()[(log.push('key'), i++)] = (log.push('val'), i);
      a[i] = i++;
      a[(i = 3)] = i + n;
      const b = a;
      b[((b[0] = 9), 1)] = b[0];
      return [a, log, i];
    },
    inputs: [[1], [5]],
  },
  {
    name: 'assignment expressions have the assigned value',
    fn: (v: unknown) => {
      const a = [];
      const x = (a[0] = v);
      const y = (a[1] = a[2] = 3);
      const u = new Uint8Array(1);
      const z = (u[0] = 300);
      return [x, y, z, u[0], a];
    },
    inputs: [[1], ['s'], [undefined]],
  },
  {
    name: 'compound, logical and update stores at computed keys',
    fn: (a: number[]) => {
      const r = [];
      const n = a.length;
      for (let i = 0; i < n; i++) {
        r.push(a[i]++, ++a[i], a[i]--, --a[i]);
        a[i] *= 2;
        a[i] ||= 100;
        a[i] &&= a[i] - 1;
        a[i + 10] ??= i;
      }
      return [a, r];
    },
    inputs: [[[0, 1, -1]], [[]], [[0.5]]],
  },
  {
    name: 'destructuring and for-of targets at computed keys',
    fn: (a: number[]) => {
      const o = {};
      [a[0], a[1]] = [a[1], a[0]];
      ({ x: o['x'], y: o[0] = 'default' } = { x: a[0] });
      for (o[1] of a);
      for (o['key'] in { p: 1, q: 2 });
      const [first, ...rest] = a;
      return [a, o, first, rest];
    },
    inputs: [[[1, 2, 3]], [[5, 6]]],
  },
  {
    name: 'delete at computed keys',
    fn: (k: number) => {
      const a = [1, 2, 3];
      const o = { 0: 'a', 1: 'b' };
      const r = [delete a[k], delete o[k], delete o['zz']];
      return [r, a, o, a.length, k in a];
    },
    inputs: [[0], [2], [7]],
  },
  {
    name: 'optional chains with computed members',
    fn: (x: unknown) => {
      const f = { g: [(v) => v * 2] };
      return [x?.[0], x?.a[0], x?.[0]?.[1], f.g?.[0](3), x?.length, f?.g[0]?.(4)];
    },
    inputs: [[null], [undefined], [[[1, 2]]], [{ a: 'xyz', 0: 'zero' }]],
  },
  {
    name: 'method calls through computed members keep their receiver',
    fn: (k: string) => {
      const o = {
        v: 5,
        get(n) {
          return this.v + n;
        },
        tag(strings, ...subs) {
          return `${this.v}:${strings.join('|')}:${subs.join(',')}`;
        },
      };
      const fns = [
        function () {
          return this === fns;
        },
      ];
      const arr = [3, 1, 2];
      return [
        o[k](1),
        fns[0](),
        arr['slice'](1)['map']((x) => x * 10),
        o['tag']`a${1}b`,
        'abc'['toUpperCase'](),
      ];
    },
    inputs: [['get']],
  },
  {
    name: 'calling a missing computed member throws the JS TypeError',
    fn: (k: string) => {
      const o = { a: 1 };
      return o[k]();
    },
    inputs: [['b'], ['a']],
  },
  {
    name: 'new through a computed member',
    fn: (k: string) => {
      const ns = {
        Point: class {
          constructor(x) {
            this.x = x;
          }
        },
      };
      const p = new ns[k](2);
      return [p.x, p instanceof ns.Point];
    },
    inputs: [['Point']],
  },
  {
    name: 'this and super at computed keys in classes',
    fn: (k: string) => {
      class Base {
        greet() {
          return 'base';
        }
      }
      class Derived extends Base {
        constructor() {
          super();
          this[k] = 1;
          this[0] = 'zero';
        }
        greet() {
          return `${super['greet']()}+derived:${this[k]}:${this[0]}:${this.length}`;
        }
      }
      return new Derived().greet();
    },
    inputs: [['a'], ['length']],
  },
  {
    name: 'bigint, boolean and object keys',
    fn: (o: Record<string, unknown>) => [o[0n], o[true], o[false], o[[]], o[{}], o[null], o[undefined]],
    inputs: [
      [{ 0: 'zero', true: 't', '': 'empty', '[object Object]': 'obj', null: 'n', undefined: 'u' }],
      [{}],
    ],
  },
  {
    name: 'array writes past the end and at negative keys',
    fn: (k: number) => {
      const a = [1];
      a[k] = 'v';
      return [a.length, a[k], Object.keys(a)];
    },
    inputs: [[3], [-1], [1.5], [NaN]],
  },
  {
    name: 'length assignment and update stay native',
    fn: (n: number) => {
      const a = [1, 2, 3, 4];
      a.length = n;
      a.length++;
      a.length += 1;
      return [a, a.length];
    },
    inputs: [[0], [2], [6]],
  },
  {
    name: 'Map and Set are not indexed',
    fn: (k: number) => {
      const m = new Map([[0, 'a']]);
      const s = new Set([k]);
      return [m[k], m.size, s[0], m.length, s.length];
    },
    inputs: [[0], [1]],
  },
  {
    name: 'indexed reads in conditions and switch discriminants',
    fn: (a: unknown[]) => {
      let r = 0;
      if (a[0]) r += 1;
      while (a[r] && r < a.length) r++;
      switch (a[a.length - 1]) {
        case 'x':
          return ['last x', r];
        default:
          return [a[1] ? 'second' : 'no second', r];
      }
    },
    inputs: [[[1, 2, 'x']], [[0, 0]], [[]], [[true, '', 'y']]],
  },
  {
    name: 'computed member reads in closures and default values',
    fn: (a: number[]) => {
      const get = (i) => a[i];
      const { 0: first = 'none', length } = a;
      const [x = a.length] = [];
      return [get(0), get(a.length - 1), first, length, x];
    },
    inputs: [[[4, 5]], [[]]],
  },
];
