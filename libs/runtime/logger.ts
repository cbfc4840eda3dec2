import { Writable } from 'node:stream';
import { type DestinationStream, pino, type Logger } from 'pino';

export type { Logger };

const LEVELS: Readonly<Record<number, string>> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const OMITTED = new Set(['level', 'time', 'pid', 'hostname', 'name', 'msg']);

/** One JSON line as a human reads it: `12:00:01.123 INFO  api: message key=value …`. */
export const formatLine = (json: string): string => {
  const entry = JSON.parse(json) as Record<string, unknown>;
  const time = new Date(Number(entry.time)).toISOString().slice(11, 23);
  const fields = Object.entries(entry)
    .filter(([key]) => !OMITTED.has(key))
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  return [time, (LEVELS[Number(entry.level)] ?? String(entry.level)).padEnd(5), `${String(entry.name)}:`, String(entry.msg ?? ''), ...fields].join(' ');
};

/** LOG_PRETTY=1: the same records, one readable line each, for a human at a terminal. */
const prettyStdout = (): DestinationStream =>
  new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) process.stdout.write(`${formatLine(line)}\n`);
      done();
    },
  });

/**
 * JSON lines on stdout (the dev stack reads the `ready` event to know a process
 * is up); readable lines only when a human asks with LOG_PRETTY=1.
 */
export const createLogger = (name: string, fields: Record<string, unknown> = {}): Logger => {
  const options = { name, level: process.env.LOG_LEVEL ?? 'info', base: { pid: process.pid, ...fields } };
  return process.env.LOG_PRETTY === '1' ? pino(options, prettyStdout()) : pino(options);
};

/** The one line each Homeostat process prints when it is ready to serve. */
export const READY_EVENT = 'ready';
