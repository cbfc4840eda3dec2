/** The etcd key layout of DESIGN.md, in one place. Fleet-level state only, never per-session data. */
export const ROOT = '/homeostat/';
export const GATEWAYS_PREFIX = `${ROOT}gateways/`;
export const VITALS_PREFIX = `${ROOT}vitals/`;
export const STATE_PREFIX = `${ROOT}state/`;

export const gatewayKey = (id: string): string => `${GATEWAYS_PREFIX}${id}`;
export const vitalsKey = (id: string): string => `${VITALS_PREFIX}${id}`;
export const stateKey = (id: string): string => `${STATE_PREFIX}${id}`;

export const idFromKey = (prefix: string, key: string): string => key.slice(prefix.length);
