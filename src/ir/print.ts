/** The IR as readable text (what `f.graph(...)` shows). */
import { type IRFunction, type Node, type Region, scanCount, type Value } from './graph.ts';
import { formatType } from './types.ts';

const ref = (v: Value) => `%${v.id}`;
const typed = (v: Value) => `${ref(v)}: ${formatType(v.type)}`;

function formatAttr(value: unknown): string {
  if (ArrayBuffer.isView(value)) {
    const items = Array.from(value as unknown as ArrayLike<number>);
    const shown = items.slice(0, 8).map((x) => String(x));
    return `[${shown.join(', ')}${items.length > 8 ? `, … (${items.length})` : ''}]`;
  }
  return JSON.stringify(value);
}

function formatNode(n: Node, indent: string): string[] {
  const attrs = Object.entries(n.attrs).filter(
    ([k]) => !(n.op === 'Const' && (k === 'dtype' || k === 'shape')),
  );
  const attrText = attrs.length ? ` {${attrs.map(([k, v]) => `${k}: ${formatAttr(v)}`).join(', ')}}` : '';
  const head = `${indent}${n.outputs.map(typed).join(', ')} = ${n.op}(${n.inputs.map(ref).join(', ')})${attrText}`;
  if (!n.regions.length) return [head];
  const names =
    n.op === 'while'
      ? ['cond', 'body']
      : n.op === 'cond'
        ? ['then', 'else']
        : n.regions.map((_, i) => `region${i}`);
  // a while body's scan values (graph.ts) are shown apart: `yield %a, %b scan %c`
  const scans = n.op === 'while' ? scanCount(n) : 0;
  return [
    `${head} {`,
    ...n.regions.flatMap((r, i) => formatRegion(r, names[i]!, `${indent}  `, i === 1 ? scans : 0)),
    `${indent}}`,
  ];
}

function formatRegion(r: Region, name: string, indent: string, scans = 0): string[] {
  const carried = r.results.slice(0, r.results.length - scans).map(ref);
  const scanned = scans ? ` scan ${r.results.slice(-scans).map(ref).join(', ')}` : '';
  return [
    `${indent}${name}(${r.params.map(typed).join(', ')}) {`,
    ...r.nodes.flatMap((n) => formatNode(n, `${indent}  `)),
    `${indent}  yield ${carried.join(', ')}${scanned}`,
    `${indent}}`,
  ];
}

/** `fn` as text, followed by the functions its calls run. */
export function printFunction(fn: IRFunction): string {
  const callees = [...fn.functions.values()].filter((f) => f !== fn);
  return [fn, ...callees].map(printOne).join('\n\n');
}

function printOne(fn: IRFunction): string {
  const lines = [
    `func ${fn.name}(${fn.body.params.map(typed).join(', ')}) -> (${fn.body.results.map((v) => formatType(v.type)).join(', ')}) {`,
    ...fn.body.nodes.flatMap((n) => formatNode(n, '  ')),
    `  return ${fn.body.results.map(ref).join(', ')}`,
    '}',
  ];
  return lines.join('\n');
}
