import { type z } from 'zod';

export class InvalidSettingsError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid settings:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'InvalidSettingsError';
  }
}

/**
 * Validates a process's settings once, at start, into a typed object. Every
 * problem names the environment variable, so a bad deployment says what to fix.
 */
export const parseSettings = <S extends z.ZodType>(schema: S, env: Record<string, string | undefined>): z.infer<S> => {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  throw new InvalidSettingsError(
    parsed.error.issues.map((issue) => {
      const name = issue.path.join('.');
      const value = env[name];
      return `${name}: ${issue.message}${value === undefined ? ' (not set)' : ` (got ${JSON.stringify(value)})`}`;
    }),
  );
};
