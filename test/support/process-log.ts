import { type HomeostatProcess, type JsonLogLine, parseJsonLogLine, startApp } from '#devstack';

export type LogLine = JsonLogLine;

/** A real Homeostat process (a detector, a worker, …) with its JSON log lines kept for the test to read. */
export class ProcessLog {
  readonly lines: LogLine[] = [];
  private readonly waiters = new Set<() => void>();
  private process: HomeostatProcess | undefined;

  /** Follows a process already started: what it printed before is taken from its last 200 lines. */
  constructor(app?: HomeostatProcess) {
    if (!app) return;
    this.process = app;
    for (const line of app.process.tail(200).split('\n')) this.take(line);
    app.process.onOutputLine((line) => this.take(line));
  }

  get app(): HomeostatProcess {
    if (!this.process) throw new Error('the process has not started yet');
    return this.process;
  }

  /** Starts the app with every line kept from its first (a busy detector prints hundreds before its ready line). */
  protected async launch(app: string, options: Omit<Parameters<typeof startApp>[1], 'onLine'>): Promise<void> {
    this.process = await startApp(app, { ...options, onLine: (line) => this.take(line) });
  }

  events(event: string, gatewayId?: string): LogLine[] {
    return this.lines.filter((l) => l.event === event && (gatewayId === undefined || l.gatewayId === gatewayId));
  }

  /** The first line (already logged or yet to come) that `match` accepts. */
  waitFor(what: string, match: (line: LogLine) => boolean, timeoutMs = 30_000): Promise<LogLine> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = this.lines.find(match);
        if (!found) return false;
        clearTimeout(timer);
        this.waiters.delete(waiter);
        resolve(found);
        return true;
      };
      const waiter = (): void => void check();
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`${this.app.process.options.name}: no ${what} within ${timeoutMs} ms; last lines:\n${this.app.process.tail(15)}`));
      }, timeoutMs);
      if (!check()) this.waiters.add(waiter);
    });
  }

  waitForEvent(event: string, gatewayId?: string, extra: (line: LogLine) => boolean = () => true): Promise<LogLine> {
    return this.waitFor(`"${event}"${gatewayId ? ` for ${gatewayId}` : ''}`, (l) => l.event === event && (gatewayId === undefined || l.gatewayId === gatewayId) && extra(l));
  }

  stop(): Promise<void> {
    return this.app.process.stop();
  }

  private take(line: string): void {
    const parsed = parseJsonLogLine(line);
    if (!parsed) return;
    this.lines.push(parsed);
    for (const waiter of [...this.waiters]) waiter();
  }
}
