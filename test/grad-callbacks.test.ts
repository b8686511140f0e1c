/**
 * Functions handed from converted code to tfjs's higher-order APIs and to Array methods run as their
 * converted twins, eagerly and staged on both executors (test/fixtures/grad-app/callbacks.ts, run
 * under the loader). Expected values are worked out by hand from the fixture's functions.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
let results: Record<string, unknown> = {};

beforeAll(() => {
  const r = spawnSync(
    process.execPath,
    ['--import', 'autograph-ts/register', 'test/fixtures/grad-app/callbacks.ts'],
    { cwd: root, encoding: 'utf8' },
  );
  expect(r.status, r.stderr).toBe(0);
  results = JSON.parse(r.stdout.split('\n').find((l) => l.startsWith('{'))!);
});

// loss(x) doubles-plus-one x=[1,2] four times (y = 16x + 15), then sums y²: d/dx = 32y.
const lossGrad = [992, 1504];
// loss2(a, b): sum(a*b*3) when sum(a) > sum(b), else sum(a*b).
const expected: Record<string, unknown> = {
  grad: lossGrad,
  grads: [
    [1.5, 0.75],
    [3, 6],
  ],
  valueAndGrad: [31 ** 2 + 47 ** 2, lossGrad],
  valueAndGrads: [21, [3, 3], [9, 12]],
  customGrad: [2, 2],
  tidy: 31 ** 2 + 47 ** 2,
  map: [
    [10, 11],
    [10, 11],
  ],
  forEach: [
    [10, 11],
    [10, 10],
  ],
  reduce: [20, 22],
  flatMap: [
    [10, 11],
    [1, 2],
  ],
  arrayFrom: [
    [10, 11],
    [10, 11],
  ],
};
const predicates: Record<string, unknown> = {
  filter: [[9, 9]],
  some: true,
  every: false,
  find: [9, 9],
  findIndex: 1,
};

const close = (a: unknown, b: unknown): boolean =>
  Array.isArray(a) && Array.isArray(b)
    ? a.length === b.length && a.every((x, i) => close(x, b[i]))
    : typeof a === 'number' && typeof b === 'number'
      ? Math.abs(a - b) <= 1e-4 * Math.max(1, Math.abs(b))
      : a === b;

describe('callbacks run converted', () => {
  for (const [api, want] of Object.entries(expected)) {
    for (const run of ['eager', 'tfjs', 'onnx', 'js']) {
      it(`${api} (${run})`, () => {
        const got = results[`${api}/${run}`];
        expect(close(got, want), JSON.stringify(got)).toBe(true);
      });
    }
  }
  for (const [api, want] of Object.entries(predicates)) {
    it(`${api}: the predicate's tensor result is read as a condition (eager)`, () => {
      expect(results[`${api}/eager`]).toEqual(want);
    });
    it(`${api}: a symbolic predicate result is a located error (staged)`, () => {
      for (const executor of ['tfjs', 'onnx', 'js'])
        expect(results[`${api}/${executor}`]).toMatch(
          new RegExp(
            `^error: \\S*callbacks\\.ts:\\d+:\\d+: the function passed to .*\\.${api} returned a symbolic tensor`,
          ),
        );
    });
  }
  it('optimizers and variableGrads take the converted loss (eager)', () => {
    expect(close(results['minimize/eager'], [1 - 0.001 * 992, 2 - 0.001 * 1504])).toBe(true);
    expect(close(results['computeGradients/eager'], lossGrad)).toBe(true);
    expect(close(results['variableGrads/eager'], lossGrad)).toBe(true);
  });
  it('functions keep their identity outside the call', () => {
    expect(results['identity/eager']).toBe(true);
  });
});
