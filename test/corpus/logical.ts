// @ts-nocheck -- the corpus deliberately uses coercions and loose idioms that TypeScript rejects.
import type { CorpusCase } from './case.ts';

const VALUES = [
  [0],
  [''],
  [null],
  [undefined],
  [Number.NaN],
  [-0],
  [1],
  ['s'],
  [{ o: 1 }],
  [[]],
  [false],
  [0n],
];

export const cases: CorpusCase[] = [
  {
    name: '&& returns the deciding operand',
    fn: (a: unknown) => [a && 'right', 'left' && a, a && a],
    inputs: VALUES,
  },
  {
    name: '|| returns the deciding operand',
    fn: (a: unknown) => [a || 'right', a || a, a || 0 || ''],
    inputs: VALUES,
  },
  {
    name: '?? only replaces null and undefined',
    fn: (a: unknown) => [a ?? 'default', a ?? a ?? 'x', a ?? null ?? undefined],
    inputs: VALUES,
  },
  {
    name: '! and !! on all kinds of values',
    fn: (a: unknown) => [!a, !!a, !!!a, !(a && 1)],
    inputs: VALUES,
  },
  {
    name: '&& short-circuits side effects',
    fn: (a: number, b: number) => {
      const log = [];
      const t = (tag, v) => (log.push(tag), v);
      const r = t('a', a) && t('b', b) && t('c', 'end');
      return [r, log];
    },
    inputs: [
      [0, 1],
      [1, 0],
      [1, 1],
    ],
  },
  {
    name: '|| short-circuits side effects',
    fn: (a: number, b: number) => {
      const log = [];
      const t = (tag, v) => (log.push(tag), v);
      const r = t('a', a) || t('b', b) || t('c', 'end');
      return [r, log];
    },
    inputs: [
      [0, 1],
      [1, 0],
      [0, 0],
    ],
  },
  {
    name: '?? short-circuits side effects',
    fn: (a: unknown) => {
      const log = [];
      const t = (tag, v) => (log.push(tag), v);
      const r = t('a', a) ?? t('b', 'fallback');
      return [r, log];
    },
    inputs: [[null], [undefined], [0], ['']],
  },
  {
    name: 'mixed logical precedence with side effects',
    fn: (a: number, b: number, c: number) => {
      const log = [];
      const t = (tag, v) => (log.push(tag), v);
      const r1 = t('a', a) || (t('b', b) && t('c', c));
      const r2 = (t('a2', a) || t('b2', b)) && t('c2', c);
      const r3 = !t('a3', a) && !t('b3', b);
      return [r1, r2, r3, log];
    },
    inputs: [
      [0, 0, 0],
      [0, 1, 0],
      [0, 1, 1],
      [1, 0, 0],
      [1, 1, 1],
    ],
  },
  {
    name: 'logical operators in if conditions with side effects',
    fn: (a: number, b: number) => {
      const log = [];
      const t = (tag, v) => (log.push(tag), v);
      if (t('a', a) && t('b', b)) log.push('both');
      if (t('a', a) || t('b', b)) log.push('either');
      if (t('a', a) ?? t('b', b)) log.push('nn');
      return log;
    },
    inputs: [
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
    ],
  },
  {
    name: 'logical operators in loop conditions',
    fn: (xs: number[]) => {
      let i = 0;
      const log = [];
      while (i < xs.length && xs[i] !== 0) log.push(xs[i++]);
      let j = 0;
      while (!(j >= xs.length || xs[j] < 0)) j++;
      return [log, j];
    },
    inputs: [[[]], [[1, 2, 0, 3]], [[4, -1, 2]]],
  },
  {
    name: 'getters read in && and || conditions',
    fn: (a: number, b: number) => {
      const log = [];
      const o = {
        get a() {
          log.push('get a');
          return a;
        },
        get b() {
          log.push('get b');
          return b;
        },
      };
      let r = 0;
      if (o.a && o.b) r = 1;
      else if (o.a || o.b) r = 2;
      return [r, log];
    },
    inputs: [
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
    ],
  },
  {
    name: 'logical in ternary test and arms',
    fn: (a: unknown, b: unknown) => (a && b ? a || b : (a ?? b)),
    inputs: [
      [0, 1],
      [1, 2],
      [null, 0],
      [undefined, undefined],
      ['', 'x'],
    ],
  },
  {
    name: '&& and || returning objects (identity preserved)',
    fn: (c: number) => {
      const a = { a: 1 };
      const b = { b: 2 };
      const r = c ? a && b : a || b;
      return [r === a, r === b, r];
    },
    inputs: [[0], [1], [2]],
  },
  {
    name: '&& guarded property access',
    fn: (o: any) => (o && o.x && o.x.y) || 'missing',
    inputs: [[null], [{}], [{ x: 0 }], [{ x: { y: 7 } }], [{ x: { y: '' } }]],
  },
  {
    name: 'NaN handling with logical operators',
    fn: (x: number) => [x || 1, x && 1, x ?? 1, !x, Number.isNaN(x) || x > 0],
    inputs: [[Number.NaN], [0], [5], [-5]],
  },
  {
    name: 'logical operators with function calls preserving this',
    fn: (c: number) => {
      const o = {
        v: c,
        get() {
          return this.v;
        },
      };
      const r1 = c && o.get();
      const r2 = o.get() || o.get() + 1;
      return [r1, r2];
    },
    inputs: [[0], [3], [2]],
  },
  {
    name: 'negated compound conditions (De Morgan) match',
    fn: (a: boolean, b: boolean) => [!(a && b) === (!a || !b), !(a || b) === (!a && !b), !a === !!!a],
    inputs: [
      [true, true],
      [true, false],
      [false, false],
    ],
  },
  {
    name: 'logical results stored and used later',
    fn: (xs: unknown[]) => {
      const out = [];
      for (const x of xs) {
        const y = x ?? 'n';
        const z = y || 'f';
        const w = z && typeof z;
        out.push([y, z, w]);
      }
      return out;
    },
    inputs: [[[]], [[null, 0, 'a', undefined, false, 5]], [[[], {}, Number.NaN]]],
  },
  {
    name: 'valueOf not called by logical operators',
    fn: (n: number) => {
      const log = [];
      const o = {
        valueOf() {
          log.push('valueOf');
          return n;
        },
        toString() {
          log.push('toString');
          return 's';
        },
      };
      const r = [!!o, o && 1, o || 2, o ?? 3];
      return [r[0], r[1], r[2] === o, r[3] === o, log];
    },
    inputs: [[0], [1], [2]],
  },
  {
    name: 'deeply chained || and && with mixed values',
    fn: (a: unknown, b: unknown, c: unknown) => [a || (b && c), (a && b) || c, a ?? (b || c), (a || b) ?? c],
    inputs: [
      [0, '', null],
      [null, 1, 2],
      [undefined, 0, 'c'],
      ['a', 'b', 'c'],
      [Number.NaN, undefined, 0],
    ],
  },
];
