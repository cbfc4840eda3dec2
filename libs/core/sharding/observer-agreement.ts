import { z } from 'zod';
import { PARTITION_RESPONSES } from '../policy/detector-policy.js';

/**
 * What the observers' quorum said about a crash or hang verdict, kept with the detection at
 * `/homeostat/detections/<id>` (and so in the API's fleet view): who saw the gateway down,
 * who still saw it answering, and what was done instead of a removal when they disagreed.
 */
export const ObserverAgreementSchema = z.object({
  verdict: z.enum(['agreed', 'partition-suspected']),
  required: z.number().int().nonnegative(),
  agreeing: z.array(z.string().max(128)).max(16),
  dissenting: z.array(z.string().max(128)).max(16),
  silent: z.array(z.string().max(128)).max(16),
  reason: z.string().max(2_000),
  /** For `partition-suspected`: the policy's `detector.agreement.onPartition`. */
  response: z.enum(PARTITION_RESPONSES).optional(),
});
export type ObserverAgreement = z.infer<typeof ObserverAgreementSchema>;
