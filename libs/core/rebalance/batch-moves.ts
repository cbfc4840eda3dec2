import { chunk } from './chunk.js';
import { interleave } from './interleave.js';
import type { FleetMove } from './pair-moves.js';

/**
 * Cuts moves into batches of at most `batchSize` sessions, each batch carrying roughly the
 * overall mix of moves so no single donor or receiver takes a whole batch's load at once.
 */
export function batchMoves(moves: readonly FleetMove[], batchSize: number): FleetMove[][] {
  const unitOrder = interleave(moves.map((move) => move.count));
  return chunk(unitOrder, batchSize).map((units) => {
    const countByMove = new Map<number, number>();
    for (const moveIndex of units) countByMove.set(moveIndex, (countByMove.get(moveIndex) ?? 0) + 1);
    return moves.flatMap((move, moveIndex) => {
      const count = countByMove.get(moveIndex) ?? 0;
      return count > 0 ? [{ ...move, count }] : [];
    });
  });
}
