// @ts-nocheck -- the corpus deliberately uses coercions and loose idioms that TypeScript rejects.
import type { CorpusCase } from './case.ts';

export const cases: CorpusCase[] = [
  {
    name: 'while inside for inside if with break and continue',
    fn: (n: number, flag: boolean) => {
      const log = [];
      if (flag) {
        for (let i = 0; i < n; i++) {
          let j = 0;
          while (j < i) {
            j++;
            if (j === 2) continue;
            if (j === 4) break;
            log.push(i + ':' + j);
          }
        }
      } else {
        log.push('skipped');
      }
      return log;
    },
    inputs: [
      [0, true],
      [6, true],
      [6, false],
    ],
  },
  {
    name: 'do..while inside for..of inside switch',
    fn: (mode: string, xs: number[]) => {
      const out = [];
      switch (mode) {
        case 'count':
          for (const x of xs) {
            let k = x;
            do {
              out.push(k);
              k -= 2;
            } while (k > 0);
          }
          break;
        case 'skip':
          for (const x of xs) {
            if (x % 2) continue;
            out.push(x);
          }
        default:
          out.push('end');
      }
      return out;
    },
    inputs: [
      ['count', []],
      ['count', [5, 0, 2]],
      ['skip', [1, 2, 3, 4]],
      ['other', [1]],
    ],
  },
  {
    name: 'switch inside while inside for with labelled jumps',
    fn: (cmds: string[]) => {
      const log = [];
      let pc = 0;
      run: for (let round = 0; round < 2; round++) {
        pc = 0;
        while (pc < cmds.length) {
          const c = cmds[pc++];
          switch (c) {
            case 'next':
              continue run;
            case 'halt':
              break run;
            case 'nop':
              break;
            default:
              log.push(round + c);
          }
        }
        log.push('round' + round);
      }
      return [log, pc];
    },
    inputs: [[[]], [['a', 'nop', 'b']], [['a', 'next', 'b']], [['a', 'halt', 'b']]],
  },
  {
    name: 'try inside loop inside try with return from inner',
    fn: (xs: number[]) => {
      const log = [];
      const f = () => {
        try {
          for (const x of xs) {
            try {
              if (x === 0) return 'zero-return';
              if (x < 0) throw new Error('neg');
              log.push(x);
            } catch (e) {
              log.push('inner-catch');
              if (x < -5) throw new Error('very neg');
            } finally {
              log.push('inner-fin');
            }
          }
          return 'loop-done';
        } catch (e) {
          return 'outer:' + e.message;
        } finally {
          log.push('outer-fin');
        }
      };
      return [f(), log];
    },
    inputs: [[[]], [[1, -1, 2]], [[1, 0, 2]], [[1, -9, 2]]],
  },
  {
    name: 'ternaries and logical ops inside loop conditions inside branches',
    fn: (a: number[], b: number[]) => {
      const out = [];
      const src = a.length >= b.length ? a : b;
      if (src.length && (src[0] ?? 0) >= 0) {
        for (let i = 0; i < (src.length > 4 ? 4 : src.length); i++) {
          out.push(src[i] > 0 ? (src[i] > 10 ? 'big' : 'pos') : src[i] === 0 ? 'zero' : 'neg');
        }
      } else {
        out.push(a.length || b.length || 'both empty');
      }
      return out;
    },
    inputs: [
      [[], []],
      [[1, 20, 0, -1, 5], [1]],
      [[-1], []],
      [[], [0, 0]],
    ],
  },
  {
    name: 'matrix multiply with triple loop',
    fn: (a: number[][], b: number[][]) => {
      const n = a.length;
      const m = b[0] ? b[0].length : 0;
      const k = b.length;
      const c = [];
      for (let i = 0; i < n; i++) {
        const row = [];
        for (let j = 0; j < m; j++) {
          let s = 0;
          for (let t = 0; t < k; t++) s += a[i][t] * b[t][j];
          row.push(s);
        }
        c.push(row);
      }
      return c;
    },
    inputs: [
      [[], []],
      [
        [
          [1, 2],
          [3, 4],
        ],
        [
          [5, 6],
          [7, 8],
        ],
      ],
      [[[1, 2, 3]], [[1], [2], [3]]],
    ],
  },
  {
    name: 'binary search',
    fn: (xs: number[], t: number) => {
      let lo = 0;
      let hi = xs.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (xs[mid] === t) return mid;
        if (xs[mid] < t) lo = mid + 1;
        else hi = mid - 1;
      }
      return -(lo + 1);
    },
    inputs: [
      [[], 3],
      [[1, 3, 5, 7, 9], 7],
      [[1, 3, 5, 7, 9], 4],
      [[1, 3, 5, 7, 9], 100],
      [[2], 1],
    ],
  },
  {
    name: 'sieve of Eratosthenes',
    fn: (n: number) => {
      const sieve = new Array(n + 1).fill(true);
      sieve[0] = sieve[1] = false;
      for (let i = 2; i * i <= n; i++) {
        if (!sieve[i]) continue;
        for (let j = i * i; j <= n; j += i) sieve[j] = false;
      }
      const out = [];
      sieve.forEach((p, i) => p && out.push(i));
      return out;
    },
    inputs: [[1], [2], [50]],
  },
  {
    name: 'string tokenizer with nested loops and switch',
    fn: (src: string) => {
      const tokens = [];
      let i = 0;
      while (i < src.length) {
        const ch = src[i];
        switch (true) {
          case ch === ' ':
            i++;
            continue;
          case ch >= '0' && ch <= '9': {
            let num = '';
            while (i < src.length && src[i] >= '0' && src[i] <= '9') num += src[i++];
            tokens.push(+num);
            break;
          }
          case '+-*/()'.includes(ch):
            tokens.push(ch);
            i++;
            break;
          default:
            throw new SyntaxError('unexpected ' + ch + ' at ' + i);
        }
      }
      return tokens;
    },
    inputs: [[''], ['12 + 3*(45-6)'], ['1 $ 2']],
  },
  {
    name: 'recursive descent evaluator',
    fn: (src: string) => {
      let pos = 0;
      const peek = () => src[pos];
      const num = () => {
        let s = '';
        while (pos < src.length && /[0-9]/.test(src[pos])) s += src[pos++];
        if (!s) throw new SyntaxError('number expected at ' + pos);
        return +s;
      };
      const factor = () => {
        if (peek() === '(') {
          pos++;
          const v = expr();
          if (peek() !== ')') throw new SyntaxError(') expected');
          pos++;
          return v;
        }
        if (peek() === '-') {
          pos++;
          return -factor();
        }
        return num();
      };
      const term = () => {
        let v = factor();
        for (;;) {
          const op = peek();
          if (op === '*') {
            pos++;
            v *= factor();
          } else if (op === '/') {
            pos++;
            v /= factor();
          } else return v;
        }
      };
      function expr() {
        let v = term();
        while (peek() === '+' || peek() === '-') v = src[pos++] === '+' ? v + term() : v - term();
        return v;
      }
      const r = expr();
      if (pos !== src.length) throw new SyntaxError('trailing input at ' + pos);
      return r;
    },
    inputs: [['1+2*3'], ['(1+2)*3'], ['-4/0'], ['2*(3'], ['7)'], ['']],
  },
  {
    name: 'state machine with while and switch and labelled continue',
    fn: (input: string) => {
      let state = 'start';
      let i = 0;
      const log = [];
      loop: while (i <= input.length) {
        const c = input[i++];
        switch (state) {
          case 'start':
            if (c === 'a') state = 'A';
            else if (c === undefined) break loop;
            continue loop;
          case 'A':
            if (c === 'b') {
              state = 'B';
              log.push('AB@' + i);
              continue;
            }
            state = 'start';
            break;
          case 'B':
            state = c === 'a' ? 'A' : 'start';
            break;
        }
        log.push(state);
      }
      return [state, log];
    },
    inputs: [[''], ['ab'], ['aababxa'], ['xyz']],
  },
  {
    name: 'deeply nested mixed statements with early return from the innermost level',
    fn: (n: number) => {
      const log = [];
      for (let a = 0; a < 3; a++) {
        if (a === 1) {
          let b = 0;
          while (b < 3) {
            switch (b) {
              case 1:
                for (const c of [10, 20, 30]) {
                  try {
                    if (c === n) return ['hit', a, b, c, log];
                    log.push(c);
                  } finally {
                    log.push('f');
                  }
                }
                break;
              default:
                log.push('b' + b);
            }
            b++;
          }
        } else log.push('a' + a);
      }
      return ['miss', log];
    },
    inputs: [[10], [30], [0]],
  },
  {
    name: 'loops inside ternary via IIFE and logical assignment in nested loops',
    fn: (rows: number[][]) => {
      const acc = {};
      for (const r of rows) {
        for (const v of r) {
          const key = v % 2 ? 'odd' : 'even';
          acc[key] ??= [];
          acc[key].push(v);
          acc.count ||= 0;
          acc.count++;
        }
      }
      const total = rows.length
        ? (() => {
            let s = 0;
            for (const r of rows) for (const v of r) s += v;
            return s;
          })()
        : null;
      return [acc, total];
    },
    inputs: [[[]], [[[1, 2], [], [3, 4, 5]]], [[[]]], [[[0]]]],
  },
  {
    name: 'game of life step',
    fn: (grid: number[][]) => {
      const h = grid.length;
      const w = h ? grid[0].length : 0;
      const next = [];
      for (let y = 0; y < h; y++) {
        const row = [];
        for (let x = 0; x < w; x++) {
          let n = 0;
          for (let dy = -1; dy <= 1; dy++) {
            for (let dx = -1; dx <= 1; dx++) {
              if (!dy && !dx) continue;
              const yy = y + dy;
              const xx = x + dx;
              if (yy < 0 || yy >= h || xx < 0 || xx >= w) continue;
              n += grid[yy][xx];
            }
          }
          row.push(n === 3 || (n === 2 && grid[y][x]) ? 1 : 0);
        }
        next.push(row);
      }
      return next;
    },
    inputs: [
      [[]],
      [
        [
          [0, 1, 0],
          [0, 1, 0],
          [0, 1, 0],
        ],
      ],
      [
        [
          [1, 1],
          [1, 0],
        ],
      ],
    ],
  },
  {
    name: 'quicksort recursive with loops',
    fn: (xs: number[]) => {
      const a = [...xs];
      const qs = (lo, hi) => {
        if (lo >= hi) return;
        const p = a[(lo + hi) >> 1];
        let i = lo;
        let j = hi;
        while (i <= j) {
          while (a[i] < p) i++;
          while (a[j] > p) j--;
          if (i <= j) {
            [a[i], a[j]] = [a[j], a[i]];
            i++;
            j--;
          }
        }
        qs(lo, j);
        qs(i, hi);
      };
      qs(0, a.length - 1);
      return a;
    },
    inputs: [[[]], [[1]], [[5, 3, 8, 1, 9, 2, 7, 3]], [[2, 2, 2, 1]]],
  },
  {
    name: 'if inside for..of inside if inside for with var accumulation',
    fn: (groups: number[][]) => {
      for (var gi = 0; gi < groups.length; gi++) {
        if (groups[gi].length) {
          for (const v of groups[gi]) {
            if (v > 0) var lastPositive = v;
            else if (v < 0) var lastNegative = v;
          }
        }
      }
      return [gi, lastPositive, lastNegative];
    },
    inputs: [[[]], [[[1, -2], [], [3]]], [[[0]]]],
  },
  {
    name: 'generator-free pipeline with nested callbacks and loops',
    fn: (words: string[]) => {
      const counts = new Map();
      for (const w of words) {
        const k = w.toLowerCase();
        counts.set(k, (counts.get(k) ?? 0) + 1);
      }
      const top = [...counts.entries()]
        .filter(([, c]) => c > 1 || words.length < 3)
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
        .map(([w, c]) => `${w}:${c}`);
      return top;
    },
    inputs: [[[]], [['a', 'B', 'b', 'A', 'c', 'b']], [['x', 'y']]],
  },
  {
    name: 'loop with break in else-if and continue in else',
    fn: (xs: number[]) => {
      const out = [];
      let i = 0;
      while (i < xs.length) {
        const x = xs[i++];
        if (x === 0) {
          out.push('z');
        } else if (x > 100) {
          break;
        } else {
          if (x % 2) continue;
          out.push(x);
        }
        out.push('.');
      }
      return [out, i];
    },
    inputs: [[[]], [[0, 1, 2, 200, 4]], [[3, 5]]],
  },
];
