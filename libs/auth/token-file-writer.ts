import { rename, writeFile } from 'node:fs/promises';
import { type Role, type TokenFile } from '#core';
import { generateToken, hashToken } from './token-hash.js';

export interface IssuedToken {
  readonly name: string;
  readonly role: Role;
  /** The secret itself: handed to its holder once, never stored. */
  readonly token: string;
}

/**
 * Issues a fresh token per identity and writes the token file (hashes only, mode 0600,
 * replaced atomically so a running API never reads half a file). Returns the tokens.
 */
export const writeTokenFile = async (path: string, identities: readonly { name: string; role: Role }[]): Promise<IssuedToken[]> => {
  const issued = identities.map(({ name, role }) => ({ name, role, token: generateToken() }));
  const file: TokenFile = { tokens: issued.map(({ name, role, token }) => ({ name, role, sha256: hashToken(token) })) };
  const next = `${path}.${process.pid}.next`;
  await writeFile(next, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  await rename(next, path);
  return issued;
};
