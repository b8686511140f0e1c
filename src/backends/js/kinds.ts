/**
 * Which values of an IR function the compiled-JS backend keeps as JS numbers (no tensor at all): static
 * scalars computed by ops that have a scalar lowering (ir/ops/scalar.ts) from operands that are numbers
 * too, scalar constants, and the `cond` outputs and `while` loop values that are numbers on every path.
 * Everything else is a tensor. Scalar parameters of a function are tensors with a number read once at
 * entry where number code uses them.
 */
import type { Node, Region, Value } from '../../ir/graph.ts';
import { opDef } from '../../ir/ops/index.ts';
import type { TensorType } from '../../ir/types.ts';

export type Kind = 'number' | 'tensor';

export const isScalar = (t: TensorType) => t.shape.length === 0;

/** The kinds of the values of a function's body (and of its nested regions). */
export class Kinds {
  private readonly kinds = new Map<Value, Kind>();
  /** Scalar parameters of the function: tensors, whose number is read once where number code needs it. */
  private readonly params: Set<Value>;

  constructor(body: Region) {
    this.params = new Set(body.params.filter((p) => isScalar(p.type)));
    for (const p of body.params) this.kinds.set(p, 'tensor');
    this.assign(body);
  }

  kind(v: Value): Kind {
    return this.kinds.get(v) ?? 'tensor';
  }

  /** Whether number code can use `v` without reading a computed tensor: a number, or a scalar parameter. */
  hasNumber(v: Value): boolean {
    return this.kind(v) === 'number' || this.params.has(v);
  }

  /** The JS expression of a scalar op on these operands, where it has one and every operand has a number. */
  scalarCode(n: Node, args: readonly string[]): string | undefined {
    const def = opDef(n.op);
    if (!def?.scalar || n.outputs.length !== 1 || !isScalar(n.outputs[0]!.type)) return undefined;
    if (!n.inputs.every((v) => isScalar(v.type) && this.hasNumber(v))) return undefined;
    return def.scalar({
      args,
      inputTypes: n.inputs.map((v) => v.type),
      outputType: n.outputs[0]!.type,
      attrs: n.attrs,
    });
  }

  private assign(region: Region): void {
    for (const n of region.nodes) {
      if (n.op === 'cond') this.assignCond(n);
      else if (n.op === 'while') this.assignWhile(n);
      else if (n.op === 'Const') this.set(n.outputs[0]!, isScalar(n.outputs[0]!.type) ? 'number' : 'tensor');
      else if (
        n.op !== 'call' &&
        this.scalarCode(
          n,
          n.inputs.map(() => 'x'),
        ) !== undefined
      )
        this.set(n.outputs[0]!, 'number');
      else for (const o of n.outputs) this.set(o, 'tensor');
    }
  }

  private assignCond(n: Node): void {
    const [then, otherwise] = n.regions as [Region, Region];
    this.assign(then);
    this.assign(otherwise);
    n.outputs.forEach((o, i) => {
      const numbers = this.hasNumber(then.results[i]!) && this.hasNumber(otherwise.results[i]!);
      this.set(o, isScalar(o.type) && numbers ? 'number' : 'tensor');
    });
  }

  /**
   * Loop values start as numbers where they are scalars; one whose next value (the body's result) is
   * not a number becomes a tensor, and the regions are assigned again until nothing changes.
   */
  private assignWhile(n: Node): void {
    const [test, body] = n.regions as [Region, Region];
    const carried = n.inputs.length;
    const numbers = n.inputs.map((v) => isScalar(v.type));
    for (let changed = true; changed; ) {
      changed = false;
      for (let i = 0; i < carried; i++) {
        const kind: Kind = numbers[i] ? 'number' : 'tensor';
        this.set(test.params[i]!, kind);
        this.set(body.params[i]!, kind);
      }
      this.assign(test);
      this.assign(body);
      for (let i = 0; i < carried; i++) {
        if (numbers[i] && !this.hasNumber(body.results[i]!)) {
          numbers[i] = false;
          changed = true;
        }
      }
    }
    n.outputs.forEach((o, i) => this.set(o, i < carried && numbers[i] ? 'number' : 'tensor'));
  }

  private set(v: Value, kind: Kind): void {
    this.kinds.set(v, kind);
  }
}
