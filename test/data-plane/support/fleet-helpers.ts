import { type ControlApiClient, type MigrationTarget } from '#agent';
import { type ClientSwarm, type SwarmReport } from '#client';
import { type Fleet, waitUntil } from '#devstack';

export const control = (fleet: Fleet, gatewayId: string): ControlApiClient => fleet.control(gatewayId);

export const targets = (fleet: Fleet, ...ids: string[]): MigrationTarget[] =>
  ids.map((gatewayId) => ({ gatewayId, address: fleet.gateway(gatewayId).address }));

/** Client addresses with `first` first: a swarm seeded this way starts on it and falls back to the rest. */
export const seededOn = (fleet: Fleet, first: string): string[] => {
  const address = fleet.gateway(first).address;
  return [address, ...fleet.gatewayAddresses.filter((a) => a !== address)];
};

/** Waits until every client of `swarm` is connected to `gatewayId` and receiving. */
export const swarmOn = (swarm: ClientSwarm, gatewayId: string, timeoutMs = 60_000): Promise<SwarmReport> =>
  waitUntil(
    `${swarm.clients.length} clients receiving on ${gatewayId}`,
    async () => {
      const report = swarm.report();
      return report.byGateway[gatewayId] === report.clients && report.receiving === report.clients ? report : undefined;
    },
    { timeoutMs, intervalMs: 200 },
  );

export { caughtUp } from '#devstack';
