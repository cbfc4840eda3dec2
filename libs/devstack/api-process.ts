import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type IssuedToken, writeTokenFile } from '#auth';
import { type Role } from '#core';
import { type HomeostatProcess, startApp } from './homeostat-processes.js';

/** The identity names behind the tokens devstack issues: what reports record as `by`. */
export const API_TEST_IDENTITIES: Readonly<Record<Role, string>> = { admin: 'test-admin', operator: 'test-operator', viewer: 'test-viewer' };

export interface RunningApi {
  readonly url: string;
  readonly app: HomeostatProcess;
  /** The admin token: what a caller that does not care about roles uses. */
  readonly token: string;
  /** The token file the API follows (rewrite it to change identities live). */
  readonly tokenFile: string;
  readonly issued: readonly IssuedToken[];
  /** The token issued for a role; throws if none was, so a test never calls anonymously by mistake. */
  tokenFor(role: Role): string;
}

export interface ApiProcessOptions {
  readonly env: Record<string, string>;
  readonly logDir?: string;
  /** Where to write the token file (default: a fresh temp dir). */
  readonly tokenFile?: string;
  /** One identity per role listed (default: admin, operator and viewer). */
  readonly roles?: readonly Role[];
}

/**
 * Starts the API from the build with a fresh token file (the API refuses to start without an
 * identity source). `env` may override anything, e.g. add OIDC settings.
 */
export const startApiProcess = async ({ env, logDir, tokenFile, roles = ['admin', 'operator', 'viewer'] }: ApiProcessOptions): Promise<RunningApi> => {
  const file = tokenFile ?? join(await mkdtemp(join(tmpdir(), 'homeostat-api-')), 'tokens.json');
  const issued = await writeTokenFile(file, roles.map((role) => ({ name: API_TEST_IDENTITIES[role], role })));
  const tokenFor = (role: Role): string => {
    const found = issued.find((t) => t.role === role);
    if (!found) throw new Error(`no ${role} token was issued for this API (roles: ${roles.join(', ')})`);
    return found.token;
  };
  const app = await startApp('api', { name: 'api', logDir, env: { API_PORT: '0', API_TOKEN_FILE: file, API_TOKEN_FILE_POLL_MS: '200', ...env } });
  return { url: String(app.ready.url), app, token: tokenFor('admin'), tokenFile: file, issued, tokenFor };
};
