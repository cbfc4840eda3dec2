import { type HomeostatProcess, JsonLog, type JsonLogLine, startApp } from '#devstack';

export type LogLine = JsonLogLine;

/** A real Homeostat process (a detector, a worker, …) with its JSON log lines kept for the test to read. */
export class ProcessLog {
  private log = new JsonLog();
  private process: HomeostatProcess | undefined;

  /** Follows a process already started: what it printed before is taken from its last 200 lines. */
  constructor(app?: HomeostatProcess) {
    if (!app) return;
    this.process = app;
    this.log = JsonLog.follow(app);
  }

  get app(): HomeostatProcess {
    if (!this.process) throw new Error('the process has not started yet');
    return this.process;
  }

  get lines(): LogLine[] {
    return this.log.lines;
  }

  /** Starts the app with every line kept from its first (a busy detector prints hundreds before its ready line). */
  protected async launch(app: string, options: Omit<Parameters<typeof startApp>[1], 'onLine'>): Promise<void> {
    ({ app: this.process, log: this.log } = await JsonLog.startApp(app, options));
  }

  events(event: string, gatewayId?: string): LogLine[] {
    return this.log.events(event, gatewayId);
  }

  /** The first line (already logged or yet to come) that `match` accepts. */
  waitFor(what: string, match: (line: LogLine) => boolean, timeoutMs = 30_000): Promise<LogLine> {
    const { name } = this.app.process.options;
    return this.log.waitFor(`${what} from ${name}`, match, { timeoutMs, context: () => `last lines:\n${this.app.process.tail(15)}` });
  }

  waitForEvent(event: string, gatewayId?: string, extra: (line: LogLine) => boolean = () => true): Promise<LogLine> {
    return this.waitFor(`"${event}"${gatewayId ? ` for ${gatewayId}` : ''}`, (l) => l.event === event && (gatewayId === undefined || l.gatewayId === gatewayId) && extra(l));
  }

  stop(): Promise<void> {
    return this.app.process.stop();
  }
}
