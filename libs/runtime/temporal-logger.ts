import { type LogLevel, type LogMetadata, type Logger as TemporalLogger } from '@temporalio/common';
import { type Logger } from './logger.js';

const PINO_LEVEL: Readonly<Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'>> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/**
 * Temporal's SDK logger interface over pino: the SDK's own messages, the
 * workflow and activity context loggers and (forwarded) Core's native logs all
 * come out as the process's JSON lines instead of coloured text on stderr.
 */
export const temporalLogger = (log: Logger): TemporalLogger => {
  const sdk = log.child({ component: 'temporal-sdk' });
  const write = (level: LogLevel, message: string, meta?: LogMetadata): void => {
    sdk[PINO_LEVEL[level]]({ ...meta }, message);
  };
  return {
    log: write,
    trace: (message, meta) => write('TRACE', message, meta),
    debug: (message, meta) => write('DEBUG', message, meta),
    info: (message, meta) => write('INFO', message, meta),
    warn: (message, meta) => write('WARN', message, meta),
    error: (message, meta) => write('ERROR', message, meta),
  };
};
