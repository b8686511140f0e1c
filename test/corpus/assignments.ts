// @ts-nocheck -- the corpus deliberately uses coercions and loose idioms that TypeScript rejects.
import type { CorpusCase } from './case.ts';

export const cases: CorpusCase[] = [
  {
    name: 'every compound operator on a member, a side-effecting computed member and an array element',
    fn: (a: number, b: number) => {
      const log = [];
      const o = { v: a };
      const arr = [a];
      const key = () => (log.push('key'), 'v');
      const idx = () => (log.push('idx'), 0);
      const ops = [
        (t, k) => (t[k] += b),
        (t, k) => (t[k] -= b),
        (t, k) => (t[k] *= b),
        (t, k) => (t[k] /= b),
        (t, k) => (t[k] %= b),
        (t, k) => (t[k] **= b),
        (t, k) => (t[k] <<= b),
        (t, k) => (t[k] >>= b),
        (t, k) => (t[k] >>>= b),
        (t, k) => (t[k] &= b),
        (t, k) => (t[k] |= b),
        (t, k) => (t[k] ^= b),
        (t, k) => (t[k] &&= b),
        (t, k) => (t[k] ||= b),
        (t, k) => (t[k] ??= b),
      ];
      const viaHelpers = ops.map((op) => op({ v: a }, 'v'));
      const direct = [];
      o.v += b;
      direct.push(o.v);
      o[key()] -= b;
      direct.push(o.v);
      arr[idx()] *= b;
      direct.push(arr[0]);
      o.v /= b;
      direct.push(o.v);
      o[key()] %= b;
      direct.push(o.v);
      arr[idx()] **= b;
      direct.push(arr[0]);
      o.v <<= b;
      direct.push(o.v);
      o[key()] >>= 1;
      direct.push(o.v);
      arr[idx()] >>>= b;
      direct.push(arr[0]);
      o.v &= 7;
      direct.push(o.v);
      o[key()] |= b;
      direct.push(o.v);
      arr[idx()] ^= b;
      direct.push(arr[0]);
      o[key()] &&= b;
      arr[idx()] ||= b;
      o.missing ??= b;
      direct.push(o.v, arr[0], o.missing);
      return [viaHelpers, direct, log];
    },
    inputs: [
      [7, 2],
      [0, 3],
      [-5, 1],
      [1.5, 0],
    ],
  },
  {
    name: 'arithmetic compound assignments on variables',
    fn: (a: number, b: number) => {
      const out = [];
      let x = a;
      x += b;
      out.push(x);
      x -= b;
      out.push(x);
      x *= b;
      out.push(x);
      x /= b;
      out.push(x);
      x %= b;
      out.push(x);
      x **= b;
      out.push(x);
      return out;
    },
    inputs: [
      [7, 2],
      [1, 0],
      [-3, 3],
      [0.5, -1],
    ],
  },
  {
    name: 'bitwise compound assignments on variables',
    fn: (a: number, b: number) => {
      const out = [];
      let x = a;
      x <<= b;
      out.push(x);
      x >>= 1;
      out.push(x);
      x >>>= b;
      out.push(x);
      x &= 0xff;
      out.push(x);
      x |= b;
      out.push(x);
      x ^= a;
      out.push(x);
      return out;
    },
    inputs: [
      [5, 3],
      [-1, 4],
      [-100, 31],
    ],
  },
  {
    name: 'logical assignments on variables',
    fn: (a: unknown) => {
      const log = [];
      const t = (tag, v) => (log.push(tag), v);
      let x = a;
      let y = a;
      let z = a;
      x &&= t('and', 'A');
      y ||= t('or', 'O');
      z ??= t('nn', 'N');
      return [x, y, z, log];
    },
    inputs: [[0], [1], [null], [undefined], [''], ['s']],
  },
  {
    name: 'logical assignments on members do not call setter when short-circuited',
    fn: (a: unknown) => {
      const log = [];
      let v = a;
      const o = {
        get p() {
          log.push('get');
          return v;
        },
        set p(nv) {
          log.push('set:' + nv);
          v = nv;
        },
      };
      o.p &&= 'and';
      o.p ||= 'or';
      o.p ??= 'nn';
      return [v, log];
    },
    inputs: [[0], [1], [null], ['']],
  },
  {
    name: 'compound assignments on object members',
    fn: (a: number) => {
      const o = { n: a, s: 'x', b: 6 };
      o.n += 2;
      o.n *= 3;
      o.s += a;
      o.b >>= 1;
      o.b **= 2;
      o.missing += 1;
      return o;
    },
    inputs: [[0], [5], [-1]],
  },
  {
    name: 'computed member compound assignment evaluates key once',
    fn: (k: string) => {
      const log = [];
      const o = { a: 1, b: 2 };
      const key = () => (log.push('key'), k);
      const obj = () => (log.push('obj'), o);
      obj()[key()] += 10;
      obj()[key()] **= 2;
      obj()[key()] ||= 'or';
      obj()[key()] ??= 'nn';
      obj()[key()] &&= 'and';
      return [o, log];
    },
    inputs: [['a'], ['b'], ['c']],
  },
  {
    name: 'computed member key coercion via toString happens once',
    fn: (n: number) => {
      const log = [];
      const o = { k1: 1 };
      const key = {
        toString() {
          log.push('toString');
          return 'k' + n;
        },
      };
      o[key] += 5;
      o[key]++;
      return [o, log];
    },
    inputs: [[1], [2], [5]],
  },
  {
    name: 'compound assignment order: get before rhs, set after',
    fn: (x: number) => {
      const log = [];
      let val = x;
      const o = {
        get p() {
          log.push('get');
          return val;
        },
        set p(v) {
          log.push('set ' + v);
          val = v;
        },
      };
      o.p += (log.push('rhs'), 1);
      o.p *= (log.push('rhs2'), 2);
      return [val, log];
    },
    inputs: [[1], [10], [2]],
  },
  {
    name: 'compound assignment where rhs modifies the variable',
    fn: (a: number) => {
      let x = a;
      x += x = 100;
      let y = a;
      y *= y++ + 1;
      const o = { v: a };
      o.v -= o.v = 1000;
      return [x, y, o.v];
    },
    inputs: [[1], [3], [2]],
  },
  {
    name: 'compound assignments on array elements',
    fn: (xs: number[]) => {
      for (let i = 0; i < xs.length; i++) {
        xs[i] *= 2;
        xs[i] += i;
        xs[xs.length - 1 - i] -= 1;
      }
      return xs;
    },
    inputs: [[[]], [[1]], [[1, 2, 3, 4]]],
  },
  {
    name: 'array index expression with side effects evaluated once in compound assignment',
    fn: (n: number) => {
      const xs = [0, 0, 0, 0];
      let i = 0;
      for (let k = 0; k < n; k++) xs[i++ % 4] += k;
      const j = () => i++ % 4;
      xs[j()] -= 100;
      return [xs, i];
    },
    inputs: [[0], [3], [9]],
  },
  {
    name: 'prefix and postfix increment as values',
    fn: (a: number) => {
      let x = a;
      const r = [x++, x, ++x, x, x--, x, --x, x];
      return r;
    },
    inputs: [[0], [1.5], [-1]],
  },
  {
    name: 'increment as statement and in for update',
    fn: (n: number) => {
      let c = 0;
      for (let i = 0; i < n; ++i) c++;
      for (let i = n; i > 0; i--) --c;
      c++;
      return c;
    },
    inputs: [[0], [5], [2]],
  },
  {
    name: 'increment on members and computed members',
    fn: (a: number) => {
      const log = [];
      const o = { n: a, arr: [a, a] };
      const k = () => (log.push('k'), 'n');
      const r = [o.n++, ++o.n, o[k()]++, --o[k()], o.arr[1]++, ++o.arr[0], o.nope++];
      return [r, o, log];
    },
    inputs: [[0], [10], [2]],
  },
  {
    name: 'increment coerces strings, null, undefined, booleans',
    fn: (v: unknown) => {
      let a = v;
      let b = v;
      let c = v;
      const r1 = a++;
      const r2 = ++b;
      const r3 = c--;
      return [r1, a, r2, b, r3, c];
    },
    inputs: [['5'], [''], ['x'], [null], [undefined], [true], [false], [[3]], ['1e2']],
  },
  {
    name: 'increment on BigInt values',
    fn: (v: bigint) => {
      let a = v;
      const r = [a++, a, ++a, --a, a--, a];
      const o = { b: v };
      o.b++;
      return [r, o.b, typeof a];
    },
    inputs: [[0n], [-1n], [2n ** 64n]],
  },
  {
    name: 'increment on object with valueOf calls it once',
    fn: (n: number) => {
      const log = [];
      let o = { valueOf: () => (log.push('vo'), n) };
      const old = o++;
      return [typeof old, old, o, log];
    },
    inputs: [[1], [-0], [2]],
  },
  {
    name: 'increment on getter/setter property',
    fn: (n: number) => {
      const log = [];
      let v = n;
      const o = {
        get p() {
          log.push('get');
          return v;
        },
        set p(x) {
          log.push('set' + x);
          v = x;
        },
      };
      const a = o.p++;
      const b = --o.p;
      return [a, b, v, log];
    },
    inputs: [[1], ['7'], [null], [1n]],
  },
  {
    name: 'chained assignment',
    fn: (n: number) => {
      let a;
      let b;
      const o = {};
      a = b = o.x = n * 2;
      return [a, b, o];
    },
    inputs: [[1], [0], [2]],
  },
  {
    name: 'assignment expression as value in conditions and loops',
    fn: (xs: number[]) => {
      const out = [];
      let i = 0;
      let x;
      while ((x = xs[i++]) !== undefined) out.push(x);
      return [out, i];
    },
    inputs: [[[]], [[1, 2, 3]], [[0, null, undefined, 4]]],
  },
  {
    name: 'assignment to const throws TypeError',
    fn: (n: number) => {
      const c = n;
      try {
        c = 5;
      } catch (e) {
        return [e.constructor.name, e.message, c];
      }
      return 'no error';
    },
    inputs: [[1], [2], [5]],
  },
  {
    name: 'compound assignment to const throws TypeError after evaluating rhs',
    fn: (n: number) => {
      const log = [];
      const c = n;
      try {
        c += (log.push('rhs'), 1);
      } catch (e) {
        log.push(e.constructor.name + ':' + e.message);
      }
      try {
        c++;
      } catch (e) {
        log.push(e.constructor.name + ':' + e.message);
      }
      return [log, c];
    },
    inputs: [[1], [2], [5]],
  },
  {
    name: 'string += in loop',
    fn: (n: number) => {
      let s = '';
      for (let i = 0; i < n; i++) s += i % 2 ? '-' : i;
      s += null;
      s += [1, [2]];
      return s;
    },
    inputs: [[0], [5], [2]],
  },
  {
    name: 'compound assignment on frozen object member in strict code throws',
    fn: (n: number) => {
      const o = Object.freeze({ a: n });
      try {
        o.a += 1;
        return 'no throw';
      } catch (e) {
        return [e.constructor.name, e.message, o.a];
      }
    },
    inputs: [[1], [2], [5]],
  },
  {
    name: 'increment on property of undefined throws',
    fn: (o: any) => {
      try {
        o.x.y++;
        return o;
      } catch (e) {
        return [e.constructor.name, e.message];
      }
    },
    inputs: [[{}], [{ x: { y: 1 } }], [{ x: null }]],
  },
  {
    name: 'decrement in while condition',
    fn: (n: number) => {
      const out = [];
      let k = n;
      while (k--) out.push(k);
      let j = n;
      while (--j > 0) out.push('j' + j);
      return [out, k, j];
    },
    inputs: [[0], [3], [2]],
  },
];
