import { type HomeostatProcess, startApp } from './homeostat-processes.js';

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

export interface WaitForOptions {
  /** Only lines from this index on count (a mark taken earlier from `lines.length`). */
  readonly from?: number;
  readonly timeoutMs?: number;
  /** Appended to the timeout error (e.g. the process's last output lines). */
  readonly context?: () => string;
}

/**
 * A process's JSON log lines, every one from its first, kept for reading: benches and tests
 * time what a process did by the `time` it logged it at, not by when the line reached them.
 */
export class JsonLog {
  readonly lines: JsonLogLine[] = [];
  private readonly waiters = new Set<() => void>();

  /** Starts a Homeostat app with its log followed from the first line (a busy start prints hundreds before it is ready). */
  static async startApp(app: string, options: Omit<Parameters<typeof startApp>[1], 'onLine'>): Promise<{ readonly app: HomeostatProcess; readonly log: JsonLog }> {
    const log = new JsonLog();
    return { app: await startApp(app, { ...options, onLine: (line) => log.take(line) }), log };
  }

  /** Follows a process already started: what it printed before is taken from its last 200 lines. */
  static follow(app: HomeostatProcess): JsonLog {
    const log = new JsonLog();
    for (const line of app.process.tail(200).split('\n')) log.take(line);
    app.process.onOutputLine((line) => log.take(line));
    return log;
  }

  /** Lines of `event` (about `gatewayId`, if given), from line `from` on. */
  events(event: string, gatewayId?: string, from = 0): JsonLogLine[] {
    return this.lines.slice(from).filter((l) => l.event === event && (gatewayId === undefined || l.gatewayId === gatewayId));
  }

  /** The first line from line `from` on that `match` accepts, already logged or yet to come. */
  waitFor(what: string, match: (line: JsonLogLine) => boolean, { from = 0, timeoutMs = 30_000, context }: WaitForOptions = {}): Promise<JsonLogLine> {
    return new Promise((resolve, reject) => {
      let checked = from;
      const check = (): boolean => {
        const found = this.lines.slice(checked).find(match);
        checked = this.lines.length;
        if (!found) return false;
        clearTimeout(timer);
        this.waiters.delete(waiter);
        resolve(found);
        return true;
      };
      const waiter = (): void => void check();
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`no ${what} within ${timeoutMs} ms${context ? `; ${context()}` : ''}`));
      }, timeoutMs);
      if (!check()) this.waiters.add(waiter);
    });
  }

  private take(raw: string): void {
    const line = parseJsonLogLine(raw);
    if (!line) return;
    this.lines.push(line);
    for (const waiter of [...this.waiters]) waiter();
  }
}
