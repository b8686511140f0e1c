import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluate, runCapture } from './compare.ts';
import { programArbitrary } from './program.ts';

describe('program generator', () => {
  it('generates valid programs that always terminate', () => {
    for (const program of fc.sample(programArbitrary, { numRuns: 200, seed: 42 })) {
      const original = evaluate(program.source);
      expect(typeof original).toBe('function');
      for (const args of program.inputs) {
        const outcome = runCapture(() => original(...args));
        if ('timeout' in outcome) expect.fail(`did not terminate on ${String(args)}:\n${program.source}`);
      }
    }
  });

  it('covers every construct', () => {
    /** A line matching `outer`, then, inside it (deeper indentation), a line matching `inner`. */
    const nested =
      (outer: RegExp, inner: RegExp) =>
      (source: string): boolean => {
        const lines = source.split('\n');
        const indent = (l: string) => l.length - l.trimStart().length;
        for (let i = 0; i < lines.length; i++) {
          if (!outer.test(lines[i])) continue;
          for (let j = i + 1; j < lines.length && indent(lines[j]) > indent(lines[i]); j++) {
            if (inner.test(lines[j])) return true;
          }
        }
        return false;
      };
    const re = (r: RegExp) => (source: string) => r.test(source);
    const constructs: Record<string, (source: string) => boolean> = {
      else: re(/\belse\b/),
      'else if': re(/\belse if \(/),
      'nested if': nested(/^\s*if \(/, /^\s*if \(/),
      while: re(/\bwhile \(f\d+\+\+ < 8 && /),
      'do…while': re(/\bdo \{/),
      'for (let …)': re(/\bfor \(let i\d+ = /),
      'for…of array literal': re(/\bfor \((const|let) v\d+ of \[/),
      'for…of parameter': re(/\bfor \((const|let) v\d+ of [abc]\)/),
      switch: re(/\bswitch \(/),
      'switch default': re(/\bdefault:/),
      'switch fall-through': re(/\bcase [^\n]*:\n\s+(case|default)\b/),
      'switch case with a declaration': re(/\bcase [^\n]*: \{\n/),
      'labelled loop': re(/\bL\d+: (while|do|for)\b/),
      'labelled break': re(/\bbreak L\d+;/),
      'labelled continue': re(/\bcontinue L\d+;/),
      break: re(/\bbreak;/),
      continue: re(/\bcontinue;/),
      'return inside a loop inside a branch': nested(/^\s*if \(/, /^\s*(while|for) \(.*\{$|^\s*return\b/),
      'return inside a loop': nested(/^\s*(L\d+: )?(while|for|do)\b/, /^\s*return\b/),
      '?:': re(/ \? [^\n]* : /),
      '&&': re(/ && (?!\()/),
      '||': re(/ \|\| /),
      '??': re(/ \?\? /),
      '!': re(/!(?!=)/),
      '+': re(/ \+ /),
      '-': re(/ - /),
      '*': re(/ \* /),
      '/': re(/ \/ /),
      '%': re(/ % /),
      '**': re(/ \*\* /),
      'unary -': re(/[(\s]-[a-zA-Z(]/),
      '<': re(/ < (?!\d+ &&)/),
      '<=': re(/ <= /),
      '>': re(/ > /),
      '>=': re(/ >= /),
      '==': re(/ == /),
      '!=': re(/ != /),
      '===': re(/ === /),
      '!==': re(/ !== /),
      '+=': re(/ \+= /),
      '-=': re(/ -= /),
      '*=': re(/ \*= /),
      '||=': re(/ \|\|= /),
      '&&=': re(/ &&= /),
      '??=': re(/ \?\?= /),
      'prefix ++/--': re(/(\+\+|--)[a-z]/),
      'postfix ++ as a value': re(/[a-z]\d*\+\+[^ ;]|[^ ] [a-z]\d*\+\+/),
      'postfix -- as a value': re(/[a-z]\d*--[^ ;]|[^ ] [a-z]\d*--/),
      let: re(/\blet x\d+/),
      const: re(/\bconst x\d+/),
      'shadowing in an inner block': re(/\n {4,}(let|const) [abcx]\d* = /),
      'closure in a loop': nested(/^\s*(L\d+: )?(while|for|do)\b/, /fns\.push\(\(\) => /),
      'string concatenation': re(/'[^']*' \+ |\+ '[^']*'/),
      typeof: re(/\btypeof /),
      'throw new Error': re(/\bthrow new Error\(/),
      NaN: re(/\bNaN\b/),
      Infinity: re(/\bInfinity\b/),
      '-0': re(/-0\b(?!\.)/),
      null: re(/\bnull\b/),
      undefined: re(/\bundefined\b/),
      'immediately called arrow': re(/\(\(\) => /),
      'try/catch': re(/\bcatch( \(e\d+\))? \{/),
      'try/finally': re(/\bfinally \{/),
      'return inside try': nested(/^\s*try \{/, /^\s*return\b/),
      'labelled block with break': nested(/^\s*B\d+: \{/, /^\s*break B\d+;/),
      'member compound assignment': re(/\bo(\.[pq]|\[[^\]]*\]) (\+|-|\*|\/|%|\*\*|\|\||&&|\?\?)= /),
      'member ++/--': re(/\bo\.[pq](\+\+|--)|(\+\+|--)o\.[pq]/),
      'valueOf object': re(/\(\{ valueOf: \(\) => /),
      'evaluation-order trace': re(/\(log\.push\(\d\), /),
      'method call': re(/\.(toString\(\)|toFixed\(1\)|charAt\(0\)|at\(-1\)|foo\(\))/),
      'global call': re(/\b(String|Number|Boolean|Math\.abs|isNaN)\(/),
    };
    const sources = fc.sample(programArbitrary, { numRuns: 500, seed: 7 }).map((p) => p.source);
    const missing = Object.entries(constructs)
      .filter(([, test]) => !sources.some(test))
      .map(([name]) => name);
    expect(missing).toEqual([]);
  });
});
