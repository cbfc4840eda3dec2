import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';
import { ArrivalLog, type ClientJournal, type ClientMove } from '#core';
import { type ClientCounters, PushClient } from '../push-client.js';

export interface SwarmSpec {
  /** Session ids are `${prefix}-${i}`. */
  readonly prefix: string;
  readonly count: number;
  /** Seed gateways in order: every client starts on the first and falls back to the others. */
  readonly gateways: readonly string[];
  readonly topics: readonly string[];
  /** Open this many connections per 10 ms while starting, so the swarm itself is not a connect storm (default 50). */
  readonly connectsPer10Ms?: number;
  /** Start client i on gateway i mod n (the list rotated), so the swarm starts spread over the fleet. */
  readonly spread?: boolean;
  /** Keep each client's arrivals and moves for `journals()` (chaos audits them). */
  readonly journal?: boolean;
}

export interface SwarmReport {
  readonly clients: number;
  readonly connected: number;
  /** Connected clients per gateway id. */
  readonly byGateway: Readonly<Record<string, number>>;
  readonly counters: ClientCounters;
  /** Clients that have received at least one message on every topic. */
  readonly receiving: number;
  /** Lowest last-delivered sequence per topic over all clients (how far behind the slowest is). */
  readonly lowestLast: Readonly<Record<string, number>>;
  /** Client side: redirect received → target's welcome, every completed redirect (ms). */
  readonly redirectInterruptionsMs: readonly number[];
  /** Close codes with which redirect targets refused clients, and how often. */
  readonly refusalCodes: Readonly<Record<string, number>>;
  /** Close codes with which clients' connections ended (a crash shows as 1006), and how often. */
  readonly disconnectCodes: Readonly<Record<string, number>>;
  /**
   * p99 event-loop delay of the swarm's process since it started (ms): when this is
   * large, the clients themselves were the bottleneck of whatever was measured.
   */
  readonly eventLoopDelayP99Ms: number;
}

const add = (a: ClientCounters, b: ClientCounters): ClientCounters => ({
  received: a.received + b.received,
  lost: a.lost + b.lost,
  duplicates: a.duplicates + b.duplicates,
  reorders: a.reorders + b.reorders,
  redirectsFollowed: a.redirectsFollowed + b.redirectsFollowed,
  redirectsRefused: a.redirectsRefused + b.redirectsRefused,
  redirectsIgnored: a.redirectsIgnored + b.redirectsIgnored,
  reconnects: a.reconnects + b.reconnects,
  silentServersLeft: a.silentServersLeft + b.silentServersLeft,
});

/** Adds `n` to the count kept under `key` (close codes, how often). */
const tally = (counts: Record<string, number>, key: string | number, n = 1): void => {
  counts[key] = (counts[key] ?? 0) + n;
};

export const NO_COUNTS: ClientCounters = { received: 0, lost: 0, duplicates: 0, reorders: 0, redirectsFollowed: 0, redirectsRefused: 0, redirectsIgnored: 0, reconnects: 0, silentServersLeft: 0 };

/** Many push clients in this process, reported as one: what tests and the bench read. */
export class ClientSwarm {
  readonly clients: PushClient[];
  private readonly refusalCodes: Record<string, number> = {};
  private readonly disconnectCodes: Record<string, number> = {};
  private readonly loopDelay: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });

  private readonly records: { readonly arrivals: Map<string, ArrivalLog>; readonly moves: ClientMove[]; at: string | undefined }[] = [];

  constructor(private readonly spec: SwarmSpec) {
    this.clients = Array.from({ length: spec.count }, (_, i) => {
      const record = { arrivals: new Map(spec.topics.map((t) => [t, new ArrivalLog()])), moves: [] as ClientMove[], at: undefined as string | undefined };
      if (spec.journal) this.records.push(record);
      const shift = spec.spread ? i % spec.gateways.length : 0;
      return new PushClient({
        sessionId: `${spec.prefix}-${i}`,
        gateways: [...spec.gateways.slice(shift), ...spec.gateways.slice(0, shift)],
        topics: spec.topics,
        onEvent: (event) => {
          if (event.kind === 'redirect-refused') tally(this.refusalCodes, event.code);
          if (event.kind === 'disconnected') {
            record.at = undefined;
            tally(this.disconnectCodes, event.code);
          }
          if (event.kind === 'connected' && spec.journal) {
            record.moves.push({ at: event.at, from: record.at, to: event.gatewayId, via: event.via });
            record.at = event.gatewayId;
          }
        },
        ...(spec.journal ? { onArrival: (topic: string, seq: number) => record.arrivals.get(topic)?.record(seq) } : {}),
      });
    });
  }

  /** Every client's recorded arrivals and moves (empty unless the spec asked for a journal). */
  journals(): ClientJournal[] {
    return this.records.map((record, i) => {
      const client = this.clients[i] as PushClient;
      return {
        sessionId: `${this.spec.prefix}-${i}`,
        gatewayId: client.gatewayId,
        connected: client.connected,
        arrivals: Object.fromEntries([...record.arrivals].map(([topic, log]) => [topic, log.snapshot()])),
        declaredLost: Object.fromEntries([...client.ledgers].map(([topic, ledger]) => [topic, ledger.declaredLost])),
        moves: [...record.moves],
      };
    });
  }

  /** Starts every client, a few at a time. */
  async start(): Promise<void> {
    this.loopDelay.enable();
    const step = this.spec.connectsPer10Ms ?? 50;
    for (let i = 0; i < this.clients.length; i += step) {
      for (const client of this.clients.slice(i, i + step)) client.start();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Stalls the reading of up to `count` clients connected to `gatewayId` for `forMs` (see PushClient.stallReading); their session ids. */
  stall(gatewayId: string, count: number, forMs: number): string[] {
    const stalled: string[] = [];
    for (const [i, client] of this.clients.entries()) {
      if (stalled.length >= count) break;
      if (client.gatewayId === gatewayId && client.stallReading(forMs)) stalled.push(`${this.spec.prefix}-${i}`);
    }
    return stalled;
  }

  /** Moves up to `count` clients connected to `gatewayId`, but not through `address`, onto `address` (see PushClient.moveTo); their session ids. */
  moveTo(gatewayId: string, address: string, count: number): string[] {
    const host = new URL(address).host;
    const moved: string[] = [];
    for (const [i, client] of this.clients.entries()) {
      if (moved.length >= count) break;
      if (client.gatewayId === gatewayId && client.host !== host && client.moveTo(address)) moved.push(`${this.spec.prefix}-${i}`);
    }
    return moved;
  }

  stop(): void {
    this.loopDelay.disable();
    for (const client of this.clients) client.stop();
  }

  report(): SwarmReport {
    const byGateway: Record<string, number> = {};
    const lowestLast: Record<string, number> = {};
    let counters = NO_COUNTS;
    let connected = 0;
    let receiving = 0;
    const interruptions: number[] = [];
    for (const client of this.clients) {
      if (client.connected) {
        connected += 1;
        const id = client.gatewayId ?? '?';
        tally(byGateway, id);
      }
      counters = add(counters, client.counters);
      let all = true;
      for (const [topic, ledger] of client.ledgers) {
        if (ledger.received === 0) all = false;
        lowestLast[topic] = Math.min(lowestLast[topic] ?? Number.POSITIVE_INFINITY, ledger.last);
      }
      if (all) receiving += 1;
      interruptions.push(...client.redirectInterruptionsMs);
    }
    return {
      clients: this.clients.length,
      connected,
      byGateway,
      counters,
      receiving,
      lowestLast,
      redirectInterruptionsMs: interruptions,
      refusalCodes: { ...this.refusalCodes },
      disconnectCodes: { ...this.disconnectCodes },
      eventLoopDelayP99Ms: this.loopDelay.count > 0 ? this.loopDelay.percentile(99) / 1e6 : 0,
    };
  }
}

/** Adds up the reports of several swarms (e.g. one per child process). */
export const mergeReports = (reports: readonly SwarmReport[]): SwarmReport => {
  const byGateway: Record<string, number> = {};
  const lowestLast: Record<string, number> = {};
  const refusalCodes: Record<string, number> = {};
  const disconnectCodes: Record<string, number> = {};
  for (const r of reports) {
    for (const [id, n] of Object.entries(r.byGateway)) tally(byGateway, id, n);
    for (const [t, s] of Object.entries(r.lowestLast)) lowestLast[t] = Math.min(lowestLast[t] ?? Number.POSITIVE_INFINITY, s);
    for (const [c, n] of Object.entries(r.refusalCodes)) tally(refusalCodes, c, n);
    for (const [c, n] of Object.entries(r.disconnectCodes)) tally(disconnectCodes, c, n);
  }
  return {
    clients: reports.reduce((n, r) => n + r.clients, 0),
    connected: reports.reduce((n, r) => n + r.connected, 0),
    byGateway,
    counters: reports.reduce((c, r) => add(c, r.counters), NO_COUNTS),
    receiving: reports.reduce((n, r) => n + r.receiving, 0),
    lowestLast,
    redirectInterruptionsMs: reports.flatMap((r) => r.redirectInterruptionsMs),
    refusalCodes,
    disconnectCodes,
    eventLoopDelayP99Ms: Math.max(0, ...reports.map((r) => r.eventLoopDelayP99Ms)),
  };
};
