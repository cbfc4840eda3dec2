import { z } from 'zod';
import { type Identity, IDENTITY_NAME_PATTERN } from '../auth/identity.js';
import { ROLES } from '../auth/roles.js';

/** Every change the audit trail records: who changed the policy in force, flipped a degrade switch or lifted a storm. */
export const AUDITED_ACTIONS = ['policy.publish', 'flag.set', 'storm.lift'] as const;
export type AuditedAction = (typeof AUDITED_ACTIONS)[number];

/**
 * Who made a change and when, as authenticated: the caller's identity from its
 * credential, never a name a request body gave.
 */
export const ChangeAuthorSchema = z.object({
  by: z.string().regex(IDENTITY_NAME_PATTERN),
  role: z.enum(ROLES),
  source: z.enum(['token-file', 'oidc']),
  at: z.number().int().nonnegative(),
});
export type ChangeAuthor = z.infer<typeof ChangeAuthorSchema>;

/** Scalars only: an audit record says what changed, it does not copy the changed document. */
const AuditDetailSchema = z.record(z.string(), z.union([z.string().max(500), z.number(), z.boolean(), z.null()]));

export const AuditRecordSchema = ChangeAuthorSchema.extend({
  action: z.enum(AUDITED_ACTIONS),
  /** What was changed, e.g. `policy/5` or `flag/detector-shadow`. */
  target: z.string().min(1).max(200),
  detail: AuditDetailSchema,
});
export type AuditRecord = z.infer<typeof AuditRecordSchema>;

/** Only identities with a role get past the API's role guard, so a change always has one. */
export class RolelessAuthorError extends Error {
  constructor(name: string) {
    super(`${name} has no Homeostat role and cannot change anything`);
    this.name = 'RolelessAuthorError';
  }
}

export const changeAuthor = (identity: Identity, at: number): ChangeAuthor => {
  if (!identity.role) throw new RolelessAuthorError(identity.name);
  return { by: identity.name, role: identity.role, source: identity.source, at };
};

/** Width of a millisecond timestamp until the year 2286: keys sort as their times do. */
const TIME_DIGITS = 13;

/**
 * The key segment of an audit record: its time, zero-padded so that etcd's key order is
 * time order, then a unique suffix so two changes in one millisecond both stay.
 */
export const auditEntryName = (at: number, unique: string): string => `${String(at).padStart(TIME_DIGITS, '0')}-${unique}`;
