import { setTimeout as sleep } from 'node:timers/promises';

export interface WaitOptions {
  readonly timeoutMs?: number;
  readonly intervalMs?: number;
  /** Returns a reason to stop early (e.g. the process being waited on has died). */
  readonly giveUp?: () => string | undefined;
}

/** Polls `probe` until it resolves truthy; the last error explains a timeout. */
export const waitUntil = async <T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  { timeoutMs = 30_000, intervalMs = 100, giveUp }: WaitOptions = {},
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    const hopeless = giveUp?.();
    if (hopeless) throw new Error(`gave up waiting for ${what}: ${hopeless}`);
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    await sleep(intervalMs);
  }
  const reason = lastError instanceof Error ? `: ${lastError.message}` : '';
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${reason}`);
};
