import { z } from 'zod';

/** An empty variable counts as unset (as `FOO=` in a shell or a manifest means). */
const unsetIfEmpty = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === '' ? undefined : value), schema.optional());
const optionalText = unsetIfEmpty(z.string().trim().min(1));

/**
 * Who may call the API. At least one identity source is required: there is no open
 * mode, so a deployment that forgot to configure one does not start.
 */
export const AuthSettingsSchema = z.object({
  /** A JSON token file (see README): names, roles and SHA-256 hashes of tokens. */
  API_TOKEN_FILE: optionalText,
  API_TOKEN_FILE_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(1_000),
  API_OIDC_ISSUER: optionalText,
  API_OIDC_AUDIENCE: optionalText,
  API_OIDC_JWKS_URL: unsetIfEmpty(z.string().url('must be a URL like https://idp.example.com/.well-known/jwks.json')),
  API_OIDC_ROLE_CLAIM: z.string().trim().min(1).default('homeostat_role'),
  API_OIDC_NAME_CLAIM: z.string().trim().min(1).default('sub'),
});

export type AuthSettings = z.infer<typeof AuthSettingsSchema>;

const OIDC_SETTINGS = ['API_OIDC_ISSUER', 'API_OIDC_AUDIENCE', 'API_OIDC_JWKS_URL'] as const;

/** Cross-field rules, for a schema that extends AuthSettingsSchema: one source at least, OIDC complete or absent. */
export const requireIdentitySource = (settings: AuthSettings, ctx: z.RefinementCtx): void => {
  const oidcSet = OIDC_SETTINGS.filter((name) => settings[name] !== undefined);
  if (oidcSet.length > 0 && oidcSet.length < OIDC_SETTINGS.length) {
    for (const name of OIDC_SETTINGS.filter((n) => settings[n] === undefined)) {
      ctx.addIssue({ code: 'custom', path: [name], message: `required with ${oidcSet.join(', ')}: OIDC needs ${OIDC_SETTINGS.join(', ')}` });
    }
  }
  if (!settings.API_TOKEN_FILE && oidcSet.length === 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['API_TOKEN_FILE'],
      message: `no identity source: set API_TOKEN_FILE, or ${OIDC_SETTINGS.join(' + ')} (the API never runs open)`,
    });
  }
};
