/**
 * Roles nest: an operator can do what a viewer can, an admin what an operator can.
 * viewer reads; operator acts on runs and gateways; admin changes policies, flags, schedules.
 */
export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const isRole = (value: unknown): value is Role => typeof value === 'string' && (ROLES as readonly string[]).includes(value);

/** Whether a caller holding `held` may do what needs `needed`. */
export const roleAllows = (held: Role, needed: Role): boolean => ROLES.indexOf(held) >= ROLES.indexOf(needed);

/**
 * The role an endpoint needs when it does not say: reading needs viewer, anything
 * else admin, so an endpoint added without thought is closed rather than open.
 */
export const defaultRoleFor = (method: string): Role => (['GET', 'HEAD'].includes(method.toUpperCase()) ? 'viewer' : 'admin');

/** The strongest role among claimed values (an OIDC claim may be a list of groups); unknown values are ignored. */
export const strongestRole = (claimed: unknown): Role | undefined => {
  const values = Array.isArray(claimed) ? claimed : [claimed];
  const roles = values.filter(isRole);
  return roles.length ? roles.reduce((a, b) => (roleAllows(a, b) ? a : b)) : undefined;
};
