import { type Identity, bearerToken, looksLikeJwt } from '#core';
import { type Logger } from '#runtime';
import { type AuthSettings } from './auth-settings.js';
import { OidcIdentities } from './oidc-identities.js';
import { TokenFileIdentities } from './token-file-identities.js';

export type Authentication =
  | { readonly ok: true; readonly identity: Identity }
  | { readonly ok: false; readonly reason: string };

/** Turns an `Authorization` header into an identity, from whichever sources the settings configure. */
export class Authenticator {
  private constructor(
    private readonly tokenFile: TokenFileIdentities | undefined,
    private readonly oidc: OidcIdentities | undefined,
  ) {}

  static async fromSettings(settings: AuthSettings, log: Logger): Promise<Authenticator> {
    const tokenFile = settings.API_TOKEN_FILE ? await TokenFileIdentities.open(settings.API_TOKEN_FILE, log, settings.API_TOKEN_FILE_POLL_MS) : undefined;
    const oidc =
      settings.API_OIDC_JWKS_URL && settings.API_OIDC_ISSUER && settings.API_OIDC_AUDIENCE
        ? new OidcIdentities({
            issuer: settings.API_OIDC_ISSUER,
            audience: settings.API_OIDC_AUDIENCE,
            jwksUrl: settings.API_OIDC_JWKS_URL,
            roleClaim: settings.API_OIDC_ROLE_CLAIM,
            nameClaim: settings.API_OIDC_NAME_CLAIM,
          })
        : undefined;
    return new Authenticator(tokenFile, oidc);
  }

  /** JWT-shaped tokens go to OIDC, others to the token file; a token is never tried against both. */
  async authenticate(authorization: string | undefined): Promise<Authentication> {
    if (!authorization) return { ok: false, reason: 'no credentials: send Authorization: Bearer <token>' };
    const token = bearerToken(authorization);
    if (!token) return { ok: false, reason: 'malformed Authorization header: expected Bearer <token>' };
    const source = looksLikeJwt(token) ? this.oidc : this.tokenFile;
    const identity = await source?.verify(token);
    return identity ? { ok: true, identity } : { ok: false, reason: 'the bearer token is not valid' };
  }

  close(): void {
    this.tokenFile?.close();
  }
}
