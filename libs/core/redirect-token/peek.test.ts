import { describe, expect, it } from '@jest/globals';
import { peekRedirectClaims } from './peek.js';
import { signRedirectToken } from './sign.js';
import { grant, NOW_MS, SECRET } from './test-fixtures.js';

describe(peekRedirectClaims.name, () => {
  it('should read the target and address a token names, without the secret', async () => {
    const token = await signRedirectToken(SECRET, grant(), NOW_MS);
    expect(peekRedirectClaims(token)).toMatchObject({ targetGatewayId: 'gw-b', targetAddress: 'ws://127.0.0.1:8443/ws', sessionId: 'session-42' });
  });

  it('should answer undefined for anything that is not a token', () => {
    for (const bad of ['', 'garbage', 'x'.repeat(10_000), '!!!.abc']) expect(peekRedirectClaims(bad)).toBeUndefined();
  });
});
