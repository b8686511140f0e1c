// @ts-nocheck -- the corpus deliberately uses coercions and loose idioms that TypeScript rejects.
import type { CorpusCase } from './case.ts';

export const cases: CorpusCase[] = [
  {
    name: 'inner let read before its declaration after an early-return if (TDZ under shadowing)',
    fn: (c: boolean) => {
      const x = 'outer';
      {
        if (c) return x;
        let x = 'inner';
        return x;
      }
    },
    inputs: [[true], [false], [0]],
  },
  {
    name: 'closures in for let loop with continue still get per-iteration bindings',
    fn: (n: number) => {
      const fns = [];
      for (let i = 0; i < n; i++) {
        if (i % 2) {
          fns.push(() => 'odd' + i);
          continue;
        }
        fns.push(() => i);
      }
      return fns.map((f) => f());
    },
    inputs: [[0], [1], [5]],
  },
  {
    name: 'closures in nested for loops capture both bindings',
    fn: (n: number) => {
      const fns = [];
      for (let i = 0; i < n; i++) {
        for (let j = i; j < n; j++) {
          if (j === 2) break;
          fns.push(() => [i, j]);
        }
      }
      return fns.map((f) => f());
    },
    inputs: [[0], [2], [4]],
  },
  {
    name: 'closures in loop body let shadowing an outer variable',
    fn: (n: number) => {
      const x = 'outer';
      const fns = [];
      let k = 0;
      while (k < n) {
        let x = k * 3;
        fns.push(() => x);
        x++;
        k++;
      }
      return [x, fns.map((f) => f())];
    },
    inputs: [[0], [1], [3]],
  },
  {
    name: 'closures capture per-iteration let bindings in for',
    fn: (n: number) => {
      const fns = [];
      for (let i = 0; i < n; i++) fns.push(() => i);
      return fns.map((f) => f());
    },
    inputs: [[0], [1], [4]],
  },
  {
    name: 'closures capture per-iteration binding modified in body',
    fn: (n: number) => {
      const fns = [];
      for (let i = 0; i < n; i++) {
        fns.push(() => i);
        i++;
      }
      return fns.map((f) => f());
    },
    inputs: [[0], [1], [6]],
  },
  {
    name: 'closure mutating its per-iteration binding does not affect the loop',
    fn: (n: number) => {
      const incs = [];
      const gets = [];
      for (let i = 0; i < n; i++) {
        incs.push(() => (i += 10));
        gets.push(() => i);
      }
      incs.forEach((f) => f());
      return gets.map((g) => g());
    },
    inputs: [[0], [3], [2]],
  },
  {
    name: 'closures in for init see the initial binding, not later copies',
    fn: (n: number) => {
      const fns = [];
      for (let i = 0, f = () => i; i < n; i++) fns.push(f, () => i);
      return fns.map((g) => g());
    },
    inputs: [[0], [3], [2]],
  },
  {
    name: 'closures created in for update capture the next iteration binding',
    fn: (n: number) => {
      const fns = [];
      for (let i = 0; i < n; fns.push(() => i), i++) {}
      return fns.map((g) => g());
    },
    inputs: [[0], [3], [2]],
  },
  {
    name: 'closures created in for test expression',
    fn: (n: number) => {
      const fns = [];
      for (let i = 0; fns.push(() => i) && i < n; i++) {}
      return fns.map((g) => g());
    },
    inputs: [[0], [2], [5]],
  },
  {
    name: 'var in for loop is shared by all closures',
    fn: (n: number) => {
      const fns = [];
      for (var i = 0; i < n; i++) fns.push(() => i);
      return fns.map((f) => f());
    },
    inputs: [[0], [3], [2]],
  },
  {
    name: 'closures capture const in for..of',
    fn: (xs: string[]) => {
      const fns = [];
      for (const x of xs) fns.push(() => x + '!');
      return fns.map((f) => f());
    },
    inputs: [[[]], [['a', 'b', 'c']], [['x']]],
  },
  {
    name: 'closures capture let in for..in and body-declared const',
    fn: (o: Record<string, number>) => {
      const fns = [];
      for (let k in o) {
        const v = o[k] * 2;
        fns.push(() => k + v);
        k = k.toUpperCase();
      }
      return fns.map((f) => f());
    },
    inputs: [[{}], [{ a: 1, b: 2 }], [{ 2: 3, 1: 4, z: 0 }]],
  },
  {
    name: 'closures capture loop-body let in while with continue',
    fn: (n: number) => {
      const fns = [];
      let i = 0;
      while (i < n) {
        const j = i * 10;
        i++;
        if (j === 10) continue;
        fns.push(() => j);
      }
      return fns.map((f) => f());
    },
    inputs: [[0], [4], [2]],
  },
  {
    name: 'closures with break capture the correct binding',
    fn: (n: number) => {
      const fns = [];
      for (let i = 0; i < 10; i++) {
        fns.push(() => i);
        if (i === n) break;
      }
      return fns.map((f) => f());
    },
    inputs: [[0], [3], [20]],
  },
  {
    name: 'counter closure state',
    fn: (n: number) => {
      const makeCounter = () => {
        let c = 0;
        return { inc: () => ++c, get: () => c };
      };
      const a = makeCounter();
      const b = makeCounter();
      for (let i = 0; i < n; i++) a.inc();
      b.inc();
      return [a.get(), b.get()];
    },
    inputs: [[0], [5], [2]],
  },
  {
    name: 'returned closure is compared by calling it',
    fn: (n: number) => {
      let total = 0;
      for (let i = 1; i <= n; i++) total += i;
      return () => total * 2;
    },
    inputs: [[0], [4], [2]],
  },
  {
    name: 'recursion through a const arrow bound inside',
    fn: (n: number) => {
      const fact = (k) => (k <= 1 ? 1 : k * fact(k - 1));
      return fact(n);
    },
    inputs: [[0], [1], [5], [20]],
  },
  {
    name: 'recursive function declaration with loops',
    fn: (n: number) => {
      function fib(k) {
        if (k < 2) return k;
        let s = 0;
        for (let i = 1; i <= 2; i++) s += fib(k - i);
        return s;
      }
      return [fib(n), fib(0)];
    },
    inputs: [[0], [1], [10]],
  },
  {
    name: 'mutual recursion between inner functions',
    fn: (n: number) => {
      function isEven(k) {
        return k === 0 ? true : isOdd(k - 1);
      }
      function isOdd(k) {
        return k === 0 ? false : isEven(k - 1);
      }
      return [isEven(n), isOdd(n)];
    },
    inputs: [[0], [7], [10]],
  },
  {
    name: 'recursive flatten with for..of and Array.isArray',
    fn: (xs: unknown[]) => {
      const out = [];
      const walk = (v, depth) => {
        if (Array.isArray(v)) {
          for (const e of v) walk(e, depth + 1);
        } else out.push(v + '@' + depth);
      };
      walk(xs, 0);
      return out;
    },
    inputs: [[[]], [[1, [2, [3, [4]]], 5]], [[[[[]]]]], [['a', ['b']]]],
  },
  {
    name: 'object methods using this',
    fn: (n: number) => {
      const acc = {
        total: 0,
        items: [],
        add(x) {
          this.total += x;
          this.items.push(x);
          return this;
        },
        addAll(xs) {
          for (const x of xs) {
            if (x < 0) continue;
            this.add(x);
          }
          return this;
        },
      };
      const xs = [];
      for (let i = -1; i < n; i++) xs.push(i);
      acc.addAll(xs).add(100);
      return [acc.total, acc.items];
    },
    inputs: [[0], [4], [2]],
  },
  {
    name: 'arrow functions capture this lexically inside methods',
    fn: (n: number) => {
      const o = {
        base: n,
        compute(xs) {
          return xs.map((x) => x + this.base);
        },
      };
      return o.compute([1, 2, 3]);
    },
    inputs: [[0], [10], [2]],
  },
  {
    name: 'unbound function call has undefined this (strict)',
    fn: (n: number) => {
      const o = {
        v: n,
        m() {
          return this === undefined ? 'undefined this' : this.v;
        },
      };
      const m = o.m;
      return [o.m(), m(), (0, o.m)(), o['m'](), m.call({ v: 'called' })];
    },
    inputs: [[1], [2], [5]],
  },
  {
    name: 'class defined inside with loops in methods',
    fn: (n: number) => {
      class Stack {
        constructor() {
          this.items = [];
        }
        push(...xs) {
          for (const x of xs) this.items.push(x);
          return this;
        }
        popWhile(pred) {
          const out = [];
          while (this.items.length && pred(this.items[this.items.length - 1])) out.push(this.items.pop());
          return out;
        }
        get size() {
          return this.items.length;
        }
      }
      const s = new Stack();
      for (let i = 0; i < n; i++) s.push(i, i * 10);
      const popped = s.popWhile((x) => x >= 10);
      return [popped, s.size, s instanceof Stack, s.constructor.name];
    },
    inputs: [[0], [1], [4]],
  },
  {
    name: 'class with static members, private fields and accessors',
    fn: (n: number) => {
      class Sq {
        static count = 0;
        #side;
        constructor(s) {
          this.#side = s;
          Sq.count++;
        }
        get side() {
          return this.#side;
        }
        set side(v) {
          this.#side = v < 0 ? 0 : v;
        }
        area() {
          let a = 0;
          for (let i = 0; i < this.#side; i++) a += this.#side;
          return a;
        }
        static describeAll(list) {
          const out = [];
          for (const s of list) {
            if (s.area() === 0) continue;
            out.push(s.side + ':' + s.area());
          }
          return out;
        }
      }
      const list = [];
      for (let i = 0; i <= n; i++) list.push(new Sq(i));
      list[0].side = -5;
      if (n > 1) list[1].side = 7;
      return [Sq.describeAll(list), Sq.count, list[0].side];
    },
    inputs: [[0], [3], [2]],
  },
  {
    name: 'class inheritance with super calls inside the function',
    fn: (n: number) => {
      class Shape {
        constructor(name) {
          this.name = name;
        }
        describe() {
          return this.name + ':' + this.area();
        }
        area() {
          return 0;
        }
      }
      class Rect extends Shape {
        constructor(w, h) {
          super('rect');
          this.w = w;
          this.h = h;
        }
        area() {
          let a = 0;
          for (let i = 0; i < this.h; i++) a += this.w;
          return a;
        }
        describe() {
          return '[' + super.describe() + ']';
        }
      }
      const out = [];
      for (let i = 0; i <= n; i++) out.push(new Rect(i, 2).describe());
      out.push(new Shape('s').describe(), new Rect(1, 1) instanceof Shape);
      return out;
    },
    inputs: [[0], [3], [2]],
  },
  {
    name: 'shadowing inside loops and branches',
    fn: (x: number) => {
      const log = [];
      let v = 'outer';
      for (let i = 0; i < x; i++) {
        let v = 'loop' + i;
        if (i % 2) {
          const v = 'branch' + i;
          log.push(v);
        }
        log.push(v);
      }
      {
        const v = 'block';
        log.push(v);
      }
      log.push(v);
      return log;
    },
    inputs: [[0], [3], [2]],
  },
  {
    name: 'parameter shadowed in block',
    fn: (a: number, b: number) => {
      const out = [];
      if (a > 0) {
        const a = 'shadow';
        out.push(a);
      }
      for (let b = 0; b < 2; b++) out.push(b);
      out.push(a, b);
      return out;
    },
    inputs: [[1, 9], [0, 8], [-1]],
  },
  {
    name: 'inner function shadowing a loop variable name',
    fn: (n: number) => {
      const out = [];
      for (let i = 0; i < n; i++) {
        const f = (i) => i * 100;
        out.push(f(i + 1), i);
      }
      return out;
    },
    inputs: [[0], [3], [2]],
  },
  {
    name: 'closures over variables updated after closure creation',
    fn: (n: number) => {
      let x = 0;
      const get = () => x;
      const before = get();
      for (let i = 0; i < n; i++) x += i;
      return [before, get()];
    },
    inputs: [[0], [5], [2]],
  },
  {
    name: 'IIFE inside loop body',
    fn: (n: number) => {
      const out = [];
      for (let i = 0; i < n; i++) {
        out.push(
          ((k) => {
            if (k % 2) return 'odd' + k;
            return 'even' + k;
          })(i),
        );
      }
      return out;
    },
    inputs: [[0], [3], [2]],
  },
  {
    name: 'higher-order functions with callbacks containing control flow',
    fn: (xs: number[]) => {
      const evens = xs.filter((x) => {
        if (x % 2 !== 0) return false;
        return true;
      });
      const sum = xs.reduce((acc, x) => {
        let s = acc;
        for (let i = 0; i < x; i++) s++;
        return s;
      }, 0);
      const sorted = [...xs].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
      return [evens, sum, sorted];
    },
    inputs: [[[]], [[3, 1, 4, 1, 5, 9, 2, 6]], [[2]], [[0, -1, 8]]],
  },
  {
    name: 'function declared inside and hoisted above its use',
    fn: (n: number) => {
      const r = helper(n);
      function helper(k) {
        let s = 0;
        while (k > 0) s += k--;
        return s;
      }
      return r;
    },
    inputs: [[0], [4], [2]],
  },
  {
    name: 'default parameter referencing earlier parameter and closure',
    fn: (a: number, b?: number) => {
      const inner = (x, y = x * 2, z = () => x + y) => [x, y, z()];
      return [inner(a), inner(a, b), inner(a, undefined)];
    },
    inputs: [[1], [2, 5], [0, 0]],
  },
  {
    name: 'calls to functions declared in the function (direct in the eager form)',
    fn: (n: number) => {
      const out = [];
      const twice = (x) => x * 2;
      function fact(k) {
        return k <= 1 ? 1 : k * fact(k - 1);
      }
      const inner = (twice) => twice(n);
      out.push(
        twice(n),
        fact(n),
        inner((x) => x + 100),
      );
      try {
        out.push(late(n));
      } catch (e) {
        out.push(e.constructor.name);
      }
      const late = (x) => x - 1;
      out.push(late(n), [1, 2].map(twice));
      return out;
    },
    inputs: [[0], [3], [5]],
  },
];
