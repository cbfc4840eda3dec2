import { defined } from './invariant.js';

export interface FleetMove {
  readonly fromGatewayId: string;
  readonly toGatewayId: string;
  readonly count: number;
}

export interface GatewayShift {
  readonly gatewayId: string;
  readonly capacity: number;
  readonly connections: number;
  readonly targetConnections: number;
}

interface Balance {
  readonly gatewayId: string;
  amount: number;
  readonly utilisation: number;
}

const balancesOf = (shifts: readonly GatewayShift[], amountOf: (shift: GatewayShift) => number): Balance[] =>
  shifts
    .map((shift) => ({
      gatewayId: shift.gatewayId,
      amount: amountOf(shift),
      utilisation: shift.connections / shift.capacity,
    }))
    .filter((balance) => balance.amount > 0);

/**
 * Pairs the most loaded donors with the least loaded receivers. Greedy pairing yields at most
 * donors + receivers − 1 distinct moves, so each migration child workflow stays coarse-grained.
 */
export function pairMoves(shifts: readonly GatewayShift[]): FleetMove[] {
  const donors = balancesOf(shifts, (shift) => shift.connections - shift.targetConnections).sort(
    (a, b) => b.utilisation - a.utilisation,
  );
  const receivers = balancesOf(shifts, (shift) => shift.targetConnections - shift.connections).sort(
    (a, b) => a.utilisation - b.utilisation,
  );
  const moves: FleetMove[] = [];
  for (let donorIndex = 0, receiverIndex = 0; donorIndex < donors.length && receiverIndex < receivers.length; ) {
    const donor = defined(donors[donorIndex], 'donor in range');
    const receiver = defined(receivers[receiverIndex], 'receiver in range');
    const count = Math.min(donor.amount, receiver.amount);
    moves.push({ fromGatewayId: donor.gatewayId, toGatewayId: receiver.gatewayId, count });
    donor.amount -= count;
    receiver.amount -= count;
    if (donor.amount === 0) donorIndex++;
    if (receiver.amount === 0) receiverIndex++;
  }
  return moves;
}
