import { type Role } from './roles.js';

/** Who is calling, as established from a credential; `name` is what reports record as `by`. */
export interface Identity {
  readonly name: string;
  /** Absent when a valid OIDC token carries no Homeostat role: authenticated, allowed nothing. */
  readonly role: Role | undefined;
  readonly source: 'token-file' | 'oidc';
}

/** Identity names end up in reports, logs and etcd history: bound them to a printable alphabet. */
export const IDENTITY_NAME_PATTERN = /^[\w.@:+-]{1,128}$/;
