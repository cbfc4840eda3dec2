/**
 * What answers without a credential: liveness/readiness probes, the API's own
 * description and the fleet page (static; it asks for a token before it reads anything).
 * Everything else needs a bearer token. Exact paths, or a prefix ending in `/`; `/` itself
 * is exact (the page, not everything).
 */
export const PUBLIC_PATHS: readonly string[] = ['/', '/healthz', '/readyz', '/openapi.json', '/docs', '/docs/'];

export const isPublicPath = (path: string): boolean =>
  PUBLIC_PATHS.some((p) => (p.endsWith('/') && p !== '/' ? path.startsWith(p) : path === p));
