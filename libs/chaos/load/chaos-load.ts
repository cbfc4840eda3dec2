import { RemoteSwarm, type SwarmReport, mergeReports } from '#client';
import { type ClientJournal } from '#core';

/** One swarm process holds at most this many clients (open-file limit 20 000; a redirect needs two sockets). */
const PER_PROCESS = 1_000;

/**
 * The client load of a chaos run: push clients in child processes, spread over
 * the fleet, subscribing, acking as they read, and journaling every arrival and
 * every move so the invariants can be checked afterwards from what they saw.
 */
export class ChaosLoad {
  private constructor(
    private readonly swarms: readonly RemoteSwarm[],
    readonly sessions: number,
  ) {}

  static async start(sessions: number, gateways: readonly string[], topics: readonly string[]): Promise<ChaosLoad> {
    const swarms: RemoteSwarm[] = [];
    try {
      for (let start = 0, part = 0; start < sessions; start += PER_PROCESS, part++) {
        const count = Math.min(PER_PROCESS, sessions - start);
        swarms.push(await RemoteSwarm.start({ prefix: `chaos-${part}`, count, gateways, topics, spread: true, journal: true, connectsPer10Ms: 20 }));
      }
    } catch (error) {
      await Promise.all(swarms.map((s) => s.stop()));
      throw error;
    }
    return new ChaosLoad(swarms, sessions);
  }

  async report(): Promise<SwarmReport> {
    return mergeReports(await Promise.all(this.swarms.map((s) => s.report())));
  }

  async journals(): Promise<ClientJournal[]> {
    return (await Promise.all(this.swarms.map((s) => s.journals()))).flat();
  }

  /** Stalls the reading of up to `count` clients on `gatewayId` for `forMs` (slow consumers); their session ids. */
  async stall(gatewayId: string, count: number, forMs: number): Promise<string[]> {
    const stalled: string[] = [];
    for (const swarm of this.swarms) {
      if (stalled.length < count) stalled.push(...(await swarm.stall(gatewayId, count - stalled.length, forMs)));
    }
    return stalled;
  }

  /** Moves up to `count` clients on `gatewayId` onto `address` (the same gateway behind a proxy, or back); their session ids. */
  async moveTo(gatewayId: string, address: string, count: number): Promise<string[]> {
    const moved: string[] = [];
    for (const swarm of this.swarms) {
      if (moved.length < count) moved.push(...(await swarm.moveTo(gatewayId, address, count - moved.length)));
    }
    return moved;
  }

  get pids(): number[] {
    return this.swarms.flatMap((s) => (s.pid === undefined ? [] : [s.pid]));
  }

  async stop(): Promise<void> {
    await Promise.all(this.swarms.map((s) => s.stop()));
  }
}
