import { z } from 'zod';
import { IDENTITY_NAME_PATTERN } from './identity.js';
import { ROLES } from './roles.js';

/** A token file holds no tokens: only what a token hashes to (SHA-256, hex). */
export const TokenEntrySchema = z
  .object({
    name: z.string().regex(IDENTITY_NAME_PATTERN, 'name must be 1-128 letters, digits or . _ @ : + -'),
    role: z.enum(ROLES),
    sha256: z.string().regex(/^[0-9a-f]{64}$/, 'sha256 must be the 64 lowercase hex digits of the token\'s SHA-256'),
  })
  .strict();

export type TokenEntry = z.infer<typeof TokenEntrySchema>;

export const TokenFileSchema = z
  .object({ tokens: z.array(TokenEntrySchema).max(10_000) })
  .strict()
  .superRefine(({ tokens }, ctx) => {
    const seen = new Set<string>();
    tokens.forEach(({ name }, i) => {
      if (seen.has(name)) ctx.addIssue({ code: 'custom', path: ['tokens', i, 'name'], message: `name ${name} appears more than once` });
      seen.add(name);
    });
  });

export type TokenFile = z.infer<typeof TokenFileSchema>;

export class TokenFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenFileError';
  }
}

/**
 * Parses a token file's text. Messages name paths and rules only, never values, so
 * logging one cannot leak a hash (or a token pasted by mistake).
 */
export const parseTokenFile = (text: string): TokenFile => {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new TokenFileError('not valid JSON');
  }
  const parsed = TokenFileSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  throw new TokenFileError(parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; '));
};
