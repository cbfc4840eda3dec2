import { describe, expect, it } from '@jest/globals';
import { isPublicPath } from './public-paths.js';

describe(isPublicPath.name, () => {
  it('should let the fleet page, probes and the API description through without a token', () => {
    for (const path of ['/', '/healthz', '/readyz', '/openapi.json', '/docs', '/docs/swagger-ui.css']) expect(isPublicPath(path)).toBe(true);
  });

  it('should not make everything under / public because the page is', () => {
    for (const path of ['/v1/remediations', '/v1/fleet/events', '/metrics', '//', '/healthz/x', '/docsx']) expect(isPublicPath(path)).toBe(false);
  });
});
