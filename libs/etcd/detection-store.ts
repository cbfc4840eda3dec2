import { type Etcd3 } from 'etcd3';
import { z } from 'zod';
import { DetectionEvidenceSchema, ObserverAgreementSchema } from '#core';
import { DETECTIONS_PREFIX, detectionKey, idFromKey } from './keys.js';
import { parseRecord } from './json-value.js';

/** A detection and what came of it: a run started or joined, or nothing (observe, shadow, a suspected partition). */
export const DetectionRecordSchema = z.object({
  evidence: DetectionEvidenceSchema,
  run: z.object({ workflowId: z.string(), runId: z.string(), joined: z.boolean() }).nullable(),
  /** A crash or hang verdict's quorum of observers (absent for verdicts that need none, and in older records). */
  agreement: ObserverAgreementSchema.optional(),
});

export type DetectionRecord = z.infer<typeof DetectionRecordSchema>;

/**
 * The latest detection per gateway at `/homeostat/detections/<id>`, not under a lease: it is
 * the audit trail of what a detector saw, and in shadow mode the only trace of what it would
 * have done. Several detectors may write it; the record names which one did.
 */
export class DetectionStore {
  constructor(private readonly etcd: Etcd3) {}

  async record(record: DetectionRecord): Promise<void> {
    await this.etcd.put(detectionKey(record.evidence.gatewayId)).value(JSON.stringify(record));
  }

  async get(gatewayId: string): Promise<DetectionRecord | undefined> {
    const key = detectionKey(gatewayId);
    const raw = await this.etcd.get(key).string();
    return raw === null ? undefined : parseRecord(DetectionRecordSchema, key, raw);
  }

  async list(): Promise<Map<string, DetectionRecord>> {
    const all = await this.etcd.getAll().prefix(DETECTIONS_PREFIX).strings();
    return new Map(Object.entries(all).map(([key, raw]) => [idFromKey(DETECTIONS_PREFIX, key), parseRecord(DetectionRecordSchema, key, raw)]));
  }
}
