/** ESTree → JS text with a source map back to the original file (every node keeps its original `loc`). */
import { GENERATOR, generate } from 'astring';
import { platform } from '#platform';
import type { Node } from './ast.ts';
import { SourceMapWriter } from './source-map.ts';

export interface Printed {
  code: string;
  map: SourceMapWriter;
}

/**
 * astring maps only leaves (names, literals). V8 places a `new` or a `throw` at its keyword, which
 * would then map to whatever leaf came before it: they get a mapping of their own.
 */
const generator = {
  ...GENERATOR,
  NewExpression(node: Node, state: any) {
    state.write('', node);
    GENERATOR.NewExpression.call(this, node, state);
  },
  ThrowStatement(node: Node, state: any) {
    state.write('', node);
    GENERATOR.ThrowStatement.call(this, node, state);
  },
};

/**
 * `originalSource`: the text to embed in the map, for code whose source is not a file that tools can
 * read (`ag.convert` rebuilds functions from their text); the loader's modules are files.
 */
export function print(node: Node, file: string, originalSource?: string): Printed {
  const map = new SourceMapWriter(file);
  if (originalSource !== undefined) map.setSourceContent(file, originalSource);
  const code = generate(node, { sourceMap: withoutRepeats(map), generator } as any);
  return { code, map };
}

/**
 * The map, minus mappings that repeat an original position already mapped on the same generated
 * line: converted code copies an operand into each side of a fast path, and both copies mean the
 * same source position (a lookup at a later copy finds the leaf mapped before it). This halves the
 * maps of converted modules.
 */
function withoutRepeats(map: SourceMapWriter) {
  let line = -1;
  const seen = new Set<number>();
  return {
    file: map.file,
    addMapping(mapping: any) {
      if (mapping.generated.line !== line) {
        line = mapping.generated.line;
        seen.clear();
      }
      const { line: l, column: c } = mapping.original;
      const key = l * 65536 + c;
      if (seen.has(key)) return;
      seen.add(key);
      map.addMapping(mapping);
    },
  };
}

/** `//# sourceMappingURL=` comment holding the map inline. */
export function inlineSourceMap(map: SourceMapWriter): string {
  return `//# sourceMappingURL=data:application/json;charset=utf-8;base64,${platform.base64(map.toString())}`;
}
