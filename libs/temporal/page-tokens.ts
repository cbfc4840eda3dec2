import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export class InvalidPageTokenError extends Error {
  constructor(reason: string) {
    super(`pageToken is not valid: ${reason}; start again from the first page (without pageToken)`);
    this.name = 'InvalidPageTokenError';
  }
}

const SEPARATOR = '.';

/**
 * Visibility page tokens, sealed: the token handed out is Temporal's, MACed together with the
 * query it pages through. Temporal retries a token it cannot read until the deadline, so a
 * forged, altered or mismatched token is refused here instead, at once. The key lives as long as
 * the process: a token outlives neither an API restart nor a move to another replica.
 */
export class PageTokens {
  constructor(private readonly key: Buffer = randomBytes(32)) {}

  seal(query: string, raw: Uint8Array): string {
    const token = Buffer.from(raw).toString('base64url');
    return `${token}${SEPARATOR}${this.mac(query, token).toString('base64url')}`;
  }

  open(query: string, sealed: string): Buffer {
    const [token, mac, ...rest] = sealed.split(SEPARATOR);
    if (!token || !mac || rest.length) throw new InvalidPageTokenError('not a token this API issued');
    const given = Buffer.from(mac, 'base64url');
    const expected = this.mac(query, token);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new InvalidPageTokenError('not issued by this API process for these filters');
    }
    return Buffer.from(token, 'base64url');
  }

  private mac(query: string, token: string): Buffer {
    return createHmac('sha256', this.key).update(query).update('\n').update(token).digest();
  }
}
