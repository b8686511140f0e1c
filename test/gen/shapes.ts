/** fast-check generators of axes and shapes, shared by the op-registry and ONNX-lowering tests. */
import fc from 'fast-check';

/** An axis argument for a rank: an integer, negative or not. */
export const axisOf = (rank: number) => fc.integer({ min: -rank, max: rank - 1 });

/** `none` (the "all axes" spellings to draw), one axis, or an array of distinct axes (each possibly negative). */
export const axesOf = (rank: number, none: readonly (null | undefined)[] = [null, undefined]) =>
  fc.oneof(
    fc.constantFrom(...none),
    ...(rank > 0 ? [axisOf(rank)] : []),
    fc
      .shuffledSubarray(
        Array.from({ length: rank }, (_, i) => i),
        { minLength: 0, maxLength: rank },
      )
      .chain((axes) => fc.tuple(...axes.map((a) => fc.constantFrom(a, a - rank))))
      .map((axes) => [...axes]),
  );

/** A shape that broadcasts with `shape`: leading dimensions dropped, some dimensions set to 1. */
export const broadcastFrom = (shape: readonly number[]) =>
  fc
    .tuple(
      fc.integer({ min: 0, max: shape.length }),
      fc.array(fc.boolean(), { minLength: shape.length, maxLength: shape.length }),
    )
    .map(([drop, ones]) => shape.map((d, i) => (ones[i] ? 1 : d)).slice(drop));
