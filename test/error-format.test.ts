import { describe, expect, it } from 'vitest';
import * as ag from '../src/index.ts';

function rejection(source: string, options?: { file?: string }): ag.ConversionError {
  try {
    ag.convertSource(source, options);
  } catch (e) {
    expect(e).toBeInstanceOf(ag.ConversionError);
    return e as ag.ConversionError;
  }
  throw new Error('expected convertSource to throw a ConversionError');
}

// `with` sits on line 3, column 5 of this source (no tabs anywhere).
const WITH_SOURCE = `function f(o, n) {
  for (let i = 0; i < n; i++) {
    with (o) {
      n -= 1;
    }
  }
  return n;
}`;

describe('ConversionError message format', () => {
  it('puts the caret under the offending column of the quoted source line', () => {
    const err = rejection(WITH_SOURCE, { file: 'fmt.ts' });
    expect({ line: err.line, column: err.column }).toEqual({ line: 3, column: 5 });
    const lines = err.message.split('\n');
    const sourceLineIndex = lines.findIndex((l, i) => i > 0 && l.endsWith('    with (o) {'));
    expect(sourceLineIndex, err.message).toBeGreaterThan(0);
    const sourceLine = lines[sourceLineIndex];
    const caretLine = lines[sourceLineIndex + 1];
    // The caret is the last visible character of its line and sits exactly under the `w` of `with`.
    expect(caretLine.trimEnd().endsWith('^'), err.message).toBe(true);
    expect(caretLine.indexOf('^')).toBe(sourceLine.indexOf('with'));
    expect(sourceLine[caretLine.indexOf('^')]).toBe('w');
    // Nothing but whitespace and gutter characters precede the caret.
    expect(caretLine.slice(0, caretLine.indexOf('^'))).toMatch(/^[\s|]*$/);
  });

  it('ends with a non-empty hint: line equal to the hint field', () => {
    const err = rejection(WITH_SOURCE, { file: 'fmt.ts' });
    expect(typeof err.hint).toBe('string');
    expect(err.hint!.trim()).not.toBe('');
    const lines = err.message.split('\n');
    const hintLines = lines.filter((l) => l.startsWith('hint:'));
    expect(hintLines, err.message).toEqual([`hint: ${err.hint}`]);
    // The hint comes after the caret line.
    const caretIndex = lines.findIndex((l) => l.trimEnd().endsWith('^'));
    expect(caretIndex).toBeGreaterThan(0);
    expect(lines.indexOf(hintLines[0])).toBeGreaterThan(caretIndex);
  });

  it('starts with file:line:col: reason and quotes the original line as excerpt', () => {
    const source = `function g(xs) {
  let s = 0;
  for (const x of xs) {
    s += x * eval('1');
  }
  return s;
}`;
    const err = rejection(source, { file: 'dir/fmt.ts' });
    expect(err.file).toBe('dir/fmt.ts');
    expect({ line: err.line, column: err.column }).toEqual({ line: 4, column: 14 });
    expect(err.excerpt).toBe("    s += x * eval('1');");
    expect(err.message.split('\n')[0]).toBe(`dir/fmt.ts:4:14: ${err.reason}`);
    expect(err.reason).toContain('direct eval cannot be converted');
    // Without options.file the file is '<source>'.
    const unnamed = rejection(source);
    expect(unnamed.file).toBe('<source>');
    expect(unnamed.message.split('\n')[0]).toBe(`<source>:4:14: ${unnamed.reason}`);
  });
});
