// @ts-nocheck -- the corpus deliberately uses coercions and loose idioms that TypeScript rejects.
import type { CorpusCase } from './case.ts';

export const cases: CorpusCase[] = [
  {
    name: 'break in while',
    fn: (xs: number[]) => {
      let i = 0;
      while (i < xs.length) {
        if (xs[i] < 0) break;
        i++;
      }
      return i;
    },
    inputs: [[[]], [[1, 2, -1, 3]], [[1, 2]]],
  },
  {
    name: 'continue in for skips rest of body but runs update',
    fn: (n: number) => {
      const log = [];
      for (let i = 0; i < n; log.push('u' + i), i++) {
        if (i % 2 === 0) continue;
        log.push('b' + i);
      }
      return log;
    },
    inputs: [[0], [1], [5]],
  },
  {
    name: 'continue in while re-evaluates condition',
    fn: (n: number) => {
      let i = 0;
      let s = 0;
      while (i < n) {
        i++;
        if (i === 2) continue;
        s += i;
      }
      return s;
    },
    inputs: [[0], [2], [5]],
  },
  {
    name: 'break and continue in for..of',
    fn: (xs: number[]) => {
      const out = [];
      for (const x of xs) {
        if (x === 0) continue;
        if (x < 0) break;
        out.push(x);
      }
      return out;
    },
    inputs: [[[]], [[1, 0, 2, -1, 3]], [[0, 0]]],
  },
  {
    name: 'break out of for..of calls iterator return() once',
    fn: (stopAt: number) => {
      const log = [];
      const it = {
        [Symbol.iterator]() {
          let i = 0;
          return {
            next() {
              log.push('next');
              return i < 5 ? { value: i++, done: false } : { done: true };
            },
            return(v) {
              log.push('return:' + typeof v);
              return { done: true };
            },
          };
        },
      };
      for (const v of it) {
        log.push(v);
        if (v === stopAt) break;
      }
      return log;
    },
    inputs: [[0], [2], [9]],
  },
  {
    name: 'continue in for..of over iterator does not call return()',
    fn: (n: number) => {
      const log = [];
      const it = {
        [Symbol.iterator]() {
          let i = 0;
          return {
            next: () => (i < n ? { value: i++, done: false } : { done: true }),
            return: () => (log.push('return'), { done: true }),
          };
        },
      };
      for (const v of it) {
        if (v % 2) continue;
        log.push(v);
      }
      return log;
    },
    inputs: [[0], [4], [2]],
  },
  {
    name: 'labelled break out of two loops',
    fn: (grid: number[][], target: number) => {
      let found = null;
      outer: for (let r = 0; r < grid.length; r++) {
        for (let c = 0; c < grid[r].length; c++) {
          if (grid[r][c] === target) {
            found = [r, c];
            break outer;
          }
        }
      }
      return found;
    },
    inputs: [
      [[], 1],
      [
        [
          [1, 2],
          [3, 4],
        ],
        3,
      ],
      [[[1, 2], [3]], 9],
    ],
  },
  {
    name: 'labelled continue across two loops',
    fn: (n: number) => {
      const out = [];
      outer: for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          if (j > i) continue outer;
          out.push('' + i + j);
        }
        out.push('end' + i);
      }
      return out;
    },
    inputs: [[0], [1], [3]],
  },
  {
    name: 'labelled break and continue across three loop levels',
    fn: (n: number) => {
      const log = [];
      a: for (let i = 0; i < n; i++) {
        b: for (let j = 0; j < n; j++) {
          for (let k = 0; k < n; k++) {
            if (k === 1 && j === 0) continue b;
            if (k === 2) continue a;
            if (i === 2 && j === 1) break a;
            if (j === 2) break b;
            log.push([i, j, k].join(''));
          }
          log.push('j' + j);
        }
        log.push('i' + i);
      }
      return log;
    },
    inputs: [[0], [1], [2], [4]],
  },
  {
    name: 'labelled continue from while inside for..of',
    fn: (xs: number[]) => {
      const log = [];
      outer: for (const x of xs) {
        let k = 0;
        while (k < 5) {
          k++;
          if (k > x) continue outer;
          log.push(x + ':' + k);
        }
        log.push('full' + x);
      }
      return log;
    },
    inputs: [[[]], [[0, 2, 6]], [[5, 1]]],
  },
  {
    name: 'labelled block with break label',
    fn: (x: number) => {
      const log = [];
      block: {
        log.push('a');
        if (x > 0) break block;
        log.push('b');
        if (x === 0) break block;
        log.push('c');
      }
      log.push('after');
      return log;
    },
    inputs: [[1], [0], [-1]],
  },
  {
    name: 'nested labelled blocks',
    fn: (x: number) => {
      const log = [];
      outer: {
        inner: {
          if (x === 1) break inner;
          if (x === 2) break outer;
          log.push('inner-end');
        }
        log.push('outer-end');
      }
      return log;
    },
    inputs: [[0], [1], [2]],
  },
  {
    name: 'break label of block from inside a loop',
    fn: (xs: number[]) => {
      let r = 'none';
      search: {
        for (const x of xs) {
          if (x > 10) {
            r = 'found ' + x;
            break search;
          }
        }
        r = 'not found';
      }
      return r;
    },
    inputs: [[[]], [[1, 20, 30]], [[1, 2]]],
  },
  {
    name: 'labelled do..while continue',
    fn: (n: number) => {
      const log = [];
      let i = 0;
      loop: do {
        i++;
        for (let j = 0; j < 3; j++) {
          if (j === 1) continue loop;
          log.push(i + '.' + j);
        }
      } while (i < n);
      return log;
    },
    inputs: [[0], [3], [2]],
  },
  {
    name: 'break inside nested loop only exits the inner loop',
    fn: (n: number) => {
      let count = 0;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < 10; j++) {
          if (j === i) break;
          count++;
        }
      }
      return count;
    },
    inputs: [[0], [1], [5]],
  },
  {
    name: 'break inside for..of inside if inside while with early return',
    fn: (rows: number[][], limit: number) => {
      let total = 0;
      let r = 0;
      while (r < rows.length) {
        if (rows[r].length > 0) {
          for (const x of rows[r]) {
            if (x < 0) break;
            total += x;
            if (total > limit) return 'over:' + total;
          }
        }
        r++;
      }
      return total;
    },
    inputs: [
      [[], 10],
      [[[1, 2], [], [3, -1, 50]], 10],
      [[[1, 2], [20]], 10],
      [
        [
          [5, 5],
          [-1, 100],
        ],
        100,
      ],
    ],
  },
  {
    name: 'break out of for..of over iterator from nested loop via label calls return()',
    fn: (n: number) => {
      const log = [];
      const make = (name) => ({
        [Symbol.iterator]() {
          let i = 0;
          return {
            next: () => (i < 3 ? { value: i++, done: false } : { done: true }),
            return: () => (log.push('ret-' + name), { done: true }),
          };
        },
      });
      outer: for (const a of make('A')) {
        for (const b of make('B')) {
          if (a + b === n) break outer;
          if (b === a) continue outer;
          log.push(a + '' + b);
        }
      }
      return log;
    },
    inputs: [[0], [2], [3], [99]],
  },
  {
    name: 'continue in for..in',
    fn: (o: Record<string, number>) => {
      let s = 0;
      for (const k in o) {
        if (k.startsWith('_')) continue;
        s += o[k];
      }
      return s;
    },
    inputs: [[{}], [{ a: 1, _b: 10, c: 100 }], [{ _x: 1 }]],
  },
  {
    name: 'break in for(;;) with counter and continue',
    fn: (n: number) => {
      const out = [];
      let i = 0;
      for (;;) {
        i++;
        if (i > n) break;
        if (i % 3 === 0) continue;
        out.push(i);
      }
      return out;
    },
    inputs: [[0], [7], [2]],
  },
  {
    name: 'label on non-loop statement inside loop',
    fn: (n: number) => {
      const log = [];
      for (let i = 0; i < n; i++) {
        skip: {
          if (i % 2) break skip;
          log.push('even' + i);
        }
        log.push('i' + i);
      }
      return log;
    },
    inputs: [[0], [4], [2]],
  },
  {
    name: 'break from switch inside loop vs labelled break of loop',
    fn: (xs: string[]) => {
      const log = [];
      loop: for (const x of xs) {
        switch (x) {
          case 'skip':
            continue loop;
          case 'stop':
            break loop;
          case 'brk':
            break;
          default:
            log.push(x);
        }
        log.push('after-' + x);
      }
      return log;
    },
    inputs: [[[]], [['a', 'skip', 'brk', 'b', 'stop', 'c']], [['stop', 'a']], [['brk', 'skip']]],
  },
  {
    name: 'break out of an exhausted iteration over Map while mutating',
    fn: (n: number) => {
      const m = new Map([
        ['a', 1],
        ['b', 2],
      ]);
      const log = [];
      let added = 0;
      for (const [k, v] of m) {
        log.push(k + v);
        if (added < n) m.set('x' + added, ++added);
        if (log.length > 5) break;
      }
      return log;
    },
    inputs: [[0], [2], [10]],
  },
  {
    // npm run fuzz, seed 1312888845: the declaration after a break read itself in its dead zone
    name: 'a let after a break reads itself in its own initializer (TDZ)',
    fn: (a: number, b: number) => {
      for (const v0 of [-0]) {
        for (let i1 = 0; i1 < 1; i1++) {
          if (a) {
            break;
            // biome-ignore lint/correctness/noUnreachable: the fuzzer's program, as it was
            let v0;
          }
          let v0 = b++ && a + -v0;
        }
      }
      return [a, b];
    },
    inputs: [
      [0, -1],
      [1, 0],
      [0, 0],
    ],
  },
];
