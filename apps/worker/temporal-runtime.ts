import { Runtime } from '@temporalio/worker';
import { type Logger, temporalLogger } from '#runtime';

/**
 * Installs the SDK runtime once, before any connection: its logs (the TS side and
 * Core's native side, forwarded) go through the process's pino logger.
 */
export const installTemporalRuntime = (log: Logger): void => {
  Runtime.install({
    logger: temporalLogger(log),
    telemetryOptions: {
      logging: { filter: { core: 'WARN', other: 'ERROR' }, forward: {} },
    },
  });
};
