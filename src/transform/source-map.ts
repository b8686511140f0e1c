/**
 * A source map (version 3) written as the printer emits code: mappings arrive in generated order,
 * one segment each. A few lines of our own instead of a dependency, so that the transform bundles
 * for browsers without Node shims.
 */

export interface RawSourceMap {
  version: 3;
  file: string;
  sources: string[];
  names: string[];
  mappings: string;
  sourcesContent?: (string | null)[];
}

export interface Mapping {
  /** 1-based line, 0-based column (as ESTree `loc` and astring give them). */
  generated: { line: number; column: number };
  original: { line: number; column: number } | null;
  source?: string;
  name?: string;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** One signed number as base64 VLQ: 5 bits a digit, the sign in the lowest bit of the first. */
function vlq(value: number): string {
  let v = value < 0 ? (-value << 1) | 1 : value << 1;
  let out = '';
  do {
    let digit = v & 31;
    v >>>= 5;
    if (v > 0) digit |= 32;
    out += BASE64[digit];
  } while (v > 0);
  return out;
}

export class SourceMapWriter {
  private readonly sources: string[] = [];
  private readonly contents = new Map<string, string>();
  private readonly names: string[] = [];
  private readonly nameIndex = new Map<string, number>();
  private mappings = '';
  // The previous segment's fields: columns restart at each line, the others run on.
  private line = 1;
  private column = 0;
  private source = 0;
  private originalLine = 0;
  private originalColumn = 0;
  private name = 0;
  private first = true;

  constructor(readonly file: string) {}

  /** The text of `source`, embedded in the map (`sourcesContent`). */
  setSourceContent(source: string, content: string): void {
    this.sourceIndex(source);
    this.contents.set(source, content);
  }

  /** Adds a segment; mappings must come in generated order. The object is read now, not kept. */
  addMapping(m: Mapping): void {
    const { line, column } = m.generated;
    if (line > this.line) {
      this.mappings += ';'.repeat(line - this.line);
      this.line = line;
      this.column = 0;
      this.first = true;
    }
    let segment = (this.first ? '' : ',') + vlq(column - this.column);
    this.first = false;
    this.column = column;
    if (m.original) {
      const source = this.sourceIndex(m.source ?? this.file);
      const oLine = m.original.line - 1;
      segment +=
        vlq(source - this.source) +
        vlq(oLine - this.originalLine) +
        vlq(m.original.column - this.originalColumn);
      this.source = source;
      this.originalLine = oLine;
      this.originalColumn = m.original.column;
      if (m.name !== undefined) {
        let name = this.nameIndex.get(m.name);
        if (name === undefined) {
          name = this.names.push(m.name) - 1;
          this.nameIndex.set(m.name, name);
        }
        segment += vlq(name - this.name);
        this.name = name;
      }
    }
    this.mappings += segment;
  }

  toJSON(): RawSourceMap {
    const map: RawSourceMap = {
      version: 3,
      file: this.file,
      sources: [...this.sources],
      names: [...this.names],
      mappings: this.mappings,
    };
    if (this.contents.size > 0) map.sourcesContent = this.sources.map((s) => this.contents.get(s) ?? null);
    return map;
  }

  toString(): string {
    return JSON.stringify(this.toJSON());
  }

  private sourceIndex(source: string): number {
    const i = this.sources.indexOf(source);
    return i >= 0 ? i : this.sources.push(source) - 1;
  }
}
