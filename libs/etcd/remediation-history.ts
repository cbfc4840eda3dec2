import { type Etcd3 } from 'etcd3';
import { z } from 'zod';
import { type RemediationRecord } from '#core';
import { parseRecord } from './json-value.js';
import { HISTORY_PREFIX, historyKey } from './keys.js';

const RecordsSchema = z.array(z.object({ gatewayId: z.string(), workflowId: z.string(), runId: z.string(), startedAt: z.number() }));

/** Per gateway, the last few remediations that acted; enough for rate limits and flap damping. */
const KEEP_PER_GATEWAY = 20;

/** Remediations that acted, kept per gateway so concurrent runs for different gateways never contend. */
export class RemediationHistory {
  constructor(private readonly etcd: Etcd3) {}

  async all(): Promise<RemediationRecord[]> {
    const raw = await this.etcd.getAll().prefix(HISTORY_PREFIX).strings();
    return Object.entries(raw).flatMap(([key, value]) => parseRecord(RecordsSchema, key, value));
  }

  /** Idempotent per run: a retried activity does not record the run twice. */
  async record(entry: RemediationRecord): Promise<void> {
    const key = historyKey(entry.gatewayId);
    const raw = await this.etcd.get(key).string();
    const records = raw === null ? [] : parseRecord(RecordsSchema, key, raw);
    if (records.some((r) => r.runId === entry.runId)) return;
    await this.etcd.put(key).value(JSON.stringify([...records, entry].slice(-KEEP_PER_GATEWAY)));
  }
}
