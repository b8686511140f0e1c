import { describe, expect, it } from 'vitest';
import * as ag from '../src/index.ts';

// Every source below is written flush-left inside its template literal, so the line and column of a
// construct in this file's text (counting from the opening backtick's line) is its line and column in
// the source handed to `convertSource`. Line 1, column 1 is the first character after the backtick.

const REASON = {
  generator: 'generator functions cannot be converted',
  async: 'async functions cannot be converted to the graph form',
  lazyAwait: "'await' in an operand that the eager form evaluates in a closure cannot be converted",
  with: "'with' statements cannot be converted",
  eval: 'direct eval cannot be converted',
  sloppyArguments:
    "a write to a parameter or to 'arguments' in a function that reads 'arguments' cannot be converted unless the code is strict",
  outerArguments: "'arguments' of an enclosing function cannot be converted outside the loader",
  outerNewTarget: "'new.target' of an enclosing function cannot be converted outside the loader",
  finally: "inside a 'finally' block cannot be converted",
  switchLeak: 'is declared in one switch case and used in another',
  syntax: 'syntax error:',
  freeVariable: 'cannot resolve free variable',
  noSource: 'has no JavaScript source',
  class: 'classes cannot be converted',
  privateMethod: 'private methods cannot be converted outside the loader',
  super: "'super' cannot be converted outside the loader",
} as const;

/** Runs `action` and returns what it threw, asserting that it is a ConversionError. */
function conversionErrorOf(action: () => unknown): ag.ConversionError {
  let thrown: unknown;
  let threw = false;
  try {
    action();
  } catch (e) {
    threw = true;
    thrown = e;
  }
  expect(threw, 'expected a ConversionError to be thrown').toBe(true);
  expect(thrown).toBeInstanceOf(ag.ConversionError);
  expect(thrown).toBeInstanceOf(ag.AutoGraphError);
  expect(thrown).toBeInstanceOf(Error);
  return thrown as ag.ConversionError;
}

function expectHint(err: ag.ConversionError) {
  expect(typeof err.hint).toBe('string');
  expect((err.hint ?? '').trim().length).toBeGreaterThan(0);
}

interface Expected {
  /** A phrase of the contract table that `reason` must contain. */
  reason: string;
  line: number;
  column: number;
  /** The text that starts at (line, column) in `source`: a self-check of the hand-computed position. */
  at: string;
  /** Further substrings the reason must contain, e.g. the quoted names of free variables. */
  alsoContains?: string[];
  /** Substrings the reason must not contain. */
  notContains?: string[];
  scope?: Record<string, unknown>;
  /** The form to convert to (the eager form by default). */
  form?: 'eager' | 'graph';
}

/** Converts `source` as `bad.ts` and checks the full ConversionError: class, reason, location, message. */
function expectRejected(source: string, expected: Expected): ag.ConversionError {
  const lines = source.split('\n');
  const offending = lines[expected.line - 1];
  // Self-check: the expected position really is where the construct starts.
  expect(offending, `source has no line ${expected.line}`).toBeDefined();
  expect(
    offending.slice(expected.column - 1).startsWith(expected.at),
    `"${expected.at}" at column ${expected.column} of "${offending}"`,
  ).toBe(true);

  const options = {
    file: 'bad.ts',
    ...(expected.scope ? { scope: expected.scope } : {}),
    ...(expected.form ? { form: expected.form } : {}),
  };
  const err = conversionErrorOf(() => ag.convertSource(source, options));

  expect(err.reason).toContain(expected.reason);
  for (const s of expected.alsoContains ?? []) expect(err.reason).toContain(s);
  for (const s of expected.notContains ?? []) expect(err.reason).not.toContain(s);
  expect({ file: err.file, line: err.line, column: err.column }).toEqual({
    file: 'bad.ts',
    line: expected.line,
    column: expected.column,
  });
  expect(err.excerpt).toBe(offending);

  const message = err.message;
  expect(message).toContain(`bad.ts:${expected.line}:${expected.column}`);
  expect(message).toContain(err.reason);
  const messageLines = message.split('\n');
  const at = messageLines.findIndex((l, i) => i > 0 && l.endsWith(offending));
  expect(at, `message shows the offending line:\n${message}`).toBeGreaterThan(0);
  const caretLine = messageLines[at + 1] ?? '';
  expect(caretLine.trimEnd().endsWith('^'), `caret line follows the source line:\n${message}`).toBe(true);
  const sourceStart = messageLines[at].length - offending.length;
  expect(caretLine.indexOf('^'), `caret under column ${expected.column}:\n${message}`).toBe(
    sourceStart + expected.column - 1,
  );
  expectHint(err);
  expect(message).toContain(`hint: ${err.hint}`);
  return err;
}

describe('generator functions are rejected at their `function` keyword', () => {
  it('a top-level generator declaration with a yield in a loop', () => {
    expectRejected(
      `function* range(n) {
  for (let i = 0; i < n; i++) {
    yield i;
  }
}`,
      { reason: REASON.generator, line: 1, column: 1, at: 'function*' },
    );
  });

  it('a generator function expression assigned inside a for loop', () => {
    expectRejected(
      `function build(n) {
  const out = [];
  for (let i = 0; i < n; i++) {
    const g = function* () {
      yield i;
    };
    out.push(g);
  }
  return out;
}`,
      { reason: REASON.generator, line: 4, column: 15, at: 'function* ()' },
    );
  });

  it('a generator declared in an if branch of a nested arrow', () => {
    expectRejected(
      `function outer(xs) {
  const pick = (x) => {
    if (x > 0) {
      function* inner() {
        yield x;
      }
      return inner;
    }
    return null;
  };
  return xs.map(pick);
}`,
      { reason: REASON.generator, line: 4, column: 7, at: 'function* inner' },
    );
  });

  it('a generator used as an object property value in a switch case', () => {
    expectRejected(
      `function make(kind) {
  switch (kind) {
    case 'gen':
      return {
        items: function* () {
          yield 1;
        },
      };
    default:
      return null;
  }
}`,
      { reason: REASON.generator, line: 5, column: 16, at: 'function* ()' },
    );
  });

  it('a generator with a deeply nested yield is reported at the generator, not at the yield', () => {
    expectRejected(
      `function walk(tree) {
  const out = [];
  if (tree) {
    const visit = function* (node) {
      for (const child of node.children) {
        if (child.leaf) {
          yield child;
        }
      }
    };
    out.push(visit);
  }
  return out;
}`,
      { reason: REASON.generator, line: 4, column: 19, at: 'function* (node)' },
    );
  });
});

describe('async functions are rejected by the graph form at their `async` keyword', () => {
  it('a top-level async function declaration', () => {
    expectRejected(
      `async function load(url) {
  const r = await url;
  return r;
}`,
      { form: 'graph', reason: REASON.async, line: 1, column: 1, at: 'async function' },
    );
  });

  it('a top-level async arrow', () => {
    expectRejected(
      `async (x) => {
  return x + 1;
}`,
      { form: 'graph', reason: REASON.async, line: 1, column: 1, at: 'async (x)' },
    );
  });

  it('an async arrow passed as a callback inside a for-of loop', () => {
    expectRejected(
      `function run(batches) {
  const pending = [];
  for (const b of batches) {
    pending.push(b.map(async (x) => x * 2));
  }
  return pending;
}`,
      { form: 'graph', reason: REASON.async, line: 4, column: 24, at: 'async (x)' },
    );
  });

  it('an async method of an object literal inside an if branch', () => {
    expectRejected(
      `function api(enabled) {
  if (enabled) {
    return {
      name: 'api',
      async load() {
        return 1;
      },
    };
  }
  return null;
}`,
      { form: 'graph', reason: REASON.async, line: 5, column: 7, at: 'async load' },
    );
  });

  it('an async function expression in a conditional inside a while loop', () => {
    expectRejected(
      `function pick(flag) {
  let n = 0;
  while (n < 3) {
    n++;
    const h = flag ? async function () { return n; } : null;
    if (h) return h;
  }
  return null;
}`,
      { form: 'graph', reason: REASON.async, line: 5, column: 22, at: 'async function' },
    );
  });
});

describe('async functions convert to the eager form', () => {
  it('awaits in conditions, loop bodies, operator operands and nested async functions', async () => {
    const f = ag.convertSource(
      `async function total(xs, p) {
  let s = 0;
  for (const x of xs) {
    if ((await p) > x) s += await Promise.resolve(x);
  }
  const g = async (y) => (await p) * y;
  return s + (await g(2));
}`,
      { file: 'ok.ts' },
    );
    await expect(f([1, 2, 5], Promise.resolve(3))).resolves.toBe(9);
  });

  it("rejects an await in the right operand of '&&' (a closure), at the await", () => {
    expectRejected(
      `async function load(ready, p) {
  return ready && (await p);
}`,
      { reason: REASON.lazyAwait, line: 2, column: 20, at: 'await p' },
    );
  });

  it("rejects an await in a later 'case' test (a closure), at the await", () => {
    expectRejected(
      `async function pick(x, p) {
  switch (x) {
    case 1:
      return 'one';
    case await p:
      return 'p';
  }
  return 'none';
}`,
      { reason: REASON.lazyAwait, line: 5, column: 10, at: 'await p' },
    );
  });
});

describe("'with' statements are rejected at the `with` keyword", () => {
  it('a with statement at the top of the body', () => {
    expectRejected(
      `function f(o) {
  with (o) {
    return 1;
  }
}`,
      { reason: REASON.with, line: 2, column: 3, at: 'with (o)' },
    );
  });

  it('a with statement in a while loop inside an if', () => {
    expectRejected(
      `function sum(o, n) {
  let total = 0;
  if (n > 0) {
    while (total < n) {
      with (o) {
        total += 1;
      }
    }
  }
  return total;
}`,
      { reason: REASON.with, line: 5, column: 7, at: 'with (o)' },
    );
  });

  it('a with statement in an arrow declared in a braced switch case', () => {
    expectRejected(
      `function g(kind, o) {
  switch (kind) {
    case 1: {
      const fn = () => {
        with (o) {
          return 1;
        }
      };
      return fn();
    }
    default:
      return 0;
  }
}`,
      { reason: REASON.with, line: 5, column: 9, at: 'with (o)' },
    );
  });
});

describe('direct eval is rejected at the `eval` identifier', () => {
  it('a returned eval call', () => {
    expectRejected(
      `function run(code) {
  return eval(code);
}`,
      { reason: REASON.eval, line: 2, column: 10, at: 'eval(code)' },
    );
  });

  it('eval in an object method inside a for loop', () => {
    expectRejected(
      `function each(snippets) {
  const results = [];
  for (let i = 0; i < snippets.length; i++) {
    const box = {
      run(s) {
        return eval(s);
      },
    };
    results.push(box.run(snippets[i]));
  }
  return results;
}`,
      { reason: REASON.eval, line: 6, column: 16, at: 'eval(s)' },
    );
  });

  it('eval as a call argument inside a labelled nested loop', () => {
    expectRejected(
      `function scan(rows, pick) {
  let found = null;
  outer: for (const row of rows) {
    for (const cell of row) {
      found = pick(cell, eval('cell'));
      if (found) break outer;
    }
  }
  return found;
}`,
      { reason: REASON.eval, line: 5, column: 26, at: "eval('cell')" },
    );
  });
});

describe("'arguments'", () => {
  // `convertSource` cannot tell whether the text was sloppy-mode code, where `arguments` aliases
  // simple parameters: a function that reads it and writes a parameter or an element is refused.
  it('a sloppy-mode write to a parameter is rejected at the write', () => {
    expectRejected(
      `function pad(a, b) {
  if (arguments.length < 2) {
    b = 0;
  }
  return a + b;
}`,
      { reason: REASON.sloppyArguments, line: 3, column: 5, at: 'b = 0' },
    );
  });

  it('a write to arguments[i] inside a loop is rejected at the element', () => {
    expectRejected(
      `function scale(x) {
  for (let i = 0; i < arguments.length; i++) {
    arguments[i] *= 2;
  }
  return x;
}`,
      { reason: REASON.sloppyArguments, line: 3, column: 5, at: 'arguments[i]' },
    );
  });

  it('a write to the outer parameter from an inner arrow is rejected', () => {
    expectRejected(
      `function f(a) {
  const set = () => {
    a++;
  };
  set();
  return arguments[0];
}`,
      { reason: REASON.sloppyArguments, line: 3, column: 5, at: 'a++' },
    );
  });

  it("an arrow converted on its own cannot reach its enclosing function's arguments", () => {
    expectRejected(
      `(x) => {
  if (x) {
    return arguments.length;
  }
  return 0;
}`,
      { reason: REASON.outerArguments, line: 3, column: 12, at: 'arguments.length' },
    );
  });

  it('converts when the code is strict, the parameters are not simple, or nothing is written', () => {
    const sources: [string, unknown[], unknown][] = [
      ["function f(a) { 'use strict'; a = 5; return [a, arguments[0]]; }", [1], [5, 1]],
      ['function f(a, b = 2) { a = 5; return [a, b, arguments[0], arguments.length]; }', [1], [5, 2, 1, 1]],
      ['function f(...xs) { xs[0] = 5; return [arguments[0], arguments.length]; }', [1, 2], [1, 2]],
      ['function f() { let s = 0; for (const v of arguments) if (v > 0) s += v; return s; }', [1, -2, 3], 4],
      ['function f(n) { return [n, arguments.length, Math.max.apply(null, arguments)]; }', [3, 7], [3, 2, 7]],
    ];
    for (const form of ['eager', 'graph'] as const)
      for (const [source, args, expected] of sources)
        expect(ag.convertSource(source, { form })(...args), `${form}: ${source}`).toEqual(expected);
  });

  it('a write in a function that does not read arguments is not refused', () => {
    const f = ag.convertSource('function f(a) { a = a + 1; return () => a; }');
    expect((f(1) as () => number)()).toBe(2);
  });
});

describe("'new.target' is kept; only an arrow's outer new.target is rejected outside the loader", () => {
  it('new.target in an if condition: converted functions are called as functions', () => {
    const source = `function Point(x) {
  if (!new.target) {
    return { called: x };
  }
  this.x = x;
}`;
    for (const form of ['eager', 'graph'] as const) {
      const converted = ag.convertSource(source, { form });
      expect(converted(3)).toEqual({ called: 3 });
      // `new` on the converted copy would see the copy as new.target: a TypeError instead
      expect(() => new (converted as any)(3)).toThrow(
        "the converted form of 'Point' cannot be called with new: it reads new.target",
      );
    }
  });

  it('new.target in an arrow declared in a for-of loop, and in a nested constructor', () => {
    const source = `function Widget(parts) {
  const kinds = [];
  function Part(p) { this.p = p; this.constructed = new.target === Part; }
  for (const p of parts) {
    const check = () => new.target === undefined;
    kinds.push(check() ? new Part(p) : null);
  }
  return kinds;
}`;
    for (const form of ['eager', 'graph'] as const) {
      const parts = ag.convertSource(source, { form })([1, 2]) as { p: number; constructed: boolean }[];
      expect(parts.map((q) => [q.p, q.constructed])).toEqual([
        [1, true],
        [2, true],
      ]);
    }
  });

  it("an arrow's new.target, converted from its text alone", () => {
    expectRejected(
      `(xs) => {
  if (new.target) return xs;
  return [];
}`,
      { reason: REASON.outerNewTarget, line: 2, column: 7, at: 'new.target' },
    );
  });
});

describe('jumps inside a finally block are rejected at the keyword', () => {
  it('return in finally', () => {
    expectRejected(
      `function f(x) {
  try {
    x = x * 2;
  } finally {
    return x;
  }
}`,
      { reason: REASON.finally, line: 5, column: 5, at: 'return x' },
    );
  });

  it('break out of the enclosing loop in finally', () => {
    expectRejected(
      `function f(xs) {
  let last = 0;
  for (const x of xs) {
    try {
      last = x;
    } finally {
      if (last > 10) break;
    }
  }
  return last;
}`,
      { reason: REASON.finally, line: 7, column: 22, at: 'break;' },
    );
  });

  it('continue in the finally of a try/catch/finally in a while loop', () => {
    expectRejected(
      `function f(n) {
  let i = 0;
  let hits = 0;
  while (i < n) {
    i++;
    try {
      hits += i;
    } catch (e) {
      hits = -1;
    } finally {
      continue;
    }
  }
  return hits;
}`,
      { reason: REASON.finally, line: 11, column: 7, at: 'continue;' },
    );
  });

  it('labelled break to an outer loop from a finally in the inner loop', () => {
    expectRejected(
      `function f(grid) {
  let seen = 0;
  rows: for (const row of grid) {
    for (const cell of row) {
      try {
        seen += cell;
      } finally {
        if (seen > 100) {
          break rows;
        }
      }
    }
  }
  return seen;
}`,
      { reason: REASON.finally, line: 9, column: 11, at: 'break rows' },
    );
  });

  it('return in an if inside the finally of a nested arrow', () => {
    expectRejected(
      `function f(items) {
  const check = (x) => {
    try {
      return x > 0;
    } finally {
      if (x === 0) {
        return false;
      }
    }
  };
  return items.filter(check);
}`,
      { reason: REASON.finally, line: 7, column: 9, at: 'return false' },
    );
  });
});

describe('switch-case lexical leaks are rejected at the use in the other case', () => {
  it('let declared in case 0, assigned in case 1', () => {
    expectRejected(
      `function f(k) {
  switch (k) {
    case 0:
      let t = 1;
      return t;
    case 1:
      t = 2;
      return t;
  }
  return -1;
}`,
      { reason: REASON.switchLeak, line: 7, column: 7, at: 't = 2' },
    );
  });

  it('const declared in a case, read in an if inside the default case', () => {
    expectRejected(
      `function f(k, x) {
  switch (k) {
    case 'a':
      const limit = 10;
      return x < limit;
    case 'b':
      return false;
    default:
      if (x > 0) {
        return x + limit;
      }
      return 0;
  }
}`,
      { reason: REASON.switchLeak, line: 10, column: 20, at: 'limit;' },
    );
  });

  it('let captured by a closure created in another case', () => {
    expectRejected(
      `function f(k) {
  const fns = [];
  switch (k) {
    case 1:
      let count = 0;
      fns.push(() => count);
      break;
    case 2:
      fns.push(() => count + 1);
      break;
  }
  return fns;
}`,
      { reason: REASON.switchLeak, line: 9, column: 22, at: 'count + 1' },
    );
  });

  it('a switch inside an if inside a for-of loop', () => {
    expectRejected(
      `function tally(rows) {
  let out = '';
  for (const r of rows) {
    if (r) {
      switch (r.kind) {
        case 'x':
          const mark = 'X';
          out += mark;
          break;
        default:
          out += r.kind === 'y' ? mark : '-';
      }
    }
  }
  return out;
}`,
      { reason: REASON.switchLeak, line: 11, column: 35, at: "mark : '-'" },
    );
  });

  it('a switch in a loop of a nested function', () => {
    expectRejected(
      `function outer(xs) {
  function classify(v) {
    let label = '';
    for (const x of xs) {
      switch (x) {
        case 'a':
          let tag = 'A';
          label += tag;
          break;
        case 'b':
          label += tag.toLowerCase() + v;
          break;
      }
    }
    return label;
  }
  return classify(1);
}`,
      { reason: REASON.switchLeak, line: 11, column: 20, at: 'tag.toLowerCase()' },
    );
  });
});

describe('syntax errors carry the parser position', () => {
  it('a missing initializer expression', () => {
    const err = expectRejected(
      `function f(x) {
  let y = ;
  return y;
}`,
      { reason: REASON.syntax, line: 2, column: 11, at: ';' },
    );
    expect(err.reason).toMatch(/syntax error: \S/);
  });

  it('a missing closing parenthesis of a for header', () => {
    const err = expectRejected(
      `function f(n) {
  let s = 0;
  for (let i = 0; i < n; i++ {
    s += i;
  }
  return s;
}`,
      { reason: REASON.syntax, line: 3, column: 30, at: '{' },
    );
    expect(err.reason).toMatch(/syntax error: \S/);
  });

  it('an error on the first line', () => {
    const err = expectRejected(
      `function f(x y) {
  return x;
}`,
      { reason: REASON.syntax, line: 1, column: 14, at: 'y)' },
    );
    expect(err.reason).toMatch(/syntax error: \S/);
  });

  it('an error deep inside nested arrows', () => {
    const err = expectRejected(
      `(xs) => {
  return xs.map((x) => {
    if (x) {
      return x +;
    }
  });
}`,
      { reason: REASON.syntax, line: 4, column: 17, at: ';' },
    );
    expect(err.reason).toMatch(/syntax error: \S/);
  });
});

describe('free variables of convertSource are rejected at their first reference', () => {
  it('lists every unresolved name in source order', () => {
    expectRejected(
      `function affine(x) {
  const y = x * scale;
  return y + offset;
}`,
      {
        reason: REASON.freeVariable,
        line: 2,
        column: 17,
        at: 'scale',
        alsoContains: ["'scale', 'offset'"],
      },
    );
  });

  it('the first unresolved reference may be inside a nested arrow in a loop', () => {
    expectRejected(
      `function run(xs) {
  let acc = 0;
  for (const x of xs) {
    const f = (v) => v * factor;
    acc += f(x) + bias;
  }
  return acc + factor;
}`,
      {
        reason: REASON.freeVariable,
        line: 4,
        column: 26,
        at: 'factor;',
        alsoContains: ["'factor', 'bias'"],
      },
    );
  });

  it('names given in options.scope are resolved; the rest are reported', () => {
    expectRejected(
      `function affine(x) {
  const y = x * scale;
  return y + offset;
}`,
      {
        reason: REASON.freeVariable,
        line: 3,
        column: 14,
        at: 'offset',
        alsoContains: ["'offset'"],
        notContains: ["'scale'"],
        scope: { scale: 2 },
      },
    );
  });

  it('globals such as Math are resolved from globalThis', () => {
    expectRejected(
      `function norm(v) {
  return Math.sqrt(v * v) / unit;
}`,
      {
        reason: REASON.freeVariable,
        line: 2,
        column: 29,
        at: 'unit',
        alsoContains: ["'unit'"],
        notContains: ["'Math'"],
      },
    );
  });
});

describe('classes given as source', () => {
  it('a class declaration is rejected at `class`', () => {
    expectRejected(
      `class A {
  m() {
    return 1;
  }
}`,
      { reason: REASON.class, line: 1, column: 1, at: 'class A' },
    );
  });
});

// ---------------------------------------------------------------------------------------------------
// ag.convert on live functions (the fn.toString() path)

const scale = 2;
const offset = 1;

function affine(x: number) {
  const y = x * scale;
  return y + offset;
}

describe('ag.convert rejections', () => {
  it('a native function has no JavaScript source', () => {
    const err = conversionErrorOf(() => ag.convert(Math.max));
    expect(err.reason).toContain(REASON.noSource);
    expect(err.message).toContain(err.reason);
    expectHint(err);
  });

  it('a bound function has no JavaScript source', () => {
    function add(a: number, b: number) {
      return a + b;
    }
    const err = conversionErrorOf(() => ag.convert(add.bind(null)));
    expect(err.reason).toContain(REASON.noSource);
    expect(err.message).toContain(err.reason);
    expectHint(err);
  });

  it('a class is rejected', () => {
    const err = conversionErrorOf(() => ag.convert(class A {} as any));
    expect(err.reason).toContain(REASON.class);
    expect(err.message).toContain(err.reason);
    expectHint(err);
  });

  it('a getter obtained from a property descriptor converts (from its text): called with the object, as the property read calls it', () => {
    const holder = {
      items: [3, -1, 4],
      get size() {
        let n = 0;
        for (const x of this.items) if (x > 0) n++;
        return n;
      },
    };
    const getter = Object.getOwnPropertyDescriptor(holder, 'size')!.get!;
    for (const form of ['eager', 'graph'] as const) {
      const converted = ag.convert(getter, { form });
      expect(converted).not.toBe(getter);
      expect(converted.call(holder)).toBe(holder.size);
    }
  });

  it('a setter obtained from a property descriptor converts (from its text)', () => {
    const holder = {
      stored: 0,
      set size(v: number) {
        this.stored = v > 0 ? v : -v;
      },
    };
    const setter = Object.getOwnPropertyDescriptor(holder, 'size')!.set!;
    for (const form of ['eager', 'graph'] as const) {
      ag.convert(setter, { form }).call(holder, -5);
      expect(holder.stored).toBe(5);
    }
  });

  it('a static getter of a class and a getter with a literal computed key convert from their text', () => {
    class Sizes {
      static base = 2;
      static get twice() {
        // biome-ignore lint/complexity/noThisInStatic: converted from its text, the getter must see `this`
        return this.base > 1 ? this.base * 2 : 0;
      }
      get [7]() {
        return 7;
      }
    }
    const twice = Object.getOwnPropertyDescriptor(Sizes, 'twice')!.get!;
    expect(ag.convert(twice).call(Sizes)).toBe(4);
    expect(ag.convert(Object.getOwnPropertyDescriptor(Sizes.prototype, '7')!.get!).call(null)).toBe(7);
  });

  it('a private method is rejected', () => {
    class Vault {
      #open(n: number) {
        return n > 0;
      }
      opener() {
        return this.#open;
      }
    }
    const err = conversionErrorOf(() => ag.convert(new Vault().opener()));
    expect(err.reason).toContain(REASON.privateMethod);
    expect({ line: err.line, column: err.column }).toEqual({ line: 1, column: 1 });
    expect(err.excerpt).toMatch(/^#open\(n/);
    expectHint(err);
  });

  it('module-level constants are free variables on the toString path: every name is listed', () => {
    expect(affine(5)).toBe(11);
    const err = conversionErrorOf(() => ag.convert(affine));
    expect(err.reason).toContain(REASON.freeVariable);
    expect(err.reason).toContain("'scale', 'offset'");
    expect(err.message).toContain(err.reason);
    expectHint(err);
  });

  it('options.scope resolves the free variables and the result matches the original', () => {
    const converted = ag.convert(affine, { scope: { scale: 2, offset: 1 } });
    for (const x of [-3, 0, 0.5, 5, 1e6]) expect(converted(x)).toBe(affine(x));
  });

  it('super in an object method is rejected outside the loader', () => {
    const child = {
      describe() {
        return 'child of ' + super.toString();
      },
    };
    expect(child.describe()).toBe('child of [object Object]');
    const err = conversionErrorOf(() => ag.convert(child.describe));
    expect(err.reason).toContain(REASON.super);
    expect(err.message).toContain(err.reason);
    expectHint(err);
  });
});

// ---------------------------------------------------------------------------------------------------
// Constructs that look close to the rejected ones but must convert and behave as the original

describe('accepted constructs', () => {
  it('try/finally with a return inside try gives the original result and side effects', () => {
    function tryReturn(x: number, log: string[]) {
      try {
        log.push('try');
        return x * 2;
      } finally {
        log.push('finally');
      }
    }
    const converted = ag.convert(tryReturn);
    for (const x of [0, 1, 7]) {
      const a: string[] = [];
      const b: string[] = [];
      expect(converted(x, b)).toBe(tryReturn(x, a));
      expect(b).toEqual(a);
      expect(b).toEqual(['try', 'finally']);
    }
  });

  it('try/catch inside a loop with break inside try', () => {
    function firstNegative(xs: number[]) {
      let i = 0;
      let errors = 0;
      for (; i < xs.length; i++) {
        try {
          if (xs[i] < 0) break;
          if (xs[i] === 0) throw new Error('zero');
        } catch (_e) {
          errors += 1;
        }
      }
      return [i, errors];
    }
    const converted = ag.convert(firstNegative);
    for (const xs of [[], [1, 2], [0, 1, -1, 0], [0, 0, 3], [-5]]) {
      expect(converted(xs)).toEqual(firstNegative(xs));
    }
  });

  it('break inside try (not finally) of a try/finally in a loop', () => {
    function loopFinally(xs: number[], log: string[]) {
      for (const x of xs) {
        try {
          if (x > 2) break;
          log.push('x' + x);
        } finally {
          log.push('f' + x);
        }
      }
      return log.length;
    }
    const converted = ag.convert(loopFinally);
    for (const xs of [[], [1], [1, 2, 3, 4], [5, 1]]) {
      const a: string[] = [];
      const b: string[] = [];
      expect(converted(xs, b)).toBe(loopFinally(xs, a));
      expect(b).toEqual(a);
    }
  });

  it('labelled blocks with break to the label', () => {
    function labelled(x: number) {
      let r = 'none';
      check: {
        if (x > 0) {
          r = 'pos';
          break check;
        }
        r = 'nonpos';
      }
      return r;
    }
    const converted = ag.convert(labelled);
    for (const x of [-1, 0, 1, 2]) expect(converted(x)).toBe(labelled(x));
  });

  it('getters used in conditions are called in the same order and number', () => {
    function viaGetters(o: { flag: boolean; value: number }) {
      if (o.flag && o.value > 1) {
        return o.value;
      }
      return -1;
    }
    function make(flag: boolean, value: number, log: string[]) {
      return {
        get flag() {
          log.push('flag');
          return flag;
        },
        get value() {
          log.push('value');
          return value;
        },
      };
    }
    const converted = ag.convert(viaGetters);
    for (const [flag, value] of [
      [true, 5],
      [true, 0],
      [false, 5],
    ] as const) {
      const a: string[] = [];
      const b: string[] = [];
      expect(converted(make(flag, value, b))).toBe(viaGetters(make(flag, value, a)));
      expect(b).toEqual(a);
    }
  });

  it('for...in over an object', () => {
    function describeObject(o: Record<string, number>) {
      let s = '';
      for (const k in o) {
        if (o[k] < 0) continue;
        s += k + '=' + o[k] + ';';
      }
      return s;
    }
    const converted = ag.convert(describeObject);
    const objects: Record<string, number>[] = [{}, { a: 1 }, { a: 1, b: -2, c: 3 }];
    for (const o of objects) expect(converted(o)).toBe(describeObject(o));
  });

  it('a switch whose cases declare let in their own braces', () => {
    function braced(k: number) {
      switch (k) {
        case 0: {
          let t = 'zero';
          t += '!';
          return t;
        }
        case 1: {
          let t = 'one';
          t += '?';
          return t;
        }
        default: {
          const t = 'many';
          return t;
        }
      }
    }
    const converted = ag.convert(braced);
    for (const k of [0, 1, 2, -1]) expect(converted(k)).toBe(braced(k));
  });

  it('a nested non-generator function declared in a block', () => {
    function blockFn(n: number) {
      let r = 0;
      if (n > 0) {
        function twice(v: number) {
          return v * 2;
        }
        r = twice(n) + 1;
      }
      return r;
    }
    const converted = ag.convert(blockFn);
    for (const n of [-2, 0, 1, 4]) expect(converted(n)).toBe(blockFn(n));
  });

  it('this inside an object method converted via ag.convert(obj.m) and called with .call(obj)', () => {
    const counter = {
      base: 10,
      m(x: number) {
        if (x > 0) {
          return this.base + x;
        }
        return this.base;
      },
    };
    const converted = ag.convert(counter.m);
    expect(converted.call(counter, 5)).toBe(15);
    expect(converted.call(counter, -1)).toBe(10);
    expect(converted.call({ base: 1 }, 2)).toBe(counter.m.call({ base: 1 }, 2));
  });

  it('convertSource accepts a plain function whose free names are all in scope or globalThis', () => {
    expect(() =>
      ag.convertSource(
        `function affine(x) {
  const y = Math.abs(x) * scale;
  return y + offset;
}`,
        { file: 'good.ts', scope: { scale: 2, offset: 1 } },
      ),
    ).not.toThrow();
  });
});
