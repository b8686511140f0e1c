/** ESTree → JS text with a source map back to the original file (every node keeps its original `loc`). */
import { generate } from 'astring';
import { SourceMapGenerator } from 'source-map';
import type { Node } from './ast.ts';

export interface Printed {
  code: string;
  map: SourceMapGenerator;
}

export function print(node: Node, file: string, originalSource: string): Printed {
  const map = new SourceMapGenerator({ file });
  map.setSourceContent(file, originalSource);
  const code = generate(node, { sourceMap: map });
  return { code, map };
}

/** `//# sourceMappingURL=` comment holding the map inline. */
export function inlineSourceMap(map: SourceMapGenerator): string {
  return `//# sourceMappingURL=data:application/json;charset=utf-8;base64,${Buffer.from(map.toString()).toString('base64')}`;
}
