/**
 * Converted code raises "x is not a function" / "x is not iterable" itself, naming the callee the way
 * V8's CallPrinter does. Each expression here (several found by the fuzzer) is called as a method
 * receiver and iterated, original against converted, in both forms.
 */
import { describe, expect, it } from 'vitest';
import * as ag from '../src/index.ts';
import { FORMS } from './gen/compare.ts';

const RECEIVERS = [
  'a',
  'o.p',
  'o["0"]',
  'o[""]',
  'o[a]',
  'o[1 + 1]',
  '(a + b + c)',
  '(a - b - c)',
  '(a * b + c)',
  '(a && b && c)',
  '(a || b) && c',
  '(a && 5)',
  '(a + b + 3)',
  '((c < a) < (null, a))',
  '(a < b < c)',
  '(a != b)',
  '(a !== b)',
  '(!-3)',
  '(-0)',
  '(-a)',
  '(typeof a)',
  '(a ? b : c)',
  '(a, b)',
  '[a, 1]',
  '({ p: a })',
  '`x${a}`',
  'String(a)',
  'o.f(a).g',
  '(a = 1)',
  '(a++)',
];

const messageOf = (f: (...args: any[]) => unknown) => {
  try {
    f(1, 2, 3, { f: () => ({}) });
    return 'no error';
  } catch (e) {
    return `${(e as Error).constructor.name}: ${(e as Error).message}`;
  }
};

describe.each(FORMS)('callee text (%s form)', (form) => {
  it.each(RECEIVERS)('%s.foo() throws the same error', (receiver) => {
    const source = `function (a, b, c, o) { return ${receiver}.foo(); }`;
    // biome-ignore lint/security/noGlobalEval: the original runs as written
    const original = (0, eval)(`(${source})`);
    expect(messageOf(ag.convertSource(source, { form }))).toBe(messageOf(original));
  });
  it.each(RECEIVERS)('for (… of %s) throws the same error', (receiver) => {
    const source = `function (a, b, c, o) { for (const x of ${receiver}) {} }`;
    // biome-ignore lint/security/noGlobalEval: the original runs as written
    const original = (0, eval)(`(${source})`);
    expect(messageOf(ag.convertSource(source, { form }))).toBe(messageOf(original));
  });
});
