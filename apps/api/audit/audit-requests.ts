import { z } from 'zod';
import { MAX_AUDIT_PAGE } from '#etcd';

export const AuditQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(MAX_AUDIT_PAGE).default(50),
  })
  .strict();

export type AuditQuery = z.infer<typeof AuditQuery>;
