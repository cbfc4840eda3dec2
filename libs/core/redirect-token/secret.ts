/** RFC 2104 recommends a key at least as long as the hash output; anything shorter is guessable sooner. */
export const MIN_REDIRECT_SECRET_BYTES = 32;

/** A secret as raw bytes, or as text (UTF-8 encoded) for secrets read from configuration. */
export type RedirectSecret = Uint8Array | string;

// Spelled through the global so this file needs no `node:crypto` import and stays workflow-safe.
export type RedirectKey = Awaited<ReturnType<typeof globalThis.crypto.subtle.importKey>>;

export class RedirectSecretTooShortError extends RangeError {
  constructor(readonly byteLength: number) {
    super(
      `redirect-token secret is ${byteLength} bytes; at least ${MIN_REDIRECT_SECRET_BYTES} random bytes are required`,
    );
    this.name = 'RedirectSecretTooShortError';
  }
}

export function secretBytes(secret: RedirectSecret): Uint8Array {
  const bytes = typeof secret === 'string' ? new TextEncoder().encode(secret) : secret;
  if (bytes.byteLength < MIN_REDIRECT_SECRET_BYTES) throw new RedirectSecretTooShortError(bytes.byteLength);
  return bytes;
}

export function importRedirectKey(secret: RedirectSecret): Promise<RedirectKey> {
  return globalThis.crypto.subtle.importKey('raw', secretBytes(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
    'verify',
  ]);
}
