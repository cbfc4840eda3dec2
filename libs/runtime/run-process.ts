import { InvalidSettingsError } from '#core';
import { type Logger } from './logger.js';

/**
 * Runs a process's main: a settings error prints what to fix and exits 2; SIGTERM
 * and SIGINT run the shutdown the main returned, once.
 */
export const runProcess = async (log: Logger, main: () => Promise<() => Promise<void>>): Promise<void> => {
  let shutdown: (() => Promise<void>) | undefined;
  try {
    shutdown = await main();
  } catch (error) {
    if (error instanceof InvalidSettingsError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    log.fatal({ err: error }, 'failed to start');
    process.exit(1);
  }
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    void (shutdown ?? (async () => undefined))()
      .catch((error: unknown) => log.error({ err: error }, 'shutdown failed'))
      .finally(() => process.exit(0));
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
};
