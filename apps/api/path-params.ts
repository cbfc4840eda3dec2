import { z } from 'zod';
import { GATEWAY_ID_PATTERN, SWEEP_SCHEDULE_ID_PATTERN } from '#core';

/**
 * Path parameters, checked before they reach etcd keys or Temporal ids: a bounded length
 * and a safe alphabet, so `../x`, `a/b`, control characters and unicode are a 400 naming the parameter.
 */
const idParam = (name: string, pattern: RegExp, max: number, rule: string) =>
  z
    .string({ error: `${name} is required` })
    .max(max, `${name} must be at most ${max} characters`)
    .regex(pattern, `${name} must be ${rule}`);

export const GatewayIdParam = idParam('gatewayId', GATEWAY_ID_PATTERN, 63, 'lowercase letters, digits, . _ - (max 63, starting with a letter or digit)');

/** `remediate:<gateway>`, `restore:<gateway>`, `rebalance:<ISO time>`, `sweep:<schedule>-<time>`… */
export const WorkflowIdParam = idParam('workflowId', /^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 200, 'letters, digits, . _ : - (max 200), e.g. remediate:gw-1');

/** Temporal run ids are UUIDs. */
export const RunIdParam = idParam('runId', /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 36, 'a run id (a UUID)');

export const ScheduleIdParam = idParam('id', SWEEP_SCHEDULE_ID_PATTERN, 63, 'lowercase letters, digits, . _ - (max 63)');

/** Plain decimal digits only: `Number()` would also read `0x10`, `1e3` or ` 7 `. */
export const PolicyVersionParam = z
  .string({ error: 'version is required' })
  .regex(/^[1-9][0-9]{0,8}$/, 'version must be a positive whole number (digits only)')
  .transform(Number);
