import type { CorpusCase } from './case.ts';

/**
 * `async` functions, converted to the eager form only (the graph form refuses them: staged code
 * cannot await). The eager form keeps statements native, so every `await` stays where it was; the
 * corpus test awaits both results and compares them, console.log calls included.
 */
export const cases: CorpusCase[] = [
  {
    name: 'async: await in an if condition, a loop body and an operator operand',
    fn: async (xs: number[], limit: number) => {
      let s = 0;
      for (const x of xs) {
        if ((await Promise.resolve(x)) > limit) s += await Promise.resolve(x * 2);
        else s -= 1;
      }
      return s + (await Promise.resolve(1));
    },
    inputs: [
      [[], 0],
      [[1, 5, 3], 2],
      [[-1, -2], -5],
    ],
  },
  {
    name: 'async: await in while and do-while conditions, with break and continue',
    fn: async function (n: number) {
      let i = 0;
      const out: number[] = [];
      while ((await Promise.resolve(i)) < n) {
        i++;
        if (i % 2 === 0) continue;
        if (i > 7) break;
        out.push(i);
      }
      do {
        out.push(-i);
        i--;
      } while ((await Promise.resolve(i)) > n - 2);
      return out;
    },
    inputs: [[0], [3], [10]],
  },
  {
    name: 'async: await in a switch discriminant and its first case, try/catch of a rejection',
    fn: async (k: string) => {
      let r = 'none';
      switch (await Promise.resolve(k)) {
        case 'a':
          r = 'A';
          break;
        case 'b':
          r = 'B';
          break;
        default:
          r = k.toUpperCase();
      }
      try {
        if (k === 'c') await Promise.reject(new RangeError(`no ${k}`));
        r += '!';
      } catch (e) {
        r += `(${(e as Error).message})`;
      } finally {
        console.log('done', r);
      }
      return r;
    },
    inputs: [['a'], ['b'], ['c'], ['zz']],
  },
  {
    name: 'async: nested async arrows and methods, awaited results, a thrown error rejects',
    fn: async function (x: number) {
      const double = async (y: number) => (await Promise.resolve(y)) * 2;
      const obj = {
        async add(a: number, b: number) {
          return (await double(a)) + b;
        },
      };
      const parts = await Promise.all([double(x), obj.add(x, 1)]);
      if (x < 0) throw new TypeError(`negative ${x}`);
      return [parts, await obj.add(parts[0]!, -x)];
    },
    inputs: [[1], [4], [-2]],
  },
  {
    name: 'async: for await over an async iterable, with a default parameter',
    fn: async (n: number, step = n * 2) => {
      let i = 0;
      const iterable = {
        [Symbol.asyncIterator]() {
          return {
            next: async () => (i < n ? { value: i++ * step, done: false } : { value: 0, done: true }),
          };
        },
      };
      const seen: number[] = [];
      for await (const v of iterable) {
        if (v > 10) break;
        seen.push(v);
      }
      return seen;
    },
    inputs: [[0], [3], [4, 1], [6, 3]],
  },
];
