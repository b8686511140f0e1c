/**
 * Scalar losses written with JS operators only (`+ - * / **`, comparisons, `?:`, `&&`, `||`): their
 * converted form runs on JS numbers with its original meaning, so the harness takes their finite
 * differences in float64. Control flow of every kind, on tensor conditions when the arguments are
 * tensors. Inputs keep data-dependent conditions and trip counts well away from their boundaries.
 */
import type { GradCase } from './common.ts';

const each = (...xs: number[]) => xs.map((x) => [x]);

const programs: Omit<GradCase, 'scalar'>[] = [
  {
    name: 'scalar_poly_cubic',
    fn: (x: any) => x ** 3 - 2 * x * x + x - 1,
    inputs: () => each(1.3, -0.7, 2.5),
  },
  {
    name: 'scalar_while_double_until',
    fn: (x: any) => {
      let y = x;
      while (y < 10) {
        y = y * 2;
      }
      return y * y;
    },
    inputs: () => each(1.3, 3, 0.7, 12.5),
  },
  {
    name: 'scalar_while_power_until',
    fn: (x: any) => {
      let y = x;
      let n = 0;
      while (y < 20) {
        y = y * x;
        n = n + 1;
      }
      return y + n;
    },
    inputs: () => each(1.7, 2.5, 1.3),
  },
  {
    name: 'scalar_while_two_vars',
    fn: (x: any, y: any) => {
      let a = x;
      let b = y;
      while (a < b) {
        a = a * 1.5 + 0.1;
        b = b - a * 0.1;
      }
      return a * b;
    },
    wrt: [0, 1],
    inputs: () => [
      [0.5, 3.3],
      [1.1, 0.4],
      [0.3, 7.1],
    ],
  },
  {
    name: 'scalar_for_js_counter',
    fn: (x: any, n: number) => {
      let y = x;
      for (let i = 0; i < n; i++) {
        y = y - 0.1 * (y * y - 2);
      }
      return y * y;
    },
    inputs: () => [
      [1.2, 5],
      [0.8, 3],
      [2.1, 0],
    ],
  },
  {
    name: 'scalar_for_counter_in_body',
    fn: (x: any) => {
      let s = 0;
      for (let i = 1; i <= 4; i++) {
        s = s + x ** i / i;
      }
      return s;
    },
    inputs: () => each(0.6, -1.4),
  },
  {
    name: 'scalar_if_else',
    fn: (x: any) => {
      let y: any;
      if (x > 1) {
        y = x * x;
      } else {
        y = 2 * x - 1;
      }
      return y * 3;
    },
    inputs: () => each(1.5, 0.3, -2),
  },
  {
    name: 'scalar_if_no_else',
    fn: (x: any) => {
      let y = x * 3;
      if (y > 2) {
        y = y - x * x;
      }
      return y;
    },
    inputs: () => each(1.5, 0.2),
  },
  {
    name: 'scalar_ternary',
    fn: (x: any) => (x > 0 ? x * x : -x * 0.5),
    inputs: () => each(0.8, -1.3),
  },
  {
    name: 'scalar_ternary_three_pieces',
    fn: (x: any) => (x < -1 ? -2 * x - 1 : x < 1 ? x * x : 2 * x - 1) * (x + 3),
    inputs: () => each(-1.7, 0.4, 2.2),
  },
  {
    name: 'scalar_and_condition',
    fn: (x: any, y: any) => {
      if (x > 0 && y > 0) {
        return x * y;
      }
      return x + y * y;
    },
    wrt: [0, 1],
    inputs: () => [
      [1.2, 0.5],
      [1.2, -0.5],
      [-1, 2],
    ],
  },
  {
    name: 'scalar_or_condition',
    fn: (x: any, y: any) => (x > 2 || y < 0 ? x * x * y : x - y * y),
    wrt: [0, 1],
    inputs: () => [
      [2.5, 1],
      [1, -0.5],
      [1, 0.5],
    ],
  },
  {
    name: 'scalar_not_and_or_flags',
    fn: (x: any, y: any) => {
      const big = x > 1 || y > 1;
      const both = x > 0 && y > 0;
      let r = x * y;
      if (big && !both) {
        r = r + x;
      } else if (!big) {
        r = r - y;
      }
      return r;
    },
    wrt: [0, 1],
    inputs: () => [
      [1.5, -0.5],
      [0.5, 0.3],
      [1.5, 0.5],
    ],
  },
  {
    name: 'scalar_while_and_js_bound',
    fn: (x: any) => {
      let y = x;
      let n = 0;
      while (y < 10 && n < 3) {
        y = y * y + 0.5;
        n++;
      }
      return y;
    },
    inputs: () => each(1.1, 0.3, 2.5),
  },
  {
    name: 'scalar_break_on_tensor',
    fn: (x: any) => {
      let y = x;
      for (let i = 0; i < 10; i++) {
        y = y * 1.3 + 0.2;
        if (y > 5) {
          break;
        }
      }
      return y * y;
    },
    inputs: () => each(0.5, 4.2, -3),
  },
  {
    name: 'scalar_continue_on_tensor',
    fn: (x: any) => {
      let s = 0;
      for (let i = 0; i < 6; i++) {
        const t = x * i - 2;
        if (t < 0) {
          continue;
        }
        s = s + t * t;
      }
      return s + x;
    },
    inputs: () => each(0.9, 1.3, 0.25),
  },
  {
    name: 'scalar_return_in_for',
    fn: (x: any) => {
      let y = x;
      for (let i = 0; i < 8; i++) {
        y = y * y * 0.5 + 0.3;
        if (y > 3) {
          return y * i;
        }
      }
      return -y;
    },
    inputs: () => each(1.7, 0.5, 2.9),
  },
  {
    name: 'scalar_return_in_while',
    fn: (x: any) => {
      let y = x;
      let n = 0;
      while (n < 20) {
        y = y + y * y * 0.1;
        if (y > 4) {
          return y - n;
        }
        n = n + 1;
      }
      return y;
    },
    inputs: () => each(1.3, 0.01, 3.7),
  },
  {
    name: 'scalar_nested_js_loops',
    fn: (x: any) => {
      let s = 0;
      for (let i = 0; i < 3; i++) {
        let y = x;
        for (let j = 0; j < i + 2; j++) {
          y = y * x - 0.1;
        }
        s = s + y;
      }
      return s;
    },
    inputs: () => each(0.9, -1.1),
  },
  {
    name: 'scalar_nested_inner_count_from_outer_state',
    fn: (x: any) => {
      let y = x;
      let s = 0;
      let i = 0;
      while (i < 3) {
        let k = 0;
        while (y < 4 + i) {
          y = y * 1.4;
          k++;
        }
        s = s + y / (k + 1);
        y = y - 2.5;
        i++;
      }
      return s;
    },
    inputs: () => each(1.15, 2.9, 0.6),
  },
  {
    name: 'scalar_newton_sqrt_fixed_steps',
    fn: (a: any) => {
      let y = a;
      for (let i = 0; i < 6; i++) {
        y = 0.5 * (y + a / y);
      }
      return y;
    },
    inputs: () => each(2, 7.3, 0.4),
  },
  {
    name: 'scalar_newton_sqrt_tolerance',
    fn: (a: any) => {
      let y = a + 1;
      let n = 0;
      while (y * y - a > 1e-3) {
        y = 0.5 * (y + a / y);
        n++;
      }
      return y + n * 0.01;
    },
    inputs: () => each(2, 9.7, 0.55),
  },
  {
    name: 'scalar_newton_cubic_root',
    fn: (a: any) => {
      let y = 1 + a / 3;
      for (let i = 0; i < 8; i++) {
        y = y - (y ** 3 - a) / (3 * y ** 2);
      }
      return y * y;
    },
    inputs: () => each(5, 0.7),
  },
  {
    name: 'scalar_fixed_point_js_steps',
    fn: (x: any) => {
      let y = x;
      for (let i = 0; i < 30; i++) {
        y = 0.5 * (y * y * 0.2 + x);
      }
      return y;
    },
    inputs: () => each(0.9, -0.6),
  },
  {
    name: 'scalar_fixed_point_until_converged',
    fn: (x: any) => {
      let y = x * 0;
      let prev = y + 1;
      while ((y - prev) ** 2 > 1e-8) {
        prev = y;
        y = 0.3 * y * y + x * 0.5;
      }
      return y;
    },
    inputs: () => each(0.7, 1.3, -0.9),
  },
  {
    name: 'scalar_bisection_cube_root_plus_linear',
    fn: (x: any) => {
      let lo = x * 0;
      let hi = x * 0 + 4;
      for (let i = 0; i < 12; i++) {
        const mid = (lo + hi) / 2;
        if (mid * mid * mid > x) {
          hi = mid;
        } else {
          lo = mid;
        }
      }
      return (lo + hi) / 2 + x * 0.1;
    },
    inputs: () => each(5.3, 20.1),
  },
  {
    name: 'scalar_piecewise_if_else_chain',
    fn: (x: any) => {
      let y: any;
      if (x < -2) {
        y = -x;
      } else if (x < 0) {
        y = x * x * 0.5 + 2 * x + 4;
      } else if (x < 3) {
        y = 4 - x / 2;
      } else {
        y = 1 / x + 2.16;
      }
      return y * y;
    },
    inputs: () => each(-3.1, -0.8, 1.9, 4.4),
  },
  {
    name: 'scalar_soft_clamp',
    fn: (x: any) => {
      let y = x * 2;
      if (y > 1) {
        y = 1 + (y - 1) * 0.1;
      }
      if (y < -1) {
        y = -1 + (y + 1) * 0.1;
      }
      return y * y + y;
    },
    inputs: () => each(0.3, 1.7, -2.4),
  },
  {
    name: 'scalar_do_while',
    fn: (x: any) => {
      let y = x;
      do {
        y = y * 0.8 + 0.5;
      } while (y > 3);
      return y * x;
    },
    inputs: () => each(1.3, 7.7),
  },
  {
    name: 'scalar_unused_carried_value',
    fn: (x: any) => {
      let y = x;
      let z = x;
      for (let i = 0; i < 5; i++) {
        y = y * 0.9 + 0.1;
        z = z * z + 1;
      }
      return y;
    },
    inputs: () => each(1.2, -0.4),
  },
  {
    name: 'scalar_counter_divides_loss',
    fn: (x: any) => {
      let n = 0;
      let y = x;
      while (y < 50) {
        y = y * 1.7;
        n++;
      }
      return y / (n + 1);
    },
    inputs: () => each(1.1, 3.2, 60.5),
  },
  {
    name: 'scalar_three_carried_rotation',
    fn: (x: any, y: any, z: any) => {
      let a = x;
      let b = y;
      let c = z;
      for (let i = 0; i < 4; i++) {
        const t = a;
        a = b * 0.5 + c;
        b = c - t * 0.2;
        c = t + a * 0.3;
      }
      return a * b + c;
    },
    wrt: [0, 1, 2],
    inputs: () => [
      [0.5, -1, 2],
      [1.5, 0.25, -0.75],
    ],
  },
  {
    name: 'scalar_count_steps_to_exceed',
    fn: (x: any, y: any) => {
      let n = 0;
      while (x * n < y) {
        n = n + 1;
      }
      return x * n - y;
    },
    wrt: [0, 1],
    inputs: () => [
      [0.7, 3],
      [1.9, 0.6],
    ],
  },
  {
    name: 'scalar_break_and_continue',
    fn: (x: any) => {
      let y = x;
      let s = 0;
      for (let i = 0; i < 10; i++) {
        y = y * 1.1;
        if (y < 1) {
          continue;
        }
        s = s + y;
        if (s > 6) {
          break;
        }
      }
      return s + y;
    },
    inputs: () => each(0.75, 2.2),
  },
  {
    name: 'scalar_nested_break_inner',
    fn: (x: any) => {
      let s = 0;
      for (let i = 0; i < 3; i++) {
        let y = x + i;
        while (y < 10) {
          y = y * 1.5;
          if (y * x > 6) {
            break;
          }
        }
        s = s + y;
      }
      return s;
    },
    inputs: () => each(1.2, 0.45),
  },
  {
    name: 'scalar_helper_in_loop',
    fn: (x: any) => {
      const g = (u: any) => u * u * 0.5 - u;
      let y = x;
      for (let i = 0; i < 4; i++) {
        y = g(y) + x;
        if (y > 2) {
          y = y / 2;
        }
      }
      return y;
    },
    inputs: () => each(0.8, 1.6),
  },
  {
    name: 'scalar_power_in_loop',
    fn: (x: any) => {
      let y = x;
      for (let i = 0; i < 3; i++) {
        y = y ** 2 * 0.5 + x;
      }
      return y;
    },
    inputs: () => each(0.7, -0.5),
  },
  {
    name: 'scalar_continued_fraction',
    fn: (x: any) => {
      let y = x;
      for (let i = 0; i < 6; i++) {
        y = 1 + x / y;
      }
      return y;
    },
    inputs: () => each(2, 0.6),
  },
  {
    name: 'scalar_hinge_sum',
    fn: (x: any) => {
      let s = 0;
      for (let i = 0; i < 5; i++) {
        const t = x - i * 0.5;
        s = s + (t > 0 ? t * t : 0 * t);
      }
      return s;
    },
    inputs: () => each(1.3, 0.2, -0.5),
  },
  {
    name: 'scalar_while_decay_and_counter_bound',
    fn: (x: any, y: any) => {
      let i = 0;
      let a = x;
      while (a > y && i < 100) {
        a = a * 0.8;
        i++;
      }
      return a * a + i * y;
    },
    wrt: [0, 1],
    inputs: () => [
      [5, 0.7],
      [0.3, 0.9],
    ],
  },
];

export const cases: GradCase[] = programs.map((c) => ({ ...c, scalar: true }));
