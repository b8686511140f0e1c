import type { CorpusCase } from './case.ts';

/**
 * Getters, setters, static members and methods under string, numeric and literal computed keys, in
 * classes and object literals declared inside the converted function (converted in place with it;
 * the loader's twins of such members at module level are tested in loader.test.ts).
 */
export const cases: CorpusCase[] = [
  {
    name: 'members: object-literal getter and setter with loops and conditions, read and written',
    fn: function (xs: number[]) {
      const bag = {
        items: [] as number[],
        get positive() {
          let n = 0;
          for (const x of this.items) if (x > 0) n++;
          return n;
        },
        set all(values: number[]) {
          this.items = [];
          for (const v of values) {
            if (v === 0) continue;
            this.items.push(v > 10 ? 10 : v);
          }
        },
      };
      bag.all = xs;
      return [bag.positive, bag.items];
    },
    inputs: [[[]], [[1, -2, 0, 30]], [[-1, -1]]],
  },
  {
    name: 'members: class getter, setter and static getter, methods under string, numeric and computed literal keys',
    fn: function (n: number) {
      class Grid {
        static scale = 3;
        cells: number[] = [];
        static get unit() {
          return Grid.scale > 2 ? Grid.scale * 2 : 1;
        }
        get size() {
          return this.cells.length > 0 ? this.cells.length : -1;
        }
        set size(k: number) {
          this.cells = [];
          for (let i = 0; i < k; i++) this.cells.push(i % 2 === 0 ? i * Grid.unit : -i);
        }
        'sum of'(limit: number) {
          let s = 0;
          for (const c of this.cells) {
            if (c > limit) break;
            s += c;
          }
          return s;
        }
        0(k: number) {
          return k > 0 ? this.cells[k - 1] : undefined;
        }
        ['last']() {
          return this.cells.length ? this.cells[this.cells.length - 1] : null;
        }
        static make(k: number) {
          const g = new Grid();
          g.size = k;
          return g;
        }
      }
      const g = Grid.make(n);
      return [g.size, g['sum of'](4), g[0](n), g.last(), Grid.unit];
    },
    inputs: [[0], [1], [5]],
  },
  {
    name: 'members: a getter that throws, and a setter with a default-reading parameter of a method',
    fn: function (k: number) {
      const o = {
        stored: 0,
        get checked() {
          if (this.stored < 0) throw new RangeError(`negative: ${this.stored}`);
          return this.stored;
        },
        set value(v: number) {
          this.stored = v;
        },
        update(v: number, by = v > 2 ? v * 2 : -v) {
          this.value = by;
          return this.checked;
        },
      };
      return o.update(k);
    },
    inputs: [[0], [1], [3]],
  },
];
