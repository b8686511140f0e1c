// @ts-nocheck -- `arguments` in functions whose declared parameters TypeScript would check.
import type { CorpusCase } from './case.ts';

/**
 * `arguments` in converted functions: each non-arrow function binds its own `arguments` once at the
 * top of its converted body, and every reference (in arrows and in the converter's closures too) reads
 * that binding. Corpus functions come from ES modules: strict, so `arguments` never aliases parameters.
 */
export const cases: CorpusCase[] = [
  {
    name: 'arguments.length counts what was passed, not the parameters',
    fn: function (a, b) {
      return [arguments.length, a, b];
    },
    inputs: [[], [1], [1, 2], [1, 2, 3, 4]],
  },
  {
    name: 'arguments[i] summed in a for loop with a branch',
    fn: function () {
      let s = 0;
      for (let i = 0; i < arguments.length; i++) {
        if (arguments[i] > 0) s += arguments[i];
        else s -= 1;
      }
      return s;
    },
    inputs: [[], [1, -2, 3], [5], [-1, -1, 7, 2]],
  },
  {
    name: 'arguments in a while loop, a do-while and a switch',
    fn: function (n) {
      let i = 0;
      let out = [];
      while (i < arguments.length) {
        switch (typeof arguments[i]) {
          case 'number':
            out.push(arguments[i] * 2);
            break;
          default:
            out.push(String(arguments[i]));
        }
        i++;
      }
      do {
        out.push(arguments.length);
      } while (out.length < n);
      return out;
    },
    inputs: [[0], [3, 'x', true], [5, 1]],
  },
  {
    name: '[...arguments] and Array.from(arguments)',
    fn: function () {
      const a = [...arguments];
      const b = Array.from(arguments, (x) => x + 1);
      return [a, b, Array.isArray(arguments), a.length === arguments.length];
    },
    inputs: [[], [1, 2, 3]],
  },
  {
    name: 'f.apply(this, arguments) and arguments passed on',
    fn: function () {
      function spread(...xs) {
        return xs.length;
      }
      const max = Math.max.apply(this, arguments);
      const count = spread.apply(null, arguments);
      const args = arguments;
      const describe = (xs) => Object.prototype.toString.call(xs) + xs.length;
      return [max, count, describe(arguments), describe(args), args === arguments];
    },
    inputs: [[], [3, 9, 4], [-1]],
  },
  {
    name: 'arguments read from arrows and callbacks inside loops',
    fn: function (k) {
      const out = [];
      for (const x of [1, 2, 3]) {
        const f = () => arguments[0] * x + arguments.length;
        out.push(f());
      }
      out.push([10, 20].map((v, i) => v + (arguments[i] ?? 0)));
      return out;
    },
    inputs: [[2], [3, 4], [1, 1, 1]],
  },
  {
    name: 'nested non-arrow functions have their own arguments',
    fn: function (a) {
      function inner() {
        let s = 0;
        for (const v of arguments) if (v) s += v;
        return [s, arguments.length];
      }
      const g = function (x) {
        return arguments.length > 1 ? x + arguments[1] : x;
      };
      const res = [];
      if (arguments.length > 1) res.push(inner(arguments[1], 5));
      else res.push(inner());
      res.push(g(a, 1), g(a), arguments.length);
      return res;
    },
    inputs: [[1], [1, 2], [3, 4, 5]],
  },
  {
    name: 'arguments in an object method and a shorthand property',
    fn: function () {
      const o = {
        m() {
          return arguments.length;
        },
      };
      const rec = { arguments };
      return [o.m(1, 2, 3), rec.arguments.length, rec.arguments[0]];
    },
    inputs: [[], ['a', 'b']],
  },
  {
    name: 'writes to parameters do not change arguments (strict mode)',
    fn: function (a, b) {
      if (arguments.length < 2) b = 10;
      a = a * 2;
      let r = [a, b, arguments[0], arguments[1]];
      arguments[0] = 'changed';
      return [...r, a, arguments[0]];
    },
    inputs: [[1], [1, 2], [3, 4, 5]],
  },
  {
    name: 'arguments in try/catch and a returned closure',
    fn: function (x) {
      try {
        if (arguments.length > 1) throw new Error(String(arguments[1]));
      } catch (e) {
        return () => e.message + arguments.length;
      }
      return () => arguments[0];
    },
    inputs: [[1], [1, 'boom']],
  },
  {
    name: 'out-of-range arguments[i] is undefined, indexed with a computed key',
    fn: function (i) {
      let k = i;
      while (k < 3) k++;
      return [arguments[k], arguments[i], arguments['length'], arguments[-1]];
    },
    inputs: [[0], [1, 2, 3, 4], [5]],
  },
  {
    name: 'a TypeError from a call on arguments names arguments (npm run fuzz with arguments found it)',
    fn: function (a) {
      return [String([...arguments]), arguments.length.at(-1)];
    },
    inputs: [[1], [1, 'x']],
  },
];
