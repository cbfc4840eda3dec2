import { createRemoteJWKSet, errors, jwtVerify } from 'jose';
import { IDENTITY_NAME_PATTERN, type Identity, strongestRole } from '#core';

export interface OidcOptions {
  readonly issuer: string;
  readonly audience: string;
  readonly jwksUrl: string;
  /** The claim holding the Homeostat role: a string, or a list (e.g. groups) of which the strongest counts. */
  readonly roleClaim: string;
  /** The claim recorded as the caller's name (`by`); `sub` by default. */
  readonly nameClaim?: string;
}

/** The identity provider's keys could not be fetched: the caller is not at fault, the API cannot check anyone. */
export class IdentityProviderUnavailableError extends Error {
  constructor(jwksUrl: string) {
    super(`the identity provider's keys (JWKS at ${jwksUrl}) cannot be fetched`);
    this.name = 'IdentityProviderUnavailableError';
  }
}

/** Signature checks only with asymmetric algorithms: a symmetric one would accept tokens signed with a public key. */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

/**
 * Identities from OIDC access tokens (JWTs): signature against the provider's JWKS
 * (cached, refetched on an unknown key id), issuer, audience, expiry and not-before.
 */
export class OidcIdentities {
  private readonly keys;

  constructor(private readonly options: OidcOptions) {
    this.keys = createRemoteJWKSet(new URL(options.jwksUrl), { timeoutDuration: 2_000, cooldownDuration: 10_000 });
  }

  /** The identity, or undefined for a token that does not verify; throws when the provider cannot be reached. */
  async verify(token: string): Promise<Identity | undefined> {
    try {
      const { payload } = await jwtVerify(token, this.keys, {
        issuer: this.options.issuer,
        audience: this.options.audience,
        algorithms: ALGORITHMS,
        clockTolerance: 5,
      });
      const name = payload[this.options.nameClaim ?? 'sub'];
      if (typeof name !== 'string' || !IDENTITY_NAME_PATTERN.test(name)) return undefined;
      return { name, role: strongestRole(payload[this.options.roleClaim]), source: 'oidc' };
    } catch (error) {
      if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid || !(error instanceof errors.JOSEError)) {
        throw new IdentityProviderUnavailableError(this.options.jwksUrl);
      }
      return undefined;
    }
  }
}
