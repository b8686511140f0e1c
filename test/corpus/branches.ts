// @ts-nocheck -- the corpus deliberately uses coercions and loose idioms that TypeScript rejects.
import type { CorpusCase } from './case.ts';

export const cases: CorpusCase[] = [
  {
    name: 'if without else',
    fn: (x: number) => {
      let r = 'start';
      if (x > 0) r = 'positive';
      return r;
    },
    inputs: [[1], [0], [-1], [Number.NaN]],
  },
  {
    name: 'if/else chain with four arms',
    fn: (x: number) => {
      if (x < 0) {
        return 'neg';
      } else if (x === 0) {
        return 'zero';
      } else if (x < 10) {
        return 'small';
      } else {
        return 'big';
      }
    },
    inputs: [[-3], [0], [-0], [5], [10], [Number.NaN]],
  },
  {
    name: 'if/else chain assigning without return',
    fn: (x: number) => {
      let kind;
      if (x % 15 === 0) kind = 'fizzbuzz';
      else if (x % 5 === 0) kind = 'buzz';
      else if (x % 3 === 0) kind = 'fizz';
      else kind = x;
      return kind;
    },
    inputs: [[15], [10], [9], [7], [0]],
  },
  {
    name: 'truthiness of various values in if',
    fn: (v: unknown) => {
      const out = [];
      if (v) out.push('truthy');
      else out.push('falsy');
      if (!v) out.push('not');
      if (v == null) out.push('nullish');
      return out;
    },
    inputs: [[0], [''], [null], [undefined], ['0'], [[]], [{}], [Number.NaN], [-0], [1n], [0n]],
  },
  {
    name: 'condition evaluated exactly once with side effects',
    fn: (x: number) => {
      const log = [];
      const t = (tag, v) => (log.push(tag), v);
      if (t('c1', x > 1)) log.push('then1');
      else if (t('c2', x > 0)) log.push('then2');
      else log.push('else');
      return log;
    },
    inputs: [[2], [1], [0]],
  },
  {
    name: 'nested if without braces (dangling else)',
    fn: (a: boolean, b: boolean) => {
      let r = 0;
      if (a)
        if (b) r = 1;
        else r = 2;
      return r;
    },
    inputs: [
      [true, true],
      [true, false],
      [false, true],
      [false, false],
    ],
  },
  {
    name: 'variables assigned in only one branch stay undefined',
    fn: (c: boolean) => {
      let a;
      let b = 1;
      if (c) {
        a = 5;
        b = a * 2;
      }
      return [a, b, typeof a];
    },
    inputs: [[true], [false], [1], ['']],
  },
  {
    name: 'let declared inside branch shadows outer',
    fn: (c: boolean) => {
      const x = 'outer';
      let seen;
      if (c) {
        const x = 'inner';
        seen = x;
      } else {
        let x = 'else';
        x += '!';
        seen = x;
      }
      return [x, seen];
    },
    inputs: [[true], [false], [0], ['x']],
  },
  {
    name: 'ternary simple',
    fn: (x: number) => (x > 0 ? 'pos' : x < 0 ? 'neg' : 'zero'),
    inputs: [[1], [-1], [0], [Number.NaN]],
  },
  {
    name: 'nested ternary with side effects only on taken arms',
    fn: (a: number, b: number) => {
      const log = [];
      const t = (tag, v) => (log.push(tag), v);
      const r = t('a', a) ? (t('b', b) ? t('ab', 1) : t('a!b', 2)) : t('b2', b) ? t('!ab', 3) : t('!a!b', 4);
      return [r, log];
    },
    inputs: [
      [1, 1],
      [1, 0],
      [0, 1],
      [0, 0],
    ],
  },
  {
    name: 'ternary returning objects and functions',
    fn: (c: boolean) => {
      const o = c ? { k: 'yes' } : [1, 2];
      const f = c ? () => 'f1' : () => 'f2';
      return [o, f()];
    },
    inputs: [[true], [false], [null], [[]]],
  },
  {
    name: 'ternary as statement with side effects',
    fn: (x: number) => {
      const log = [];
      x > 2 ? log.push('big') : log.push('small');
      x ? log.push('nonzero') : null;
      return log;
    },
    inputs: [[3], [1], [0]],
  },
  {
    name: 'ternary in loop condition and update',
    fn: (n: number) => {
      const out = [];
      for (let i = 0; i < (n > 3 ? 3 : n); i += i % 2 ? 2 : 1) out.push(i);
      return out;
    },
    inputs: [[0], [2], [5]],
  },
  {
    name: 'if with assignment in condition',
    fn: (xs: number[]) => {
      let m;
      let count = 0;
      if ((m = xs.length) > 2) count = m;
      if ((m = xs[0])) count += 100;
      return [m, count];
    },
    inputs: [[[]], [[0, 1, 2]], [[5]], [[4, 5, 6, 7]]],
  },
  {
    name: 'if with comma operator in condition',
    fn: (x: number) => {
      const log = [];
      if ((log.push('first'), x)) log.push('then');
      return log;
    },
    inputs: [[0], [1], [2]],
  },
  {
    name: 'empty branches and empty statements',
    fn: (x: number) => {
      let r = 0;
      if (x) {
      } else {
        r = 1;
      }
      if (x > 1);
      if (x > 2) {
      }
      return r;
    },
    inputs: [[0], [1], [3]],
  },
  {
    name: 'if/else returning from some branches only',
    fn: (x: number) => {
      if (x > 5) return 'early';
      let y = x;
      if (x > 2) {
        y *= 10;
      } else {
        if (x < 0) return 'negative';
        y += 1;
      }
      return y;
    },
    inputs: [[6], [3], [1], [-1]],
  },
  {
    name: 'getter read in if condition is called each time',
    fn: (n: number) => {
      const log = [];
      const o = {
        get v() {
          log.push('get');
          return n;
        },
      };
      if (o.v > 1 && o.v < 5) log.push('in');
      else if (o.v === 0) log.push('zero');
      return log;
    },
    inputs: [[0], [2], [7]],
  },
  {
    name: 'object valueOf called by comparison in condition',
    fn: (n: number) => {
      const log = [];
      const a = {
        valueOf() {
          log.push('a');
          return n;
        },
      };
      const b = {
        valueOf() {
          log.push('b');
          return 3;
        },
      };
      if (a < b) log.push('lt');
      if (a >= b) log.push('ge');
      return log;
    },
    inputs: [[1], [3], [5], [Number.NaN]],
  },
  {
    name: 'deep branch nesting with early exit',
    fn: (a: number, b: number, c: number) => {
      if (a) {
        if (b) {
          if (c) return 'abc';
          return 'ab';
        } else if (c) {
          return 'ac';
        }
      } else {
        if (b && c) return 'bc';
      }
      return 'none';
    },
    inputs: [
      [1, 1, 1],
      [1, 1, 0],
      [1, 0, 1],
      [1, 0, 0],
      [0, 1, 1],
      [0, 0, 1],
    ],
  },
];
