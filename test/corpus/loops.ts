// @ts-nocheck -- the corpus deliberately uses coercions and loose idioms that TypeScript rejects.
import type { CorpusCase } from './case.ts';

export const cases: CorpusCase[] = [
  {
    name: 'while summing down',
    fn: (n: number) => {
      let s = 0;
      while (n > 0) {
        s += n;
        n--;
      }
      return [s, n];
    },
    inputs: [[0], [1], [5], [-2], [2.5]],
  },
  {
    name: 'while with complex condition evaluated per iteration',
    fn: (n: number) => {
      const log = [];
      let i = 0;
      while ((log.push('test' + i), i < n) && i !== 3) {
        log.push('body' + i);
        i++;
      }
      return log;
    },
    inputs: [[0], [2], [6]],
  },
  {
    name: 'while loop with no body statements',
    fn: (xs: number[]) => {
      let i = 0;
      while (i < xs.length && xs[i++] !== 0);
      return i;
    },
    inputs: [[[]], [[1, 2, 0, 4]], [[1, 2, 3]]],
  },
  {
    name: 'do..while runs at least once',
    fn: (n: number) => {
      const out = [];
      let i = n;
      do {
        out.push(i);
        i++;
      } while (i < 3);
      return out;
    },
    inputs: [[0], [3], [10], [-1]],
  },
  {
    name: 'do..while with side-effecting condition',
    fn: (n: number) => {
      const log = [];
      let i = 0;
      do log.push('b' + i);
      while ((log.push('c' + i), ++i < n));
      return log;
    },
    inputs: [[0], [1], [3]],
  },
  {
    name: 'for classic',
    fn: (n: number) => {
      const out = [];
      for (let i = 0; i < n; i++) out.push(i * i);
      return out;
    },
    inputs: [[0], [1], [4]],
  },
  {
    name: 'for with multiple init vars and comma update',
    fn: (n: number) => {
      const out = [];
      for (let i = 0, j = n; i < j; i++, j--) out.push([i, j]);
      return out;
    },
    inputs: [[0], [1], [4], [5]],
  },
  {
    name: 'for with empty test and break',
    fn: (n: number) => {
      let i = 0;
      for (;;) {
        if (i >= n) break;
        i += 2;
      }
      return i;
    },
    inputs: [[0], [3], [4]],
  },
  {
    name: 'for with empty init and update',
    fn: (n: number) => {
      let i = 0;
      const out = [];
      for (; i < n; ) {
        out.push(i);
        i += 3;
      }
      return [out, i];
    },
    inputs: [[0], [1], [7]],
  },
  {
    name: 'for with var declaration readable after loop',
    fn: (n: number) => {
      for (var i = 0; i < n; i++) {}
      return i;
    },
    inputs: [[0], [3], [2]],
  },
  {
    name: 'for with outer variable as counter',
    fn: (n: number) => {
      let i;
      let s = '';
      for (i = n; i > 0; i -= 1) s += i;
      return [s, i];
    },
    inputs: [[0], [3], [2]],
  },
  {
    name: 'for evaluation order of init/test/body/update',
    fn: (n: number) => {
      const log = [];
      const t = (tag, v) => (log.push(tag), v);
      for (let i = t('init', 0); t('test', i < n); t('update', i++)) log.push('body' + i);
      return log;
    },
    inputs: [[0], [2], [5]],
  },
  {
    name: 'for..of over array',
    fn: (xs: number[]) => {
      let s = 0;
      for (const x of xs) s += x;
      return s;
    },
    inputs: [[[]], [[1, 2, 3]], [[0.5, -1]]],
  },
  {
    name: 'for..of over string (code points)',
    fn: (s: string) => {
      const out = [];
      for (const ch of s) out.push(ch);
      return out;
    },
    inputs: [[''], ['abc'], ['a\u{1F600}b']],
  },
  {
    name: 'for..of over Map entries',
    fn: (pairs: [string, number][]) => {
      const m = new Map(pairs);
      const out = [];
      for (const entry of m) out.push(entry[0] + '=' + entry[1]);
      for (const k of m.keys()) out.push(k);
      return out;
    },
    inputs: [
      [[]],
      [
        [
          ['a', 1],
          ['b', 2],
        ],
      ],
      [
        [
          ['k', 1],
          ['k', 2],
        ],
      ],
    ],
  },
  {
    name: 'for..of over Set with duplicates',
    fn: (xs: number[]) => {
      const out = [];
      for (const v of new Set(xs)) out.push(v);
      return out;
    },
    inputs: [[[]], [[1, 1, 2, 3, 2]], [[Number.NaN, Number.NaN, 0, -0]]],
  },
  {
    name: 'for..of over array mutated during iteration',
    fn: (xs: number[]) => {
      const out = [];
      for (const x of xs) {
        out.push(x);
        if (x > 0 && xs.length < 6) xs.push(x - 1);
      }
      return out;
    },
    inputs: [[[]], [[2]], [[1, 3]]],
  },
  {
    name: 'for..of with let binding reassigned in body',
    fn: (xs: number[]) => {
      const out = [];
      for (let x of xs) {
        x *= 2;
        out.push(x);
      }
      return [out, xs];
    },
    inputs: [[[]], [[1, 2]], [[-0.5, 'a']]],
  },
  {
    name: 'for..of with existing variable as target',
    fn: (xs: number[]) => {
      let last = 'none';
      for (last of xs);
      return last;
    },
    inputs: [[[]], [[1, 2, 3]], [[undefined]]],
  },
  {
    name: 'for..of with member expression target',
    fn: (xs: number[]) => {
      const o = { cur: -1, seen: [] };
      for (o.cur of xs) o.seen.push(o.cur);
      return o;
    },
    inputs: [[[]], [[4, 5]], [[null]]],
  },
  {
    name: 'for..of over custom iterator runs to completion without return()',
    fn: (n: number) => {
      const log = [];
      const it = {
        [Symbol.iterator]() {
          let i = 0;
          return {
            next() {
              log.push('next' + i);
              return i < n ? { value: i++, done: false } : { value: 'ret', done: true };
            },
            return() {
              log.push('return');
              return { done: true };
            },
          };
        },
      };
      for (const v of it) log.push('v' + v);
      return log;
    },
    inputs: [[0], [3], [2]],
  },
  {
    name: 'for..in over object keys in order',
    fn: (o: Record<string, unknown>) => {
      const keys = [];
      for (const k in o) keys.push(k);
      return keys;
    },
    inputs: [[{}], [{ b: 1, a: 2, 2: 'x', 1: 'y' }], [{ z: 1, '-1': 2, '01': 3 }]],
  },
  {
    name: 'for..in includes inherited enumerable keys',
    fn: (n: number) => {
      const proto = { inherited: 1 };
      const o = Object.create(proto);
      for (let i = 0; i < n; i++) o['own' + i] = i;
      const out = [];
      for (const k in o) out.push(k);
      return out;
    },
    inputs: [[0], [2], [5]],
  },
  {
    name: 'for..in over array and string',
    fn: (xs: unknown[], s: string) => {
      const out = [];
      for (const i in xs) out.push(typeof i + i);
      for (const j in s) out.push(j);
      return out;
    },
    inputs: [
      [[], ''],
      [['a', 'b'], 'xyz'],
      [[1], 'q'],
    ],
  },
  {
    name: 'for..in over null and undefined runs zero times',
    fn: (o: unknown) => {
      let n = 0;
      for (const k in o) n++;
      return n;
    },
    inputs: [[null], [undefined], [5], [{ a: 1 }]],
  },
  {
    name: 'for..in with deletion during iteration',
    fn: (n: number) => {
      const o = { a: 1, b: 2, c: 3, d: 4 };
      const seen = [];
      for (const k in o) {
        seen.push(k);
        if (k === 'a' && n) delete o.c;
      }
      return seen;
    },
    inputs: [[0], [1], [2]],
  },
  {
    name: 'while with nested for computing primes',
    fn: (limit: number) => {
      const primes = [];
      let c = 2;
      while (c <= limit) {
        let isPrime = true;
        for (let d = 2; d * d <= c; d++) {
          if (c % d === 0) {
            isPrime = false;
            break;
          }
        }
        if (isPrime) primes.push(c);
        c++;
      }
      return primes;
    },
    inputs: [[1], [2], [30]],
  },
  {
    name: 'loop variable modified inside for body',
    fn: (n: number) => {
      const out = [];
      for (let i = 0; i < n; i++) {
        if (i % 3 === 0) i++;
        out.push(i);
      }
      return out;
    },
    inputs: [[0], [1], [10]],
  },
  {
    name: 'loop over array with holes',
    fn: (k: number) => {
      const xs = [1, , 3];
      xs.length = k;
      const a = [];
      const b = [];
      for (const x of xs) a.push(x);
      for (const i in xs) b.push(i);
      return [a, b];
    },
    inputs: [[0], [3], [5]],
  },
  {
    name: 'for..of iterates string object and arguments-like array',
    fn: (s: string) => {
      const out = [];
      for (const c of new String(s)) out.push(c);
      for (const c of Array.from({ length: s.length }, (_, i) => i)) out.push(c);
      return out;
    },
    inputs: [[''], ['hi'], ['\u{1F600}x']],
  },
  {
    name: 'Collatz steps with while',
    fn: (n: number) => {
      let steps = 0;
      while (n !== 1 && steps < 1000) {
        n = n % 2 === 0 ? n / 2 : 3 * n + 1;
        steps++;
      }
      return steps;
    },
    inputs: [[1], [6], [27]],
  },
  {
    name: 'do..while with continue goes to condition',
    fn: (n: number) => {
      const log = [];
      let i = 0;
      do {
        i++;
        if (i % 2) continue;
        log.push(i);
      } while ((log.push('c'), i < n));
      return log;
    },
    inputs: [[0], [1], [4]],
  },
];
