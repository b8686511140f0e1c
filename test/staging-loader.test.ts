import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Runs a fixture of test/fixtures/staging-app under the loader. */
const runFixture = (file: string) =>
  spawnSync(process.execPath, ['--import', 'autograph-ts/register', `test/fixtures/staging-app/${file}`], {
    cwd: root,
    encoding: 'utf8',
  });

it('an unsupported op in a staged function is a StagingError naming the op and the original .ts line', () => {
  const r = runFixture('unsupported.ts');
  expect(r.status, r.stderr).toBe(0);
  expect(r.stdout).toMatch(
    /StagingError: \S*test\/fixtures\/staging-app\/unsupported\.ts:8:\d+: the tfjs op 'Diag' is not supported in staged code yet/,
  );
});

it('a random op of an unsupported dtype is a StagingError naming the function, the dtype and the .ts line', () => {
  const r = runFixture('random-dtype.ts');
  expect(r.status, r.stderr).toBe(0);
  expect(r.stdout).toMatch(
    /StagingError: \S*test\/fixtures\/staging-app\/random-dtype\.ts:8:\d+: tf\.randomNormal of dtype bool is not staged/,
  );
});

it('a failure inside ONNX Runtime is an ExecutionError naming the staged op, the .ts line and its text', () => {
  const r = runFixture('out-of-range.ts');
  expect(r.status, r.stderr).toBe(0);
  expect(r.stdout).toMatch(
    /ExecutionError: \S*test\/fixtures\/staging-app\/out-of-range\.ts:8:\d+: ONNX Runtime failed in the staged op 'GatherV2' \(ONNX Gather\)/,
  );
  expect(r.stdout).toContain('8 |   const rows = tf.gather(table, indices);');
  expect(r.stdout).toContain('idx=7 must be within the inclusive range [-3,2]');
});

it('staged code reaching a function that cannot be converted runs it unconverted; reading a symbolic value there is still a StagingError', () => {
  const r = runFixture('fallback.ts');
  expect(r.status, r.stderr).toBe(0);
  const lines = r.stdout.trim().split('\n');
  expect(lines[0]).toMatch(
    /^StagingError: \S*test\/fixtures\/staging-app\/fallback\.ts:10:\d+: the function 'rows' runs unconverted and reads a symbolic tensor's value/,
  );
  expect(lines[1]).toMatch(
    /^StagingError: \S*test\/fixtures\/staging-app\/fallback\.ts:26:\d+: 'later' cannot be converted and returned a promise while ag\.stage traced/,
  );
  expect(lines[2]).toBe('ops: [3,6,9]');
  expect(r.stderr).toMatch(
    /\[AUTOGRAPH_FALLBACK\] AutoGraphWarning: \S*fallback\.ts:9:1: 'rows' cannot be converted \(generator functions cannot be converted\)/,
  );
});

it('recursion decided by a tensor is staged as calls (mutual recursion too); a JS argument changing at every level is a StagingError naming the call, not a stack overflow; recursion over a JS tree unrolls', () => {
  const r = runFixture('recursion.ts');
  expect(r.status, r.stderr).toBe(0);
  const lines = r.stdout.trim().split('\n');
  expect(lines.slice(0, 3)).toEqual(['55', '0', '1']);
  expect(lines[3]).toMatch(
    /^StagingError: \S*test\/fixtures\/staging-app\/recursion\.ts:31:10: 'countdown' calls itself 200 levels deep inside staged control flow, with other arguments at each level/,
  );
  expect(lines.slice(4, 10)).toEqual([
    '3',
    expect.stringMatching(
      /^ExecutionError: \S*test\/fixtures\/staging-app\/recursion\.ts:48:17: staged recursion of 'down' went deeper than 10000 calls/,
    ),
    '3',
    expect.stringMatching(
      /^ExecutionError: \S*test\/fixtures\/staging-app\/recursion\.ts:48:17: staged recursion of 'down' went deeper than 500 calls: .*the tfjs executor recurses in JS/,
    ),
    '3',
    expect.stringMatching(
      /^ExecutionError: \S*test\/fixtures\/staging-app\/recursion\.ts:48:17: staged recursion of 'down' went deeper than 2000 calls: .*the compiled-JS executor recurses in JS/,
    ),
  ]);
  expect(lines[10]).toBe('42 -12');
});
