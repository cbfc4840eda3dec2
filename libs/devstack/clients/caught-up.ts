import { type ClientSwarm, type SwarmReport } from '#client';
import { waitUntil } from '../wait-until.js';

/** Waits until every client has delivered everything published up to `head` (on every topic). */
export const caughtUp = (swarm: ClientSwarm, head: number, timeoutMs = 60_000): Promise<SwarmReport> =>
  waitUntil(
    `every client to deliver up to sequence ${head - 1}`,
    async () => {
      const report = swarm.report();
      return Object.values(report.lowestLast).every((last) => last >= head - 1) ? report : undefined;
    },
    { timeoutMs, intervalMs: 200 },
  );
