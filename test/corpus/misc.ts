// @ts-nocheck -- the corpus deliberately uses coercions and loose idioms that TypeScript rejects.
import type { CorpusCase } from './case.ts';

export const cases: CorpusCase[] = [
  {
    name: 'var declared in loop body is readable after the loop',
    fn: (n: number) => {
      for (let i = 0; i < n; i++) {
        var last = i * 2;
        var count = (count || 0) + 1;
      }
      return [last, count, typeof last];
    },
    inputs: [[0], [3], [2]],
  },
  {
    name: 'var declared in nested blocks and branches is function scoped',
    fn: (c: number) => {
      if (c > 0) {
        var a = 'then';
        {
          var b = 'nested';
        }
      } else {
        var a = 'else';
      }
      while (c-- > 5) var d = c;
      return [a, b, d];
    },
    inputs: [[0], [1], [8]],
  },
  {
    name: 'var hoisting: read before declaration is undefined',
    fn: (n: number) => {
      const before = typeof v;
      const val = v;
      for (let i = 0; i < n; i++) {
        var v = i;
      }
      return [before, val, v];
    },
    inputs: [[0], [2], [5]],
  },
  {
    name: 'var in for..in, for..of and catch',
    fn: (o: Record<string, number>) => {
      for (var k in o);
      for (var x of [1, 2, 3]);
      try {
        throw 1;
      } catch (e) {
        var inCatch = e + 1;
      }
      return [k, x, inCatch];
    },
    inputs: [[{}], [{ a: 1, b: 2 }], [{ z: 0 }]],
  },
  {
    name: 'function declarations inside blocks are block scoped in strict code',
    fn: (c: boolean) => {
      var g = 'outer';
      let r = 'none';
      if (c) {
        function g() {
          return 'inner';
        }
        r = g();
      }
      return [r, typeof g];
    },
    inputs: [[true], [false], [1]],
  },
  {
    name: 'function declaration inside loop body captures iteration variable',
    fn: (n: number) => {
      const fns = [];
      for (let i = 0; i < n; i++) {
        function get() {
          return i * i;
        }
        fns.push(get);
      }
      return fns.map((f) => f());
    },
    inputs: [[0], [4], [2]],
  },
  {
    name: 'function declaration in block is hoisted within the block',
    fn: (x: number) => {
      let r;
      {
        r = sq(x);
        function sq(v) {
          return v * v;
        }
      }
      return r;
    },
    inputs: [[3], [-2], [2]],
  },
  {
    name: 'unbound function call this is undefined (strict mode preserved)',
    fn: (n: number) => {
      const f = function () {
        return typeof this;
      };
      const g = function () {
        'use strict';
        return this;
      };
      return [f(), g() === undefined, f.call(n)];
    },
    inputs: [[1], [2], [5]],
  },
  {
    name: 'assignment to read-only/non-writable throws in strict code',
    fn: (n: number) => {
      const out = [];
      const o = {};
      Object.defineProperty(o, 'ro', { value: n, writable: false });
      try {
        o.ro = 5;
        out.push('no throw');
      } catch (e) {
        out.push(e.constructor.name);
      }
      try {
        'str'.len = 5;
        out.push('no throw');
      } catch (e) {
        out.push(e.constructor.name);
      }
      try {
        delete Object.freeze({ a: 1 }).a;
        out.push('no throw');
      } catch (e) {
        out.push(e.constructor.name);
      }
      return [out, o.ro];
    },
    inputs: [[1], [2], [5]],
  },
  {
    name: 'console.log calls inside control flow',
    fn: (n: number) => {
      let s = 0;
      for (let i = 0; i < n; i++) {
        if (i % 2) console.log('odd', i, { i }, [i]);
        s += i;
      }
      console.log('done', s);
      console.log();
      return s;
    },
    inputs: [[0], [3], [2]],
  },
  {
    name: 'console.log arguments evaluated in order with side effects',
    fn: (n: number) => {
      const log = [];
      const t = (tag, v) => (log.push(tag), v);
      console.log(t('a', n), t('b', n + 1), `${t('c', 'tpl')}`);
      const r = console.log(n);
      return [log, r];
    },
    inputs: [[1], [2], [5]],
  },
  {
    name: 'optional chaining basics',
    fn: (o: any) => [o?.a, o?.a?.b, o?.['a'], o?.a?.[0], o?.list?.length ?? 'no list'],
    inputs: [[null], [undefined], [{}], [{ a: { b: 2 } }], [{ a: [9], list: [1, 2] }]],
  },
  {
    name: 'optional chaining short-circuits the whole chain and arguments',
    fn: (o: any) => {
      const log = [];
      const t = (tag, v) => (log.push(tag), v);
      if (o?.mkf) o.f = (a) => a * 10;
      const r1 = o?.x.y.z;
      const r2 = o?.f(t('arg', 1));
      const r3 = o?.[t('key', 'k')];
      return [r1, r2, r3, log];
    },
    inputs: [[null], [undefined], [{ x: { y: { z: 1 } }, mkf: true }]],
  },
  {
    name: 'optional call preserves this and skips undefined methods',
    fn: (n: number) => {
      const o = {
        v: n,
        get() {
          return this.v;
        },
        nested: {
          w: n * 2,
          get() {
            return this.w;
          },
        },
      };
      return [
        o.get?.(),
        o.missing?.(),
        o?.get(),
        o.nested?.get(),
        o['get']?.(),
        o.nested.get?.call({ w: 'c' }),
      ];
    },
    inputs: [[1], [0], [2]],
  },
  {
    name: 'optional chaining with errors when not short-circuited',
    fn: (o: any) => {
      try {
        return o?.a.b;
      } catch (e) {
        return [e.constructor.name, e.message];
      }
    },
    inputs: [[null], [{}], [{ a: { b: 3 } }]],
  },
  {
    name: 'template literals with expressions and nesting',
    fn: (a: unknown, b: number) =>
      `a=${a}, b=${b}, sum=${a + b}, ${b > 1 ? `big ${b}` : `small ${b}`}, arr=${[a, b]}, obj=${{}}`,
    inputs: [
      [1, 2],
      ['x', 0],
      [null, -0],
      [undefined, Number.NaN],
    ],
  },
  {
    name: 'tagged templates receive strings and values',
    fn: (n: number) => {
      const log = [];
      const tag = (strings, ...vals) => {
        log.push(strings.length, strings.raw[0]);
        return strings.reduce((acc, s, i) => acc + s + (i < vals.length ? '<' + vals[i] + '>' : ''), '');
      };
      const r = tag`x\n${n}y${(log.push('eval'), n * 2)}z`;
      return [r, log, String.raw`a\t${n}`];
    },
    inputs: [[1], [5], [2]],
  },
  {
    name: 'getters read in loop conditions',
    fn: (limit: number) => {
      const log = [];
      let count = 0;
      const o = {
        get more() {
          log.push('more?');
          return count < limit;
        },
      };
      while (o.more) count++;
      for (; o.more; ) count++;
      return [count, log];
    },
    inputs: [[0], [3], [2]],
  },
  {
    name: 'call order: callee member read before arguments',
    fn: (n: number) => {
      const log = [];
      const o = {
        get m() {
          log.push('get m');
          return (x) => (log.push('call'), x * 2);
        },
      };
      const arg = () => (log.push('arg'), n);
      const r = o.m(arg());
      const key = () => (log.push('key'), 'm');
      const r2 = o[key()](arg());
      return [r, r2, log];
    },
    inputs: [[1], [2], [5]],
  },
  {
    name: 'calling a getter result that is not a function throws after evaluating arguments',
    fn: (n: number) => {
      const log = [];
      const o = {
        get m() {
          log.push('get m');
          return n;
        },
      };
      try {
        o.m((log.push('arg'), 1));
      } catch (e) {
        log.push(e.constructor.name + ':' + e.message);
      }
      return log;
    },
    inputs: [[1], [undefined], [null]],
  },
  {
    name: 'spread in calls, arrays and objects',
    fn: (xs: number[]) => {
      const max = Math.max(...xs, -Infinity);
      const arr = [0, ...xs, ...'ab'];
      const obj = { ...{ a: 1 }, ...(xs.length ? { n: xs.length } : null), z: 0 };
      const f = (a, ...rest) => [a, rest];
      return [max, arr, obj, f(...xs)];
    },
    inputs: [[[]], [[3, 1, 2]], [[-5]]],
  },
  {
    name: 'new expressions and built-ins',
    fn: (n: number) => {
      const d = new Map();
      for (let i = 0; i < n; i++) d.set(i % 3, (d.get(i % 3) || 0) + i);
      const s = new Set([...d.values()]);
      const a = new Array(n).fill(0).map((_, i) => i);
      const err = new RangeError('r' + n);
      return [[...d], [...s], a, err.message, err instanceof Error, String(Symbol('x' + n))];
    },
    inputs: [[0], [7], [2]],
  },
  {
    name: 'Proxy traps observe the same property accesses',
    fn: (n: number) => {
      const log = [];
      const target = { a: n, b: 2, nested: { c: 3 } };
      const p = new Proxy(target, {
        get(t, k, r) {
          log.push('get ' + String(k));
          return Reflect.get(t, k, r);
        },
        has(t, k) {
          log.push('has ' + String(k));
          return k in t;
        },
        set(t, k, v) {
          log.push('set ' + String(k));
          t[k] = v;
          return true;
        },
      });
      let r = 0;
      if (p.a > 1) r = p.a + p.b;
      else if ('b' in p) r = p.nested.c;
      while (p.b < 4) p.b++;
      p.a += 1;
      return [r, target, log];
    },
    inputs: [[0], [5], [2]],
  },
  {
    name: 'Proxy as operand of arithmetic and comparison',
    fn: (n: number) => {
      const log = [];
      const p = new Proxy(
        {},
        {
          get(t, k) {
            log.push(typeof k === 'symbol' ? k.toString() : k);
            if (k === 'valueOf') return () => n;
            return undefined;
          },
        },
      );
      const r = [p + 1, p * 2, p < 3, p == n];
      return [r, log];
    },
    inputs: [[1], [5], [2]],
  },
  {
    name: 'Symbol keys and well-known symbols',
    fn: (n: number) => {
      const s = Symbol('k');
      const o = { [s]: n, plain: 1 };
      const keys = [];
      for (const k in o) keys.push(k);
      return [o[s], keys, Object.getOwnPropertySymbols(o).length, typeof s, s.description];
    },
    inputs: [[1], [2], [5]],
  },
  {
    name: 'object literal with computed keys, shorthand, methods and getters',
    fn: (k: string) => {
      const log = [];
      const x = 1;
      const o = {
        x,
        [(log.push('key'), k)]: 'computed',
        [`${k}2`]: 2,
        m() {
          return this.x + 1;
        },
        get g() {
          log.push('g');
          return this.x * 10;
        },
      };
      return [o[k], o[k + '2'], o.m(), o.g, Object.keys(o), log];
    },
    inputs: [['a'], ['x'], ['m']],
  },
  {
    name: 'regular expressions in loops',
    fn: (s: string) => {
      const re = /(\d+)/g;
      const out = [];
      let m;
      let guard = 0;
      while ((m = re.exec(s)) !== null && guard++ < 50) out.push(+m[1]);
      return [out, s.replace(/a/g, 'b'), /^x/.test(s)];
    },
    inputs: [[''], ['a1b22c333'], ['xa']],
  },
  {
    name: 'labelled statements and sequences with comma in for',
    fn: (n: number) => {
      let a = 0;
      let b = 0;
      for (a = 0, b = 10; a < n && b > 0; a++, b -= 3) {}
      return [a, b];
    },
    inputs: [[0], [2], [10]],
  },
  {
    name: 'Array methods with index callbacks and early exits',
    fn: (xs: number[]) => [
      xs.some((x) => x > 2),
      xs.every((x) => x > 0),
      xs.findIndex((x) => x === 2),
      xs.findLast((x) => x % 2 === 1),
      xs.flatMap((x) => (x > 1 ? [x, x] : [])),
      xs.at(-1),
      xs.includes(Number.NaN),
      xs.indexOf(Number.NaN),
    ],
    inputs: [[[]], [[1, 2, 3]], [[Number.NaN, 4]]],
  },
  {
    name: 'returns a function that closes over loop state',
    fn: (n: number) => {
      const fs = [];
      for (let i = 0; i < n; i++) fs.push(() => i);
      return () => fs.map((f) => f()).join(',');
    },
    inputs: [[0], [3], [2]],
  },
  {
    name: 'in-place mutation of argument is observable in result',
    fn: (o: any) => {
      o.touched = true;
      for (const k of Object.keys(o)) if (typeof o[k] === 'number') o[k] *= 2;
      return o;
    },
    inputs: [[{}], [{ a: 1, b: 'x', c: 3 }], [{ touched: 0 }]],
  },
  {
    name: 'JSON round trip and Math in branches',
    fn: (v: unknown) => {
      const s = JSON.stringify(v);
      if (s === undefined) return 'unserializable';
      const back = JSON.parse(s);
      return typeof back === 'number' ? [Math.floor(back), Math.sign(back), Math.max(back, 0)] : back;
    },
    inputs: [[undefined], [3.7], [-2.5], [{ a: [1, null] }], ['s']],
  },
  {
    name: 'exotic numeric formatting',
    fn: (x: number) => [
      String(x),
      x.toFixed(2),
      (x * 100).toString(16),
      Number('0b101') + x,
      parseInt('08', 10),
    ],
    inputs: [[0], [-0], [1.005], [123.456]],
  },
  {
    name: 'typeof of locally declared and undefined-valued variables',
    fn: (c: boolean) => {
      let a;
      const f = () => {};
      let b = c ? 1 : 'one';
      return [typeof a, typeof f, typeof b, typeof null, typeof [], typeof typeof b];
    },
    inputs: [[true], [false], [0]],
  },
  {
    name: 'default parameters reading earlier parameters, used in a loop and a branch',
    fn: (a: number, b = a * 2, c = [a, b].map((v) => v + 1)) => {
      let s = 0;
      for (const v of c) {
        if (v > b) s += v;
        else s -= b;
      }
      return [a, b, c, s];
    },
    inputs: [[1], [3, 1], [2, 5, [9, 1]], [0, undefined, [4]]],
  },
  {
    name: 'misc: new.target read by the function (called as a function) and by a constructor inside it',
    fn: function (xs: number[]) {
      if (new.target) return 'constructed';
      function Box(this: any, v: number) {
        if (!new.target) return { plain: v };
        this.v = v > 1 ? v : -v;
        this.exact = new.target === Box;
      }
      const out: unknown[] = [];
      for (const x of xs) out.push(x % 2 === 0 ? new (Box as any)(x) : (Box as any)(x));
      const arrow = () => new.target === undefined;
      return [out, arrow()];
    },
    inputs: [[[]], [[1, 2, 3, 4]]],
  },
];
