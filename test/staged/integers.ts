/** Integer programs on int32 scalars: Collatz, gcd, digit sums, exponentiation by squaring. */
import * as tf from '@tensorflow/tfjs-core';
import type { StagedCase, Tf } from './common.ts';

const T: Tf = { ...tf };
const i32 = (n: number) => tf.scalar(n, 'int32');
const ints = (...ns: number[]) => ns.map((n) => [i32(n)]);

export const cases: StagedCase[] = [
  {
    name: 'collatz_steps',
    fn: (n: any) => {
      const one = T.scalar(1, 'int32');
      const two = T.scalar(2, 'int32');
      const three = T.scalar(3, 'int32');
      let steps = 0;
      while (n > one) {
        if (T.equal(T.mod(n, two), T.scalar(0, 'int32'))) {
          n = T.floorDiv(n, two);
        } else {
          n = T.add(T.mul(n, three), one);
        }
        steps++;
      }
      return steps;
    },
    inputs: () => ints(1, 6, 27, 97),
  },
  {
    name: 'collatz_operators_js_numbers',
    fn: (n: any) => {
      let steps = 0;
      let peak = n;
      while (n != 1) {
        n =
          n % 2 == 0 ? T.floorDiv(n, T.scalar(2, 'int32')) : n * T.scalar(3, 'int32') + T.scalar(1, 'int32');
        if (n > peak) {
          peak = n;
        }
        steps += 1;
      }
      return [steps, peak];
    },
    inputs: () => ints(1, 7, 27),
  },
  {
    name: 'collatz_max_steps_bound',
    fn: (n: any, maxSteps: number) => {
      const one = T.scalar(1, 'int32');
      let steps = 0;
      while (n > one && steps < maxSteps) {
        n = T.equal(T.mod(n, T.scalar(2, 'int32')), T.scalar(0, 'int32'))
          ? T.floorDiv(n, T.scalar(2, 'int32'))
          : T.add(T.mul(n, T.scalar(3, 'int32')), one);
        steps++;
      }
      return [n, steps];
    },
    inputs: () => [
      [i32(27), 10],
      [i32(8), 10],
    ],
  },
  {
    name: 'gcd_euclid_int32',
    fn: (a: any, b: any) => {
      while (b != 0) {
        const t = T.mod(a, b);
        a = b;
        b = t;
      }
      return a;
    },
    inputs: () => [
      [i32(48), i32(18)],
      [i32(17), i32(5)],
      [i32(7), i32(0)],
    ],
  },
  {
    name: 'gcd_subtraction_int32',
    fn: (a: any, b: any) => {
      while (a != b) {
        if (a > b) {
          a = a - b;
        } else {
          b = b - a;
        }
      }
      return a;
    },
    inputs: () => [
      [i32(48), i32(18)],
      [i32(9), i32(9)],
    ],
  },
  {
    name: 'digit_sum_int32',
    fn: (n: any) => {
      const ten = T.scalar(10, 'int32');
      let s = T.scalar(0, 'int32');
      while (n > 0) {
        s = s + T.mod(n, ten);
        n = T.floorDiv(n, ten);
      }
      return s;
    },
    inputs: () => ints(0, 7, 12345, 909),
  },
  {
    name: 'popcount_int32',
    fn: (n: any) => {
      const two = T.scalar(2, 'int32');
      let bits = 0;
      while (n > 0) {
        if (T.mod(n, two) > 0) {
          bits++;
        }
        n = T.floorDiv(n, two);
      }
      return bits;
    },
    inputs: () => ints(0, 1, 255, 1024, 1023),
  },
  {
    name: 'power_by_squaring_int32',
    fn: (base: any, exp: any) => {
      const two = T.scalar(2, 'int32');
      let result = T.scalar(1, 'int32');
      while (exp > 0) {
        if (T.mod(exp, two) > 0) {
          result = result * base;
        }
        base = base * base;
        exp = T.floorDiv(exp, two);
      }
      return result;
    },
    inputs: () => [
      [i32(3), i32(5)],
      [i32(2), i32(10)],
      [i32(7), i32(0)],
    ],
  },
  {
    name: 'int32_times_js_number_in_branch',
    fn: (n: any) => {
      let r = n;
      if (n > 5) {
        r = n * 2;
      } else {
        r = n * 3;
      }
      return r;
    },
    inputs: () => ints(10, 1),
  },
  {
    name: 'int32_mod_operator_condition',
    fn: (n: any) => {
      let r = 0;
      if (n % 3 == 0) {
        r = 3;
      } else if (n % 2 == 0) {
        r = 2;
      }
      return r;
    },
    inputs: () => ints(9, 4, 7, -6),
  },
  {
    name: 'int32_true_division_operator',
    fn: (a: any, b: any) => {
      let q = a / b;
      if (q > 2) {
        q = q - 2;
      }
      return q;
    },
    inputs: () => [
      [i32(7), i32(2)],
      [i32(3), i32(2)],
    ],
  },
  {
    name: 'triangular_number_loop_int32',
    fn: (n: any) => {
      let k = T.scalar(0, 'int32');
      let t = T.scalar(0, 'int32');
      while (k < n) {
        k = k + T.scalar(1, 'int32');
        t = t + k;
      }
      return t;
    },
    inputs: () => ints(0, 1, 10),
  },
  {
    name: 'is_prime_trial_division',
    fn: (n: any) => {
      let prime = n > 1;
      let d = T.scalar(2, 'int32');
      while (d * d <= n && prime) {
        if (T.equal(T.mod(n, d), T.scalar(0, 'int32'))) {
          prime = T.scalar(false, 'bool');
        }
        d = d + T.scalar(1, 'int32');
      }
      return prime;
    },
    inputs: () => ints(1, 2, 9, 13, 91, 97),
  },
  {
    name: 'fizzbuzz_counts',
    fn: (n: any) => {
      let i = 1;
      let fizz = 0;
      let buzz = 0;
      let both = 0;
      while (i <= n) {
        if (i % 15 == 0) {
          both++;
        } else if (i % 3 == 0) {
          fizz++;
        } else if (i % 5 == 0) {
          buzz++;
        }
        i++;
      }
      return [fizz, buzz, both];
    },
    inputs: () => ints(0, 15, 31),
  },
  // Weak typing: JS number literals beside int32 tensors stay int32 (no int32 helper scalars)
  {
    name: 'weak_collatz_js_literals',
    fn: (n: any) => {
      let steps = 0;
      let peak = n;
      while (n != 1) {
        n = n % 2 == 0 ? T.cast(n / 2, 'int32') : n * 3 + 1;
        if (n > peak) peak = n;
        steps += 1;
      }
      return [steps, peak];
    },
    inputs: () => ints(1, 7, 27),
  },
  {
    name: 'weak_collatz_counter_plus_one',
    fn: (n: any) => {
      let c = T.scalar(0, 'int32');
      while (n > 1) {
        n = n % 2 == 0 ? T.floorDiv(n, T.scalar(2, 'int32')) : 3 * n + 1;
        c = c + 1;
      }
      return c;
    },
    inputs: () => ints(1, 6, 97),
  },
  {
    name: 'weak_gcd_js_literals',
    fn: (a: any, b: any) => {
      while (b != 0) {
        const t = a % b;
        a = b;
        b = t;
      }
      return a < 0 ? -a : a;
    },
    inputs: () => [
      [i32(48), i32(18)],
      [i32(17), i32(5)],
      [i32(-12), i32(8)],
      [i32(7), i32(0)],
    ],
  },
  {
    name: 'weak_digit_count',
    fn: (n: any) => {
      let digits = 1;
      while (n >= 10) {
        n = T.floorDiv(n, T.scalar(10, 'int32'));
        digits = digits + 1;
      }
      return [digits, n * 1];
    },
    inputs: () => ints(0, 9, 10, 12345, 2147483647),
  },
  {
    name: 'weak_triangle_numbers',
    fn: (n: any) => {
      let sum = 0;
      let i = 1;
      while (i <= n) {
        sum = sum + i * 1;
        i = i + 1;
      }
      return [sum, sum - (n * (n + 1)) / 2];
    },
    inputs: () => ints(0, 1, 10, 100),
  },
  {
    name: 'weak_int32_counter_reaching_fraction',
    fn: (n: any) => {
      let x = n;
      let k = 0;
      while (x > 1) {
        x = x - 2;
        k = k + 0.5;
      }
      return [x, k];
    },
    inputs: () => ints(0, 5, 8),
  },
];
