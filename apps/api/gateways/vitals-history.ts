import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { Etcd3 } from 'etcd3';
import { type GatewayVitals } from '#core';
import { watchVitals } from '#etcd';

/** Until etcd answers, the watch is tried again this often. */
const WATCH_RETRY_MS = 2_000;

/** How far back the fleet view shows each gateway's vitals. */
export const VITALS_HISTORY_MS = 5 * 60_000;

/** One point of a gateway's vitals over time: what the fleet page plots. */
export interface VitalsPoint {
  readonly at: number;
  readonly connections: number;
  readonly rttMedianMs: number | null;
  readonly errorsPerSec: number;
  readonly writeBlockedRatio: number;
  readonly finRstPerSec: number;
}

const median = (xs: readonly number[]): number | null => {
  if (xs.length === 0) return null;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

const pointOf = (v: GatewayVitals): VitalsPoint => ({
  at: v.at,
  connections: v.connections,
  rttMedianMs: median(v.rttSamplesMs),
  errorsPerSec: v.errorsPerSec,
  writeBlockedRatio: v.writeBlockedRatio,
  finRstPerSec: v.finRstPerSec,
});

/**
 * The API's memory of each gateway's recent vitals (etcd keeps only the latest):
 * it follows the vitals watch from start-up and keeps the last few minutes.
 */
@Injectable()
export class VitalsHistory implements OnModuleInit, OnModuleDestroy {
  private readonly points = new Map<string, VitalsPoint[]>();
  private readonly latestVitals = new Map<string, GatewayVitals>();
  private listeners = new Set<(vitals: GatewayVitals) => void>();
  private stop: (() => Promise<void>) | undefined;
  private closed = false;

  constructor(private readonly etcd: Etcd3) {}

  /** In the background: the API starts (and /readyz says why) even while etcd is unreachable. */
  onModuleInit(): void {
    void this.watch();
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    await this.stop?.();
  }

  private async watch(): Promise<void> {
    while (!this.closed && !this.stop) {
      try {
        const stop = await watchVitals(this.etcd, {
          onVitals: (vitals) => this.add(vitals),
          // The lease ended: the latest stays as the last thing the gateway said, its history too.
          onGone: () => undefined,
          onError: () => undefined,
        });
        if (this.closed) await stop();
        else this.stop = stop;
      } catch {
        await sleep(WATCH_RETRY_MS);
      }
    }
  }

  latest(gatewayId: string): GatewayVitals | undefined {
    return this.latestVitals.get(gatewayId);
  }

  history(gatewayId: string): readonly VitalsPoint[] {
    return this.points.get(gatewayId) ?? [];
  }

  /** Called on every vitals update; returns the unsubscribe. */
  onUpdate(listener: (vitals: GatewayVitals) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private add(vitals: GatewayVitals): void {
    this.latestVitals.set(vitals.gatewayId, vitals);
    const series = this.points.get(vitals.gatewayId) ?? [];
    series.push(pointOf(vitals));
    while (series.length > 0 && series[0]!.at < vitals.at - VITALS_HISTORY_MS) series.shift();
    this.points.set(vitals.gatewayId, series);
    for (const listener of this.listeners) listener(vitals);
  }
}
