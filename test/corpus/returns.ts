// @ts-nocheck -- the corpus deliberately uses coercions and loose idioms that TypeScript rejects.
import type { CorpusCase } from './case.ts';

export const cases: CorpusCase[] = [
  {
    // the tail's `c` is declared before its block (a closure reads it); the early branch's own `c`
    // and the tail's destructuring assign are targets, not reads (they were wrapped in ag__.ld: a
    // SyntaxError)
    name: 'early return before a tail that redeclares a name destructured in the returning branch',
    fn: (x: number) => {
      const later = () => c;
      if (x > 0) {
        const [c, o] = [x, x + 1];
        return c * o;
      }
      let [c, d] = [x - 1, 2];
      [c, d] = [d, c];
      return [c, d, later()];
    },
    inputs: [[2], [-1], [0]],
  },
  {
    name: 'implicit undefined return',
    fn: (x: number) => {
      if (x) return;
      const y = x;
    },
    inputs: [[0], [1], [2]],
  },
  {
    name: 'return from inside while',
    fn: (xs: number[], t: number) => {
      let i = 0;
      while (i < xs.length) {
        if (xs[i] === t) return i;
        i++;
      }
      return -1;
    },
    inputs: [
      [[], 1],
      [[3, 1, 2], 1],
      [[3], 9],
    ],
  },
  {
    name: 'return from nested loops',
    fn: (n: number) => {
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          if (i * j === 6) return [i, j];
        }
      }
      return null;
    },
    inputs: [[0], [3], [4], [7]],
  },
  {
    name: 'return inside for..of stops and calls iterator return()',
    fn: (stop: number) => {
      const log = [];
      const it = {
        [Symbol.iterator]() {
          let i = 0;
          return {
            next: () => (log.push('n'), i < 4 ? { value: i++, done: false } : { done: true }),
            return: () => (log.push('R'), {}),
          };
        },
      };
      const f = () => {
        for (const v of it) {
          if (v === stop) return 'stopped' + v;
        }
        return 'done';
      };
      const r = f();
      return [r, log];
    },
    inputs: [[0], [3], [9]],
  },
  {
    name: 'return in converted function body from for..of directly',
    fn: (xs: number[]) => {
      for (const x of xs) {
        if (x > 2) return x;
      }
      return 'none';
    },
    inputs: [[[]], [[1, 3, 5]], [[1, 2]]],
  },
  {
    name: 'return inside switch inside loop',
    fn: (xs: string[]) => {
      const log = [];
      for (const x of xs) {
        switch (x) {
          case 'r':
            return ['returned', log];
          case 'b':
            break;
          default:
            log.push(x);
        }
      }
      return ['end', log];
    },
    inputs: [[[]], [['a', 'b', 'c']], [['a', 'r', 'c']]],
  },
  {
    name: 'return inside try',
    fn: (x: number) => {
      const log = [];
      const f = () => {
        try {
          if (x > 0) return 'pos';
          log.push('after-if');
        } catch (e) {
          return 'caught';
        }
        return 'fell';
      };
      return [f(), log];
    },
    inputs: [[1], [0], [2]],
  },
  {
    name: 'return inside try with logging finally',
    fn: (x: number) => {
      const log = [];
      const f = () => {
        try {
          log.push('try');
          if (x) return 'from-try';
          log.push('try-end');
        } finally {
          log.push('finally');
        }
        log.push('after');
        return 'end';
      };
      return [f(), log];
    },
    inputs: [[0], [1], [2]],
  },
  {
    name: 'return from try directly in converted function with finally',
    fn: (x: number) => {
      const log = [];
      try {
        log.push('t');
        if (x) return log;
      } finally {
        log.push('f');
      }
      log.push('end');
      return log;
    },
    inputs: [[0], [1], [2]],
  },
  {
    name: 'return value evaluated before finally runs',
    fn: (x: number) => {
      let v = x;
      const g = () => {
        try {
          return v;
        } finally {
          v = 99;
        }
      };
      return [g(), v];
    },
    inputs: [[1], [5], [2]],
  },
  {
    name: 'return inside catch',
    fn: (x: number) => {
      try {
        if (x < 0) throw new RangeError('neg ' + x);
        return 'ok';
      } catch (e) {
        return e.name + ':' + e.message;
      }
    },
    inputs: [[1], [-1], [2]],
  },
  {
    name: 'return inside catch with finally logging',
    fn: (x: number) => {
      const log = [];
      try {
        if (x) throw new Error('boom');
        log.push('no-throw');
      } catch (e) {
        log.push('catch');
        return log;
      } finally {
        log.push('finally');
      }
      log.push('end');
      return log;
    },
    inputs: [[0], [1], [2]],
  },
  {
    name: 'early return guard clauses',
    fn: (o: any) => {
      if (o == null) return 'nothing';
      if (typeof o !== 'object') return 'primitive:' + typeof o;
      if (Array.isArray(o)) return 'array:' + o.length;
      return 'object:' + Object.keys(o).length;
    },
    inputs: [[null], [undefined], [3], ['s'], [[1, 2]], [{ a: 1 }]],
  },
  {
    name: 'return in do..while',
    fn: (n: number) => {
      let i = 0;
      do {
        if (i * i > n) return i;
        i++;
      } while (i < 10);
      return 'limit';
    },
    inputs: [[-1], [10], [200]],
  },
  {
    name: 'return in labelled block',
    fn: (x: number) => {
      lbl: {
        if (x === 1) break lbl;
        if (x === 2) return 'two';
      }
      return 'after';
    },
    inputs: [[1], [2], [3]],
  },
  {
    name: 'return of comma expression and assignment',
    fn: (x: number) => {
      let a = 0;
      const f = () => (a++, a * x);
      const g = () => {
        return (a = x + 1);
      };
      return [f(), g(), a];
    },
    inputs: [[0], [3], [2]],
  },
  {
    name: 'return inside for..in',
    fn: (o: Record<string, number>) => {
      for (const k in o) {
        if (o[k] > 1) return k;
      }
    },
    inputs: [[{}], [{ a: 1, b: 2, c: 3 }], [{ a: 0 }]],
  },
  {
    name: 'returns from nested arrow do not exit outer function',
    fn: (xs: number[]) => {
      const out = [];
      xs.forEach((x) => {
        if (x % 2) return;
        out.push(x);
      });
      const firstBig = xs.find((x) => {
        if (x > 3) return true;
        return false;
      });
      return [out, firstBig];
    },
    inputs: [[[]], [[1, 2, 3, 4, 5]], [[0]]],
  },
  {
    name: 'return from while(true)',
    fn: (n: number) => {
      let a = 0;
      let b = 1;
      while (true) {
        if (b > n) return a;
        [a, b] = [b, a + b];
      }
    },
    inputs: [[0], [1], [100]],
  },
  {
    name: 'return after loop uses variables mutated in loop',
    fn: (xs: number[]) => {
      let max = -Infinity;
      let idx = -1;
      for (let i = 0; i < xs.length; i++) {
        if (xs[i] > max) {
          max = xs[i];
          idx = i;
        }
      }
      return { max, idx };
    },
    inputs: [[[]], [[3, 9, 2, 9]], [[-5]]],
  },
];
