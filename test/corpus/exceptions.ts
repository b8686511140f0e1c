// @ts-nocheck -- the corpus deliberately uses coercions and loose idioms that TypeScript rejects.
import type { CorpusCase } from './case.ts';

export const cases: CorpusCase[] = [
  {
    name: 'uncaught throw from loop body propagates',
    fn: (xs: number[]) => {
      let s = 0;
      for (const x of xs) {
        if (x < 0) throw new RangeError('negative: ' + x);
        s += x;
      }
      return s;
    },
    inputs: [[[]], [[1, 2]], [[1, -2, 3]]],
  },
  {
    name: 'throw from while condition',
    fn: (n: number) => {
      let i = 0;
      const check = () => {
        if (i > n) throw new Error('too far ' + i);
        return i < 3;
      };
      while (check()) i++;
      return i;
    },
    inputs: [[5], [1], [0]],
  },
  {
    name: 'throw from if condition caught outside',
    fn: (x: unknown) => {
      const log = [];
      try {
        if (x.length > 2) log.push('long');
        else log.push('short');
      } catch (e) {
        log.push(e.constructor.name);
      }
      return log;
    },
    inputs: [['abc'], [''], [null], [undefined]],
  },
  {
    name: 'caught inside loop, loop continues',
    fn: (xs: unknown[]) => {
      const out = [];
      for (const x of xs) {
        try {
          if (typeof x !== 'number') throw new TypeError('not a number: ' + String(x));
          out.push(x * 2);
        } catch (e) {
          out.push(e.message);
        }
      }
      return out;
    },
    inputs: [[[]], [[1, 'a', 2, null]], [[5]], [[undefined, {}]]],
  },
  {
    name: 'caught outside loop stops the loop',
    fn: (xs: number[]) => {
      const out = [];
      try {
        for (const x of xs) {
          if (x === 0) throw new Error('zero');
          out.push(1 / x);
        }
      } catch (e) {
        out.push('stopped:' + e.message);
      }
      return out;
    },
    inputs: [[[]], [[1, 2, 0, 4]], [[4]]],
  },
  {
    name: 'throw from nested function calls',
    fn: (depth: number) => {
      const f = (k) => {
        if (k === 0) throw new SyntaxError('bottom');
        return f(k - 1) + 1;
      };
      try {
        return f(depth);
      } catch (e) {
        return [e.name, e.message, e instanceof SyntaxError];
      }
    },
    inputs: [[0], [5], [2]],
  },
  {
    name: 'rethrow after logging',
    fn: (x: number) => {
      const log = [];
      try {
        try {
          if (x) throw new Error('inner ' + x);
          log.push('no throw');
        } catch (e) {
          log.push('caught ' + e.message);
          throw e;
        }
      } catch (e2) {
        log.push('outer ' + e2.message);
      }
      return log;
    },
    inputs: [[0], [1], [2]],
  },
  {
    name: 'rethrow escapes the function',
    fn: (x: number) => {
      try {
        if (x > 1) throw new RangeError('big');
        return 'ok';
      } catch (e) {
        if (x > 5) throw new TypeError('wrapped: ' + e.message);
        throw e;
      }
    },
    inputs: [[0], [3], [9]],
  },
  {
    name: 'TypeError from calling undefined',
    fn: (o: any) => {
      try {
        return o.f();
      } catch (e) {
        return [e.constructor.name, e.message];
      }
    },
    inputs: [[{}], [{ f: 1 }], [{ f: null }]],
  },
  {
    name: 'TypeError from calling undefined escapes uncaught',
    fn: (o: any) => {
      const g = o.g;
      return g(1);
    },
    inputs: [[{}], [{ g: 5 }], [{ g: null }]],
  },
  {
    name: 'TypeError from reading property of null/undefined',
    fn: (o: any) => {
      const out = [];
      try {
        out.push(o.a.b);
      } catch (e) {
        out.push(e.constructor.name + ':' + e.message);
      }
      try {
        out.push(o.a[0]);
      } catch (e) {
        out.push(e.constructor.name + ':' + e.message);
      }
      return out;
    },
    inputs: [[{}], [{ a: null }], [{ a: { b: 1 } }], [{ a: [7] }]],
  },
  {
    name: 'finally runs on normal, break, continue and throw paths',
    fn: (xs: number[]) => {
      const log = [];
      for (const x of xs) {
        try {
          if (x === 0) continue;
          if (x < 0) break;
          if (x > 100) throw new Error('huge');
          log.push('ok' + x);
        } catch (e) {
          log.push('catch ' + e.message);
        } finally {
          log.push('fin' + x);
        }
      }
      return log;
    },
    inputs: [[[]], [[1, 0, 200, 2, -1, 3]], [[300, 0]], [[-1, 5]]],
  },
  {
    name: 'break inside try with finally that only logs',
    fn: (n: number) => {
      const log = [];
      let i = 0;
      while (true) {
        try {
          if (i >= n) break;
          log.push('body' + i);
        } finally {
          log.push('finally' + i);
        }
        i++;
      }
      return log;
    },
    inputs: [[0], [2], [5]],
  },
  {
    name: 'labelled break through try/finally in nested loops',
    fn: (n: number) => {
      const log = [];
      outer: for (let i = 0; i < 3; i++) {
        try {
          for (let j = 0; j < 3; j++) {
            try {
              if (i * 3 + j === n) break outer;
              if (j === 1) continue outer;
              log.push(i + '' + j);
            } finally {
              log.push('f' + j);
            }
          }
        } finally {
          log.push('F' + i);
        }
      }
      return log;
    },
    inputs: [[0], [4], [100]],
  },
  {
    name: 'exception thrown in finally replaces pending throw',
    fn: (x: number) => {
      try {
        try {
          throw new Error('first');
        } finally {
          if (x) throw new Error('from finally');
        }
      } catch (e) {
        return e.message;
      }
    },
    inputs: [[0], [1], [2]],
  },
  {
    name: 'catch without binding',
    fn: (s: string) => {
      try {
        return JSON.parse(s);
      } catch {
        return 'invalid';
      }
    },
    inputs: [['1'], ['{"a":[1]}'], ['{bad']],
  },
  {
    name: 'uncaught JSON SyntaxError propagates with message',
    fn: (s: string) => JSON.parse(s),
    inputs: [['[1,2]'], ['{'], [''], ['[1,]']],
  },
  {
    name: 'throwing non-Error values',
    fn: (k: number) => {
      try {
        if (k === 0) throw 'a string';
        if (k === 1) throw 42;
        if (k === 2) throw null;
        if (k === 3) throw { code: 'E' };
        return 'none';
      } catch (e) {
        return [typeof e, e];
      }
    },
    inputs: [[0], [1], [2], [3], [4]],
  },
  {
    name: 'custom error class thrown from loop',
    fn: (xs: number[]) => {
      class ValidationError extends Error {
        constructor(msg, idx) {
          super(msg);
          this.name = 'ValidationError';
          this.idx = idx;
        }
      }
      try {
        xs.forEach((x, i) => {
          if (x !== x) throw new ValidationError('NaN found', i);
        });
        return 'valid';
      } catch (e) {
        return [e.name, e.message, e.idx, e instanceof ValidationError, e instanceof Error];
      }
    },
    inputs: [[[]], [[1, 2]], [[1, Number.NaN, 3]]],
  },
  {
    name: 'error thrown in for..of body calls iterator return()',
    fn: (bad: number) => {
      const log = [];
      const it = {
        [Symbol.iterator]() {
          let i = 0;
          return {
            next: () => (i < 4 ? { value: i++, done: false } : { done: true }),
            return: () => (log.push('return'), {}),
          };
        },
      };
      try {
        for (const v of it) {
          log.push(v);
          if (v === bad) throw new Error('bad ' + v);
        }
      } catch (e) {
        log.push(e.message);
      }
      return log;
    },
    inputs: [[1], [9], [2]],
  },
  {
    name: 'error thrown by iterator next() propagates without calling return()',
    fn: (bad: number) => {
      const log = [];
      const it = {
        [Symbol.iterator]() {
          let i = 0;
          return {
            next: () => {
              if (i === bad) throw new Error('next failed');
              return i < 3 ? { value: i++, done: false } : { done: true };
            },
            return: () => (log.push('return'), {}),
          };
        },
      };
      try {
        for (const v of it) log.push(v);
      } catch (e) {
        log.push(e.message);
      }
      return log;
    },
    inputs: [[0], [2], [9]],
  },
  {
    name: 'not iterable TypeError from for..of',
    fn: (v: any) => {
      const out = [];
      for (const x of v) out.push(x);
      return out;
    },
    inputs: [[[1]], [5], [{}], [null]],
  },
  {
    name: 'ReferenceError from TDZ access',
    fn: (c: boolean) => {
      try {
        if (c) return x;
        const x = 1;
        return x;
      } catch (e) {
        return [e.constructor.name, e.message];
      }
    },
    inputs: [[true], [false], [0]],
  },
  {
    name: 'catch binding shadows outer variable',
    fn: (x: number) => {
      const e = 'outer';
      let seen;
      try {
        if (x) throw new Error('E' + x);
      } catch (e) {
        seen = e.message;
      }
      return [e, seen];
    },
    inputs: [[0], [2], [5]],
  },
  {
    name: 'try/catch inside while with retries',
    fn: (failures: number) => {
      let attempts = 0;
      const log = [];
      const op = () => {
        attempts++;
        if (attempts <= failures) throw new Error('fail' + attempts);
        return 'success';
      };
      let result;
      while (attempts < 5) {
        try {
          result = op();
          break;
        } catch (e) {
          log.push(e.message);
        }
      }
      return [result, attempts, log];
    },
    inputs: [[0], [2], [10]],
  },
  {
    name: 'new on non-constructor throws TypeError',
    fn: (k: number) => {
      const arrow = () => 1;
      try {
        return k ? new arrow() : new Map([[1, 2]]).size;
      } catch (e) {
        return [e.constructor.name, e.message];
      }
    },
    inputs: [[0], [1], [2]],
  },
  {
    name: 'stack overflow RangeError caught',
    fn: (n: number) => {
      const f = (k) => (k <= 0 ? 0 : 1 + f(k - 1));
      try {
        return f(n);
      } catch (e) {
        return e.constructor.name;
      }
    },
    inputs: [[0], [10], [1e7]],
  },
];
