import { randomBytes } from 'node:crypto';
import { type Etcd3 } from 'etcd3';
import { type AuditRecord, AuditRecordSchema, auditEntryName } from '#core';
import { parseRecord } from './json-value.js';
import { AUDIT_PREFIX, auditKey } from './keys.js';

/** Most records one read returns: the trail grows with every change, a page must not. */
export const MAX_AUDIT_PAGE = 100;

/**
 * The audit trail at `/homeostat/audit/<time>-<unique>`: who changed what through the API.
 * A record is written in the same etcd transaction as the change it describes, so there
 * is never a change without its record, nor a record of a change that did not happen.
 */
export class AuditLog {
  constructor(private readonly etcd: Etcd3) {}

  /** The write of one record, for the caller's transaction. */
  put(record: AuditRecord) {
    const key = auditKey(auditEntryName(record.at, randomBytes(4).toString('hex')));
    return this.etcd.put(key).value(JSON.stringify(AuditRecordSchema.parse(record)));
  }

  /** The newest records first, at most `limit` (capped at MAX_AUDIT_PAGE). */
  async recent(limit: number): Promise<AuditRecord[]> {
    const all = await this.etcd
      .getAll()
      .prefix(AUDIT_PREFIX)
      .sort('Key', 'Descend')
      .limit(Math.min(limit, MAX_AUDIT_PAGE))
      .strings();
    return Object.entries(all)
      .sort(([a], [b]) => b.localeCompare(a))
      .map(([key, raw]) => parseRecord(AuditRecordSchema, key, raw));
  }
}
