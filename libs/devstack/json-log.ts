import { type HomeostatProcess, startApp } from './homeostat-processes.js';
import { waitUntil } from './wait-until.js';

/** One line of a Homeostat process's JSON log (pino: `time` is epoch milliseconds). */
export type JsonLogLine = Record<string, unknown> & { readonly event?: string; readonly gatewayId?: string; readonly time?: number };

/** One output line as a JSON log line, or undefined for anything else (a stack trace, a plain message). */
export const parseJsonLogLine = (line: string): JsonLogLine | undefined => {
  if (!line.startsWith('{')) return undefined;
  try {
    return JSON.parse(line) as JsonLogLine;
  } catch {
    return undefined;
  }
};

/**
 * A process's JSON log lines, every one from its first, kept for reading: benches and tests
 * time what a process did by the `time` it logged it at, not by when the line reached them.
 */
export class JsonLog {
  readonly lines: JsonLogLine[] = [];

  /** Starts a Homeostat app with its log followed from the first line (a busy start prints hundreds before it is ready). */
  static async startApp(app: string, options: Omit<Parameters<typeof startApp>[1], 'onLine'>): Promise<{ readonly app: HomeostatProcess; readonly log: JsonLog }> {
    const log = new JsonLog();
    return { app: await startApp(app, { ...options, onLine: (line) => log.take(line) }), log };
  }

  /** Lines of `event` (about `gatewayId`, if given), from line `from` on. */
  events(event: string, gatewayId?: string, from = 0): JsonLogLine[] {
    return this.lines.slice(from).filter((l) => l.event === event && (gatewayId === undefined || l.gatewayId === gatewayId));
  }

  /** The first line from line `from` on that `match` accepts, already logged or yet to come. */
  waitFor(what: string, match: (line: JsonLogLine) => boolean, { from = 0, timeoutMs = 30_000 } = {}): Promise<JsonLogLine> {
    return waitUntil(what, async () => this.lines.slice(from).find(match), { timeoutMs, intervalMs: 5 });
  }

  private take(raw: string): void {
    const line = parseJsonLogLine(raw);
    if (line) this.lines.push(line);
  }
}
