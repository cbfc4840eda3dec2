import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, type WriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { processRegistry } from './process-registry.js';

export interface SpawnOptions {
  /** Short name used in logs and error messages, e.g. `gateway gw-1`. */
  readonly name: string;
  readonly command: string;
  readonly args?: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Every line the process writes (stdout and stderr) is appended here. */
  readonly logFile?: string;
}

const SETPRIV = '/usr/bin/setpriv';

/**
 * A child process that cannot outlive us: it is started under `setpriv --pdeathsig`
 * so the kernel kills it even if this process is SIGKILLed (a crashed test, a
 * killed demo), and it is registered so Ctrl-C and normal exit stop it too.
 */
export class SupervisedProcess {
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly child: ChildProcess;
  private readonly log: WriteStream | undefined;
  private readonly lineListeners = new Set<(line: string) => void>();
  private readonly recentLines: string[] = [];
  private exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;

  private constructor(readonly options: SpawnOptions) {
    const [command, args] = existsSync(SETPRIV)
      ? [SETPRIV, ['--pdeathsig', 'SIGKILL', '--', options.command, ...(options.args ?? [])]]
      : [options.command, [...(options.args ?? [])]];
    this.log = options.logFile ? createWriteStream(options.logFile, { flags: 'a' }) : undefined;
    this.child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [this.child.stdout, this.child.stderr]) {
      if (stream) createInterface({ input: stream }).on('line', (line) => this.onLine(line));
    }
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        processRegistry.forget(this);
        this.log?.end();
        resolve(this.exitInfo);
      });
      this.child.once('error', (error) => {
        this.onLine(`spawn failed: ${error.message}`);
        this.exitInfo = { code: -1, signal: null };
        processRegistry.forget(this);
        resolve(this.exitInfo);
      });
    });
    processRegistry.track(this);
  }

  static start(options: SpawnOptions): SupervisedProcess {
    return new SupervisedProcess(options);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.exitInfo === undefined;
  }

  /** The last lines the process printed, for error messages when it dies early. */
  tail(lines = 20): string {
    return this.recentLines.slice(-lines).join('\n');
  }

  onOutputLine(listener: (line: string) => void): () => void {
    this.lineListeners.add(listener);
    return () => this.lineListeners.delete(listener);
  }

  /** Resolves with the first output line `match` accepts; rejects if the process exits first. */
  waitForLine<T>(match: (line: string) => T | undefined, timeoutMs: number): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`${this.options.name} did not become ready within ${timeoutMs} ms:\n${this.tail()}`));
      }, timeoutMs);
      const off = this.onOutputLine((line) => {
        const found = match(line);
        if (found === undefined) return;
        clearTimeout(timer);
        off();
        resolve(found);
      });
      void this.exited.then(({ code, signal }) => {
        clearTimeout(timer);
        off();
        reject(new Error(`${this.options.name} exited (code ${code}, signal ${signal}) before it was ready:\n${this.tail()}`));
      });
    });
  }

  /** Explains why waiting for this process is pointless, for `waitUntil({ giveUp })`. */
  readonly deathNotice = (): string | undefined =>
    this.exitInfo
      ? `${this.options.name} exited (code ${this.exitInfo.code}, signal ${this.exitInfo.signal}):\n${this.tail()}`
      : undefined;

  signal(signal: NodeJS.Signals): void {
    if (this.running) this.child.kill(signal);
  }

  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
  async stop(graceMs = 5_000): Promise<void> {
    if (!this.running) return;
    this.signal('SIGTERM');
    const timer = setTimeout(() => this.signal('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** Synchronous last resort used from `process.on('exit')`, where nothing async runs. */
  killNow(): void {
    this.signal('SIGKILL');
  }

  private onLine(line: string): void {
    this.log?.write(`${line}\n`);
    this.recentLines.push(line);
    if (this.recentLines.length > 200) this.recentLines.shift();
    for (const listener of this.lineListeners) listener(line);
  }
}
