/**
 * The loader's textual opt-in pre-check (transform/opt-in.ts) against transformModule's decision
 * from the syntax tree: the pre-check may say "maybe" for a module that does not opt in, never "no"
 * for one that does, since the loader then neither parses nor converts it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { transformModule } from '../src/transform/module.ts';
import { mayOptIn } from '../src/transform/opt-in.ts';

const converts = (source: string, typescript = true) =>
  transformModule(source, { file: 'm.ts', typescript, runtime: 'autograph-ts/runtime' }).converted;

const body = 'function f(x: number) {\n  if (x > 0) return x;\n  return -x;\n}\n';

describe('mayOptIn', () => {
  it('says "maybe" for every way of opting in', () => {
    const optingIn = [
      `import * as ag from 'autograph-ts';\n${body}`,
      `import { convert } from "autograph-ts";\n${body}`,
      `import 'autograph-ts/register';\n${body}`,
      `'use autograph';\n${body}`,
      `"use autograph";\n${body}`,
      `function f(x: number) {\n  'use autograph';\n  if (x > 0) return x;\n  return -x;\n}\n`,
    ];
    for (const source of optingIn) {
      expect(converts(source), source).toBe(true);
      expect(mayOptIn(source), source).toBe(true);
    }
  });

  it('says "no" for modules that mention neither, and "maybe" (settled by the parse) for a mere mention', () => {
    expect(mayOptIn(body)).toBe(false);
    expect(mayOptIn(`import * as tf from '@tensorflow/tfjs';\n${body}`)).toBe(false);
    for (const mention of [
      `// converted by autograph-ts elsewhere\n${body}`,
      `const note = 'use autograph';\n${body}`,
      `import type { StagedFunction } from 'autograph-ts';\n${body}`,
    ]) {
      expect(mayOptIn(mention), mention).toBe(true);
      expect(converts(mention), mention).toBe(false);
    }
  });

  it('an import specifier counts as written: one spelled with escapes does not opt in', () => {
    const escaped = `import * as ag from 'autograph\\x2dts';\n${body}`;
    expect(mayOptIn(escaped)).toBe(false);
    expect(converts(escaped)).toBe(false);
  });

  it('agrees with transformModule on every example and loader fixture', () => {
    const dirs = ['examples', ...readdirSync('test/fixtures').map((d) => join('test/fixtures', d))];
    const files = dirs.flatMap((d) =>
      readdirSync(d)
        .filter((f) => /\.(ts|js)$/.test(f))
        .map((f) => join(d, f)),
    );
    let optingIn = 0;
    for (const file of files) {
      const source = readFileSync(file, 'utf8');
      let converted: boolean;
      try {
        converted = converts(source, file.endsWith('.ts'));
      } catch {
        continue; // the loader compiles such a module without twins (transformModule throws)
      }
      if (!converted) continue;
      optingIn++;
      expect(mayOptIn(source), file).toBe(true);
    }
    expect(optingIn).toBeGreaterThan(10);
  });
});
