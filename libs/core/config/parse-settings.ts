import { type z } from 'zod';

export class InvalidSettingsError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid settings:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'InvalidSettingsError';
  }
}

/** Settings whose values are secrets: an error names them but never shows what they were set to. */
const SECRET_NAME = /SECRET|PASSWORD|API_KEY|TOKEN$/;

/**
 * Validates a process's settings once, at start, into a typed object. Every
 * problem names the environment variable, so a bad deployment says what to fix;
 * the value is shown unless the setting holds a secret.
 */
export const parseSettings = <S extends z.ZodType>(schema: S, env: Record<string, string | undefined>): z.infer<S> => {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  throw new InvalidSettingsError(
    parsed.error.issues.map((issue) => {
      const name = issue.path.join('.');
      const value = env[name];
      if (value === undefined) return `${name}: ${issue.message} (not set)`;
      const shown = SECRET_NAME.test(name) ? `${value.length} characters, not shown` : JSON.stringify(value);
      return `${name}: ${issue.message} (got ${shown})`;
    }),
  );
};
