// @ts-nocheck -- the corpus deliberately uses coercions and loose idioms that TypeScript rejects.
import type { CorpusCase } from './case.ts';

export const cases: CorpusCase[] = [
  {
    name: 'switch basic with breaks',
    fn: (x: number) => {
      let r;
      switch (x) {
        case 1:
          r = 'one';
          break;
        case 2:
          r = 'two';
          break;
        default:
          r = 'other';
      }
      return r;
    },
    inputs: [[1], [2], [3], ['1']],
  },
  {
    name: 'switch fall-through accumulates',
    fn: (x: number) => {
      const log = [];
      switch (x) {
        case 0:
          log.push(0);
        case 1:
          log.push(1);
        case 2:
          log.push(2);
          break;
        case 3:
          log.push(3);
      }
      return log;
    },
    inputs: [[0], [1], [2], [3], [4]],
  },
  {
    name: 'switch default in the middle falls through',
    fn: (x: number) => {
      const log = [];
      switch (x) {
        case 1:
          log.push('one');
        default:
          log.push('default');
        case 2:
          log.push('two');
          break;
        case 3:
          log.push('three');
      }
      return log;
    },
    inputs: [[1], [2], [3], [4]],
  },
  {
    name: 'switch default first',
    fn: (x: string) => {
      const log = [];
      switch (x) {
        default:
          log.push('d');
        case 'a':
          log.push('a');
          break;
        case 'b':
          log.push('b');
      }
      return log;
    },
    inputs: [['a'], ['b'], ['z']],
  },
  {
    name: 'switch without default and no match',
    fn: (x: number) => {
      let r = 'unset';
      switch (x) {
        case 1:
          r = 'one';
          break;
        case 2:
          r = 'two';
      }
      return r;
    },
    inputs: [[1], [2], [5]],
  },
  {
    name: 'switch with empty body',
    fn: (x: number) => {
      const log = [];
      switch ((log.push('disc'), x)) {
      }
      return log;
    },
    inputs: [[1], [2], [5]],
  },
  {
    name: 'switch break inside nested if within case',
    fn: (x: number, y: number) => {
      const log = [];
      switch (x) {
        case 1:
          if (y > 0) {
            log.push('y-pos');
            break;
          }
          log.push('y-nonpos');
        case 2:
          log.push('two');
          if (y === 5) break;
          log.push('two-end');
          break;
        default:
          log.push('def');
      }
      log.push('after');
      return log;
    },
    inputs: [
      [1, 1],
      [1, 0],
      [2, 5],
      [2, 0],
      [3, 0],
    ],
  },
  {
    name: 'switch case expressions evaluated lazily in order',
    fn: (x: number) => {
      const log = [];
      const t = (v) => (log.push('case' + v), v);
      switch ((log.push('disc'), x)) {
        case t(1):
          log.push('body1');
          break;
        case t(2):
          log.push('body2');
        case t(3):
          log.push('body3');
          break;
        default:
          log.push('bodyD');
        case t(4):
          log.push('body4');
      }
      return log;
    },
    inputs: [[1], [2], [3], [4], [5]],
  },
  {
    name: 'switch on strings with shared cases',
    fn: (s: string) => {
      switch (s) {
        case 'a':
        case 'e':
        case 'i':
        case 'o':
        case 'u':
          return 'vowel';
        case '':
          return 'empty';
        default:
          return 'consonant';
      }
    },
    inputs: [['a'], ['u'], [''], ['z'], ['A']],
  },
  {
    name: 'switch uses strict equality (NaN, -0, types)',
    fn: (v: unknown) => {
      switch (v) {
        case 0:
          return 'zero';
        case '0':
          return 'string zero';
        case Number.NaN:
          return 'nan';
        case null:
          return 'null';
        case undefined:
          return 'undefined';
        case false:
          return 'false';
        default:
          return 'other';
      }
    },
    inputs: [[0], [-0], ['0'], [Number.NaN], [null], [undefined], [false], ['']],
  },
  {
    name: 'switch on object identity',
    fn: (which: number) => {
      const a = { n: 'a' };
      const b = { n: 'b' };
      const pick = which === 0 ? a : which === 1 ? b : { n: 'a' };
      switch (pick) {
        case a:
          return 'is a';
        case b:
          return 'is b';
        default:
          return 'lookalike ' + pick.n;
      }
    },
    inputs: [[0], [1], [2]],
  },
  {
    name: 'switch(true) idiom',
    fn: (x: number) => {
      switch (true) {
        case x < 0:
          return 'neg';
        case x < 10:
          return 'small';
        case x < 100:
          return 'medium';
        default:
          return 'large';
      }
    },
    inputs: [[-1], [5], [50], [500], [Number.NaN]],
  },
  {
    name: 'switch case body with let in braces',
    fn: (x: number) => {
      let out;
      switch (x) {
        case 1: {
          let v = 10;
          v += x;
          out = v;
          break;
        }
        case 2: {
          const v = 'two';
          out = v;
          break;
        }
        default: {
          let v;
          out = v;
        }
      }
      return out;
    },
    inputs: [[1], [2], [3]],
  },
  {
    name: 'switch with lexical declaration used only in its case',
    fn: (x: number) => {
      switch (x) {
        case 1:
          const a = x * 2;
          return a;
        case 2:
          let b = x * 3;
          b++;
          return b;
      }
      return 0;
    },
    inputs: [[1], [2], [3]],
  },
  {
    name: 'switch inside for with continue and break',
    fn: (xs: number[]) => {
      const log = [];
      for (let i = 0; i < xs.length; i++) {
        switch (xs[i]) {
          case 0:
            continue;
          case 1:
            log.push('one');
            break;
          case 9:
            i = xs.length;
            break;
          default:
            log.push('x' + xs[i]);
        }
        log.push('tail' + i);
      }
      return log;
    },
    inputs: [[[]], [[0, 1, 2, 9, 1]], [[3, 0, 3]]],
  },
  {
    name: 'nested switch statements',
    fn: (a: number, b: number) => {
      switch (a) {
        case 1:
          switch (b) {
            case 1:
              return '1-1';
            case 2:
              break;
            default:
              return '1-d';
          }
          return '1-after-inner';
        case 2:
          return '2';
        default:
          switch (b) {
            case 1:
            case 2:
              return 'd-12';
          }
      }
      return 'end';
    },
    inputs: [
      [1, 1],
      [1, 2],
      [1, 3],
      [2, 0],
      [3, 1],
      [3, 3],
    ],
  },
  {
    name: 'switch discriminant evaluated once with side effects',
    fn: (x: number) => {
      let calls = 0;
      const d = () => (calls++, x);
      let r;
      switch (d()) {
        case 1:
          r = 'a';
          break;
        case 2:
          r = 'b';
          break;
        case 3:
          r = 'c';
      }
      return [r, calls];
    },
    inputs: [[1], [3], [4]],
  },
  {
    name: 'switch with loop inside a case and labelled break out of switch',
    fn: (x: number) => {
      const log = [];
      sw: switch (x) {
        case 1:
          for (let i = 0; i < 5; i++) {
            if (i === 3) break sw;
            log.push(i);
          }
          log.push('not reached');
        case 2:
          for (let i = 0; i < 3; i++) {
            if (i === 1) break;
            log.push('two' + i);
          }
          log.push('two-end');
      }
      return log;
    },
    inputs: [[1], [2], [3]],
  },
  {
    name: 'switch case values computed from variables',
    fn: (x: number, k: number) => {
      switch (x) {
        case k:
          return 'k';
        case k + 1:
          return 'k+1';
        case k * 2:
          return 'k*2';
      }
      return 'none';
    },
    inputs: [
      [1, 1],
      [2, 1],
      [4, 2],
      [0, 0],
      [9, 1],
    ],
  },
  {
    name: 'switch throwing from case expression',
    fn: (x: number) => {
      const log = [];
      try {
        switch (x) {
          case 1:
            log.push('one');
            break;
          case (() => {
            throw new Error('case2 threw');
          })():
            log.push('never');
        }
      } catch (e) {
        log.push(e.message);
      }
      return log;
    },
    inputs: [[1], [2], [5]],
  },
  {
    name: 'switch on typeof',
    fn: (v: unknown) => {
      switch (typeof v) {
        case 'number':
          return v + 1;
        case 'string':
          return v.length;
        case 'object':
          return v === null ? 'null' : 'obj';
        case 'undefined':
          return 'u';
        default:
          return typeof v;
      }
    },
    inputs: [[1], ['abc'], [null], [{}], [undefined], [true], [2n]],
  },
  {
    name: 'switch fall-through into default at end from return-less case',
    fn: (x: number) => {
      let acc = '';
      for (let i = 0; i < 3; i++) {
        switch (x + i) {
          case 2:
            acc += 'two,';
          case 3:
            acc += 'three,';
            continue;
          default:
            acc += 'd,';
        }
        acc += '|';
      }
      return acc;
    },
    inputs: [[0], [1], [2], [5]],
  },
];
