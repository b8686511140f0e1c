/**
 * How the compiled-JS backend holds each value of an IR function:
 * - `number`: a JS number (no tensor at all): static scalars computed by ops that have a scalar
 *   lowering (ir/ops/scalar.ts) from operands that are numbers too, and scalar constants;
 * - `array`: a JS typed array of the dtype, for small static shapes (at most SMALL_TENSOR elements)
 *   computed elementwise by those ops from operands of the same shape held as arrays, or scalars held
 *   as numbers (a plain loop per op; the typed array's store is the tfjs cpu kernel's store);
 * - `tensor`: a tfjs TensorInfo, for everything else.
 * `cond` outputs and `while` loop values are numbers (arrays) where they are on every path. Parameters
 * of a function are tensors; a scalar (small) one is read once at entry where number (array) code uses it.
 */
import type { Node, Region, Value } from '../../ir/graph.ts';
import { opDef } from '../../ir/ops/index.ts';
import { isStatic, type TensorType } from '../../ir/types.ts';

export type Kind = 'number' | 'array' | 'tensor';

/** The largest static shape (in elements) computed as a JS typed array. */
export const SMALL_TENSOR = 4096;

export const isScalar = (t: TensorType) => t.shape.length === 0;

/** A static shape of 1 to SMALL_TENSOR elements, not a scalar. */
export function isSmall(t: TensorType): boolean {
  if (t.shape.length === 0 || !isStatic(t.shape)) return false;
  const size = t.shape.reduce((n, d) => n * d, 1);
  return size > 0 && size <= SMALL_TENSOR;
}

const sameShape = (a: TensorType, b: TensorType) =>
  a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape[i]);

/** The kind a value of this type may start as when every path allows it. */
const hopefulKind = (t: TensorType): Kind => (isScalar(t) ? 'number' : isSmall(t) ? 'array' : 'tensor');

/** The kinds of the values of a function's body (and of its nested regions). */
export class Kinds {
  private readonly kinds = new Map<Value, Kind>();
  /** Scalar and small parameters of the function: read once where number or array code needs them. */
  private readonly params: Set<Value>;

  constructor(body: Region) {
    this.params = new Set(body.params.filter((p) => hopefulKind(p.type) !== 'tensor'));
    for (const p of body.params) this.kinds.set(p, 'tensor');
    this.assign(body);
  }

  kind(v: Value): Kind {
    return this.kinds.get(v) ?? 'tensor';
  }

  /** Whether a parameter of the function is read as a number or an array at entry. */
  isReadParam(v: Value): boolean {
    return this.params.has(v);
  }

  /** Whether number code can use `v` without reading a computed tensor: a number, or a scalar parameter. */
  hasNumber(v: Value): boolean {
    return this.kind(v) === 'number' || (this.params.has(v) && isScalar(v.type));
  }

  /** Whether array code can use `v` without reading a computed tensor: an array, or a small parameter. */
  hasArray(v: Value): boolean {
    return this.kind(v) === 'array' || (this.params.has(v) && isSmall(v.type));
  }

  /** Whether `v` is held as what a value of `kind` needs (a number for a number, an array for an array). */
  holds(v: Value, kind: Kind): boolean {
    return kind === 'number' ? this.hasNumber(v) : kind === 'array' ? this.hasArray(v) : true;
  }

  /**
   * The JS expression computing one element of `n`'s output (all of it for a scalar), where its op has
   * a scalar lowering for these types and every operand is held as a number or an array of the
   * output's shape. `args` are the operands' expressions (`v3`, or `v3[i]` for an array).
   */
  elementCode(n: Node, args: readonly string[]): string | undefined {
    const def = opDef(n.op);
    const out = n.outputs[0];
    if (!def?.scalar || n.outputs.length !== 1) return undefined;
    const kind = hopefulKind(out!.type);
    if (kind === 'tensor') return undefined;
    const held = n.inputs.every((v) =>
      isScalar(v.type)
        ? this.hasNumber(v) && (kind === 'number' || n.op !== 'Select') // Select's scalar condition: a tfjs quirk
        : kind === 'array' && sameShape(v.type, out!.type) && this.hasArray(v),
    );
    if (!held) return undefined;
    return def.scalar({
      args,
      inputTypes: n.inputs.map((v) => v.type),
      outputType: out!.type,
      attrs: n.attrs,
    });
  }

  private assign(region: Region): void {
    for (const n of region.nodes) {
      if (n.op === 'cond') this.assignCond(n);
      else if (n.op === 'while') this.assignWhile(n);
      else if (n.op === 'Const') this.set(n.outputs[0]!, hopefulKind(n.outputs[0]!.type));
      else if (
        n.op !== 'call' &&
        this.elementCode(
          n,
          n.inputs.map(() => 'x'),
        ) !== undefined
      )
        this.set(n.outputs[0]!, hopefulKind(n.outputs[0]!.type));
      else for (const o of n.outputs) this.set(o, 'tensor');
    }
  }

  private assignCond(n: Node): void {
    const [then, otherwise] = n.regions as [Region, Region];
    this.assign(then);
    this.assign(otherwise);
    n.outputs.forEach((o, i) => {
      const kind = hopefulKind(o.type);
      const both = this.holds(then.results[i]!, kind) && this.holds(otherwise.results[i]!, kind);
      this.set(o, both ? kind : 'tensor');
    });
  }

  /**
   * Loop values start as numbers (arrays) where their type allows; one whose next value (the body's
   * result) is not held so becomes a tensor, and the regions are assigned again until nothing changes.
   */
  private assignWhile(n: Node): void {
    const [test, body] = n.regions as [Region, Region];
    const carried = n.inputs.length;
    const kinds = n.outputs.slice(0, carried).map((o) => hopefulKind(o.type));
    for (let changed = true; changed; ) {
      changed = false;
      for (let i = 0; i < carried; i++) {
        this.set(test.params[i]!, kinds[i]!);
        this.set(body.params[i]!, kinds[i]!);
      }
      this.assign(test);
      this.assign(body);
      for (let i = 0; i < carried; i++) {
        if (kinds[i] !== 'tensor' && !this.holds(body.results[i]!, kinds[i]!)) {
          kinds[i] = 'tensor';
          changed = true;
        }
      }
    }
    n.outputs.forEach((o, i) => this.set(o, i < carried ? kinds[i]! : 'tensor'));
  }

  private set(v: Value, kind: Kind): void {
    this.kinds.set(v, kind);
  }
}
