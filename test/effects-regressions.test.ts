/**
 * Staged programs with variables and throws that went wrong, found by the effects fuzzer
 * (test/effects-fuzz.test.ts), reduced by hand. Each is run eagerly (`ag.convert`) and staged on both
 * executors from the same starting variable values, several calls in a row, and compared after every
 * call (test/gen/effects-check.ts: outcome, error class and message, every variable).
 *
 * All are fixed; a generator flag named beside a test (test/gen/effects-program.ts) was off while it
 * was open. Binding a local to a variable on one path of staged control flow is refused with a
 * StagingError (staged, the local could only hold a copy of the value, which later assigns would not
 * reach), so `aliasVariables` stays off.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, expect, it } from 'vitest';
import * as ag from '../src/index.ts';
import { check } from './gen/effects-check.ts';
import type { EffectsCall } from './gen/effects-program.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

const zeros: EffectsCall = { x: [0, 0, 0], n: 0 };
/** Runs `source` through the fuzzer's check on one executor, from v = [0, 0, 0], s = 0, c = 0. */
const run = (executor: 'onnx' | 'tfjs' | 'js', source: string, calls: EffectsCall[] = [zeros, zeros]) =>
  check({ source, v0: [0, 0, 0], s0: 0, c0: 0, calls }, [executor]);

for (const executor of ['tfjs', 'onnx', 'js'] as const) {
  // Seed 7 (400 programs): a loop body that always throws after inner loops that assign `t`. The
  // converter leaves `t` out of the inner loops' state (the throw makes it dead there), so at the
  // throw `t` held a value of an inner loop's body; the failing iteration yielded it:
  // IRVerificationError "region result is not in scope". A failing body now yields its entry state.
  it(`a loop body that throws after inner loops that assign a dead local (${executor})`, async () => {
    await run(
      executor,
      `function (x, n) {
  let t = x * 0.5;
  for (const r0 of x) {
    for (let i1 = 0; i1 < 1 && T.sum(v) < 1; i1++) {
      let f2 = 0;
      while (f2 < 1 && T.sum(x + r0) < 0.05) {
        f2 = f2 + 1;
        t = T.tanh(v + 0.5);
      }
      c.assign(c + 1);
    }
    throw new Error('e0');
  }
  return [t, c];
}`,
    );
  });

  // Generator flag: forOfVariable. Eagerly, `for (const r of v)` iterates the rows of v's value when
  // the loop starts; staged, the rows are read from the variable as the body assigns it (iteration 3
  // reads v[2] after two assigns). Expected v = [0, 0, 0.1875], got [0.125, 0.125, 0.3125]: a silent
  // wrong answer. Hint: the for…of source is the variable's carried value, not a snapshot taken
  // before the loop (iterating `v + 0` is right).
  it(`for…of over a variable the body assigns iterates its value from before the loop (${executor})`, async () => {
    await run(
      executor,
      `function (x, n) {
  for (const r of v) {
    v.assign(v + x + r);
  }
  return v;
}`,
      [{ x: [0, 0, 0.0625], n: 0 }],
    );
  });

  // Generator flag: aliasVariables. `u = s` binds u to the variable itself: eagerly, u sees the later
  // assign (u is s: 1). Staged, a staged `if` (both executors) or `while` carried u as a snapshot of
  // s's value (0): a silent wrong answer. Now a StagingError naming u and the variable.
  it(`a local bound to a variable in a staged branch is refused (${executor})`, async () => {
    await expect(
      run(
        executor,
        `function (x, n) {
  let u = T.sum(x);
  if (T.sum(x) < 1) {
    u = s;
  }
  s.assign(s + 1);
  return u;
}`,
      ),
    ).rejects.toThrow(/'u' holds the tf\.Variable '\w+' on one path of staged control flow/);
  });

  it(`a local bound to a variable in a staged while loop is refused (${executor})`, async () => {
    await expect(
      run(
        executor,
        `function (x, n) {
  let u = T.sum(x);
  let i = 0;
  while (i < 1 && T.sum(x) < 1) {
    i = i + 1;
    u = s;
  }
  s.assign(s + 1);
  return u;
}`,
      ),
    ).rejects.toThrow(/'u' holds the tf\.Variable/);
  });

  // Generator flag: aliasVariables (early returns). Returning the variable just assigned in a staged
  // branch: the tfjs executor returns the assigned value, as eager does; ONNX returns v's value from
  // before the call. x = [1, 2, 3]: expected [2, 3, 4], got [0, 0, 0] (ONNX): a silent wrong answer.
  // Found with seed 8 (400 programs).
  it(`returning a variable assigned in a staged branch (${executor})`, async () => {
    await run(
      executor,
      `function (x, n) {
  if (T.sum(x) < 100) {
    v.assign(x + 1);
    return v;
  }
  return x;
}`,
      [{ x: [1, 2, 3], n: 0 }],
    );
  });

  // Generator flag: topGuardsInArrayPrograms. A guard, then a staged loop that assigns a local, then
  // an array returned: the trace fails with "IRVerificationError: invalid IR in 'staged': region result
  // %N is not in scope", on both executors, whatever the input (no variable needed). Expected [6]
  // for x = [1, 2, 3]. Returning `u` alone, or an if/else instead of the guard, works. Hint: the
  // converter moves `while…; return [u]` into the guard's else branch; the failing (then) branch's
  // zeros for the cond's outputs seem to be built from a value of the else region.
  it(`a guard before a loop, then an array returned (${executor})`, async () => {
    await run(
      executor,
      `function (x, n) {
  let u = T.sum(x);
  if (T.sum(x) > 100) throw new Error('e0');
  while (T.sum(x) > 100) {
    u = T.sum(x);
  }
  return [u];
}`,
      [{ x: [1, 2, 3], n: 0 }],
    );
  });

  // Generator flag: bareThrowsInLoops (a loop whose body always throws, after a guard, ends the same
  // way). A guard and then a throw on every path: staged, the call rejects with the guard's error even
  // where its condition is false. x = [0, 0, 0]: expected Error e1, got Error e0. Hint: the guard's
  // else branch (the rest, moved there by the converter) always throws, so the whole cond is a
  // "branch whose every path throws"; the throw raised at trace time is the then branch's.
  it(`a guard, then a throw on every path: the error of the path taken (${executor})`, async () => {
    await run(
      executor,
      `function (x, n) {
  if (T.sum(x) > 100) throw new Error('e0');
  throw new Error('e1');
}`,
    );
  });

  // Generator flag: bareThrowsInLoops. The same without a guard: a check in a loop, then a loop whose
  // body always throws. x = [0, 0, 0]: expected Error e0 (the first check), got Error e1. Found with
  // seed 8 (the always-throwing body was a JS loop around a throw).
  it(`a check, then a loop whose body always throws: the first failure (${executor})`, async () => {
    await run(
      executor,
      `function (x, n) {
  let i = 0;
  while (i < 1 && T.sum(x) < 1) {
    i = i + 1;
    if (T.sum(x) < 1) throw new Error('e0');
  }
  do {
    throw new Error('e1');
  } while (T.sum(x) < 1);
  return x;
}`,
    );
  });

  // Generator flag: traceThrowsAfterChecks. A throw under a JS condition outside staged control flow
  // runs at trace time, so a staged call fails with it before the graph runs, even where an earlier
  // check fails first eagerly (here in a staged loop). n = 1, x = [0, 0, 0]: expected Error e0 (the
  // check), got Error e1. (A guard's check is not affected: the converter moves the rest into its
  // else branch, where such a throw is a check too.)
  // (docs/staging.md says such a throw runs "as every eager call would throw it", which is not so
  // after a check.)
  it(`a trace-time throw after a check that fails first (${executor})`, async () => {
    await run(
      executor,
      `function (x, n) {
  let i = 0;
  while (i < 1 && T.sum(x) < 1) {
    i = i + 1;
    if (T.sum(x) < 1) throw new Error('e0');
  }
  if (n > 0) throw new Error('e1');
  return x;
}`,
      [{ x: [0, 0, 0], n: 1 }],
    );
  });
}

// Generator harness flag: LEAK_CHECK_WITH_THROWS (test/gen/effects-check.ts). A staged function with a
// check leaks a tensor per trace, one per call (the failure code output: `outputs.pop()` in stage.ts's
// `run` is read and never disposed) and, on a failing call, its other outputs (results and variable
// values, not written back, not disposed). `dispose()` frees none of them.
for (const executor of ['tfjs', 'onnx', 'js'] as const) {
  it(`a staged check leaks no tensor (${executor})`, async () => {
    const T: any = tf;
    const f = ag.stage(
      (x: any) => {
        if (T.sum(x) > 0) throw new RangeError('positive');
        return x * 2;
      },
      { scope: { T }, executor },
    );
    const before = tf.memory().numTensors;
    const [good, bad] = [tf.tensor1d([-1, -2]), tf.tensor1d([1, 2])];
    tf.dispose((await f(good)) as tf.Tensor);
    await expect(f(bad)).rejects.toThrow(RangeError);
    tf.dispose((await f(good)) as tf.Tensor);
    await expect(f(bad)).rejects.toThrow(RangeError);
    await f.dispose();
    tf.dispose([good, bad]);
    expect(tf.memory().numTensors).toBe(before);
  });
}
