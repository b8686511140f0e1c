/**
 * `break` and `continue` (labelled or not, and the breaks that `return` and `switch` were lowered to)
 * become boolean flags, as in TensorFlow's AutoGraph: the jump sets its flag; the statements after it
 * in each enclosing list run under `if (!flag)`; loops between the jump and its target stop when a
 * flag is set (their test, or the extra test of for…of/for…in, also checks it); a continue flag is
 * reset at the top of each iteration of its loop, a break flag is declared just before its target.
 */
import {
  assign,
  block,
  declare,
  exprStmt,
  id,
  isLoop,
  lit,
  type Node,
  rt,
  single,
  template,
  thunk,
  withLoc,
} from '../ast.ts';
import { activity } from '../analysis/activity.ts';
import type { ConversionContext } from '../context.ts';
import { liftDeclarations } from './tails.ts';

interface Frame {
  labels: string[];
  loop: Node | null;
  isReturnTarget: boolean;
  breakFlag?: string;
  continueFlag?: string;
}

type Lowered = { stmts: Node[]; escapes: Set<string> };

export function lowerBreakContinue(fnBody: Node, ctx: ConversionContext): void {
  fnBody.body = new JumpLowering(ctx).list(fnBody.body, []).stmts;
}

/** `!(f1 || f2 || ...)` over flags, as converted code. */
export function noneSet(flags: Iterable<string>): Node {
  const names = [...flags];
  const any = names.reduceRight<Node | null>(
    (rest, f) => (rest ? rt('or_', id(f), thunk(rest)) : id(f)),
    null,
  );
  return rt('not_', any);
}

class JumpLowering {
  constructor(private readonly ctx: ConversionContext) {}

  list(stmts: Node[], frames: Frame[]): Lowered {
    const out: Node[] = [];
    const escapes = new Set<string>();
    for (let i = 0; i < stmts.length; i++) {
      const lowered = this.statement(stmts[i], frames);
      out.push(...lowered.stmts);
      lowered.escapes.forEach((f) => escapes.add(f));
      if (lowered.escapes.size === 0 || i === stmts.length - 1) continue;
      const tail = stmts.slice(i + 1);
      out.push(...liftDeclarations(out, tail));
      const rest = this.list(tail, frames);
      if (rest.stmts.length > 0) {
        const [guard] = template('if (COND) BODY', {
          COND: noneSet(lowered.escapes),
          BODY: block(rest.stmts),
        });
        out.push(withLoc(guard, tail[0]));
      }
      rest.escapes.forEach((f) => escapes.add(f));
      break;
    }
    return { stmts: out, escapes };
  }

  private single(stmt: Node, frames: Frame[]): { node: Node; escapes: Set<string> } {
    const { stmts, escapes } = this.statement(stmt, frames);
    return { node: single(stmts), escapes };
  }

  private statement(s: Node, frames: Frame[]): Lowered {
    switch (s.type) {
      case 'BreakStatement':
      case 'ContinueStatement':
        return this.jump(s, frames);
      case 'BlockStatement': {
        const { stmts, escapes } = this.list(s.body, frames);
        s.body = stmts;
        return { stmts: [s], escapes };
      }
      case 'IfStatement': {
        const then = this.single(s.consequent, frames);
        s.consequent = then.node;
        const escapes = new Set(then.escapes);
        if (s.alternate) {
          const orelse = this.single(s.alternate, frames);
          s.alternate = orelse.node;
          orelse.escapes.forEach((f) => escapes.add(f));
        }
        return { stmts: [s], escapes };
      }
      case 'TryStatement': {
        const escapes = new Set<string>();
        for (const part of [s.block, s.handler?.body, s.finalizer]) {
          if (!part) continue;
          const lowered = this.list(part.body, frames);
          part.body = lowered.stmts;
          lowered.escapes.forEach((f) => escapes.add(f));
        }
        if (s.finalizer && escapes.size > 0) s.finalizer.body = this.cancelOnThrow(s.finalizer.body, escapes);
        return { stmts: [s], escapes };
      }
      case 'LabeledStatement': {
        const labels: string[] = [];
        let inner = s;
        while (inner.type === 'LabeledStatement') {
          labels.push(inner.label.name);
          inner = inner.body;
        }
        return isLoop(inner)
          ? this.loop(inner, labels, frames)
          : this.labelled(inner, labels, !!s.isReturnTarget, frames);
      }
      default:
        return isLoop(s) ? this.loop(s, [], frames) : { stmts: [s], escapes: new Set() };
    }
  }

  /**
   * An exception thrown by a `finally` block replaces the jump pending from its `try`: the flags the
   * try could set are cleared before the exception leaves the finally block.
   */
  private cancelOnThrow(finalizer: Node[], flags: Set<string>): Node[] {
    const error = this.ctx.namer.fresh('error_');
    const clear = [...flags].map((f) => exprStmt(assign(id(f), lit(false))));
    return template(`try { FINALLY } catch (${error}) { CLEAR; throw ${error}; }`, {
      FINALLY: finalizer,
      CLEAR: clear,
    });
  }

  private jump(s: Node, frames: Frame[]): Lowered {
    const isBreak = s.type === 'BreakStatement';
    const label = s.label?.name;
    let frame: Frame | undefined;
    for (let i = frames.length - 1; i >= 0 && !frame; i--) {
      const f = frames[i]!;
      if (label ? f.labels.includes(label) : f.loop !== null) frame = f;
    }
    if (!frame)
      throw this.ctx.error(
        s,
        `'${isBreak ? 'break' : 'continue'}' has no target`,
        'the jump must be inside a loop or its label',
      );
    const flag = isBreak
      ? (frame.breakFlag ??= this.ctx.namer.fresh(frame.isReturnTarget ? 'doReturn_' : 'break_'))
      : (frame.continueFlag ??= this.ctx.namer.fresh('continue_'));
    return { stmts: [withLoc(exprStmt(assign(id(flag), lit(true))), s)], escapes: new Set([flag]) };
  }

  private labelled(body: Node, labels: string[], isReturnTarget: boolean, frames: Frame[]): Lowered {
    const frame: Frame = { labels, loop: null, isReturnTarget };
    const { node, escapes } = this.single(body, [...frames, frame]);
    if (!frame.breakFlag) return { stmts: [node], escapes };
    escapes.delete(frame.breakFlag);
    return { stmts: [declare('let', [[frame.breakFlag, lit(false)]]), node], escapes };
  }

  private loop(loop: Node, labels: string[], frames: Frame[]): Lowered {
    const frame: Frame = { labels, loop, isReturnTarget: false };
    const { node, escapes } = this.single(loop.body, [...frames, frame]);
    loop.body = node;
    if (frame.continueFlag && escapes.delete(frame.continueFlag)) {
      loop.body = block([
        declare('let', [[frame.continueFlag, lit(false)]]),
        ...(node.type === 'BlockStatement' ? node.body : [node]),
      ]);
    }
    if (escapes.size > 0) stopWhenAnySet(loop, escapes);
    const before = frame.breakFlag ? [declare('let', [[frame.breakFlag, lit(false)]])] : [];
    if (frame.breakFlag) escapes.delete(frame.breakFlag);
    return { stmts: [...before, loop], escapes };
  }
}

/**
 * A for loop's update must not run after a break or return. It becomes a block holding
 * `if (!flags) update`, a statement the control-flow pass converts like any other `if`; since the
 * update is not a statement of the control-flow graph, the variables it threads are set here: what
 * the update assigns.
 */
function guardedUpdate(update: Node, guard: Node): Node {
  const [statement] = template('if (GUARD) UPDATE;', {
    GUARD: guard,
    UPDATE: withLoc(exprStmt(update), update),
  });
  statement.stateNames = [...activity(update).modified].sort();
  return withLoc(block([statement]), update);
}

/** Makes `loop` stop once any of `flags` is set; the flags are checked before the loop's own test. */
function stopWhenAnySet(loop: Node, flags: Set<string>): void {
  const guard = () => noneSet(flags);
  switch (loop.type) {
    case 'WhileStatement':
    case 'DoWhileStatement':
      loop.test = withLoc(rt('and_', guard(), thunk(loop.test)), loop.test);
      break;
    case 'ForStatement':
      loop.test = loop.test ? withLoc(rt('and_', guard(), thunk(loop.test)), loop.test) : guard();
      if (loop.update) loop.update = guardedUpdate(loop.update, guard());
      break;
    default: // for…of, for…in
      loop.extraTest = guard();
  }
}
