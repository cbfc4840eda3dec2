import { z } from 'zod';
import { AuditRecordSchema } from '#core';

export const AuditPage = z.object({ changes: z.array(AuditRecordSchema).describe('Newest first') });
