import { pino, type Logger } from 'pino';

export type { Logger };

/** JSON lines on stdout; the dev stack reads the `ready` event to know a process is up. */
export const createLogger = (name: string, fields: Record<string, unknown> = {}): Logger =>
  pino({ name, level: process.env.LOG_LEVEL ?? 'info', base: { pid: process.pid, ...fields } });

/** The one line each Homeostat process prints when it is ready to serve. */
export const READY_EVENT = 'ready';
