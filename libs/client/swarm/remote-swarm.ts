import { type ChildProcess, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type ClientJournal } from '#core';
import { type SwarmReport, type SwarmSpec } from './client-swarm.js';
import { type SwarmAnswer, type SwarmCommand } from './swarm-messages.js';

type Command = SwarmCommand extends infer C ? (C extends { id: number } ? Omit<C, 'id'> : never) : never;

/** The built worker; swarms always run from dist/, like every other process the dev stack starts. */
const workerPath = (): string => {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const built = here.includes('/dist/') ? `${here}swarm-worker.js` : `${here.replace(/\/libs\/client\/swarm\/?$/, '')}/dist/libs/client/swarm/swarm-worker.js`;
  if (!existsSync(built)) throw new Error(`${built} does not exist: run \`npm run build\` first`);
  return built;
};

/** A ClientSwarm in a child process. */
export class RemoteSwarm {
  private readonly child: ChildProcess;
  private nextId = 0;
  private readonly waiting = new Map<number, { resolve: (a: SwarmAnswer) => void; reject: (e: Error) => void }>();
  private readonly exited: Promise<void>;

  private constructor() {
    this.child = fork(workerPath(), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child.on('message', (answer: SwarmAnswer) => {
      this.waiting.get(answer.id)?.resolve(answer);
      this.waiting.delete(answer.id);
    });
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => {
        for (const { reject } of this.waiting.values()) reject(new Error(`swarm process exited (code ${code}, signal ${signal})`));
        this.waiting.clear();
        resolve();
      }),
    );
  }

  static async start(spec: SwarmSpec): Promise<RemoteSwarm> {
    const swarm = new RemoteSwarm();
    await swarm.request({ op: 'start', spec });
    return swarm;
  }

  async report(): Promise<SwarmReport> {
    const answer = await this.request({ op: 'report' });
    if (!answer.ok || !answer.report) throw new Error('swarm process sent no report');
    return answer.report;
  }

  /** Every client's recorded arrivals and moves (the spec must ask for a journal). */
  async journals(): Promise<ClientJournal[]> {
    const answer = await this.request({ op: 'journals' });
    return answer.ok ? (answer.journals ?? []) : [];
  }

  /** Stalls the reading of up to `count` of its clients on `gatewayId` for `forMs`; their session ids. */
  async stall(gatewayId: string, count: number, forMs: number): Promise<string[]> {
    const answer = await this.request({ op: 'stall', gatewayId, count, forMs });
    return answer.ok ? (answer.stalled ?? []) : [];
  }

  /** Moves up to `count` of its clients on `gatewayId` onto `address` (the gateway behind a proxy, say); their session ids. */
  async moveTo(gatewayId: string, address: string, count: number): Promise<string[]> {
    const answer = await this.request({ op: 'move', gatewayId, address, count });
    return answer.ok ? (answer.moved ?? []) : [];
  }

  /** The swarm's process id (chaos checks it leaves no orphan). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.connected) await this.request({ op: 'stop' }).catch(() => undefined);
    this.child.kill('SIGKILL');
    await this.exited;
  }

  private request(command: Command): Promise<SwarmAnswer> {
    const id = this.nextId++;
    return new Promise<SwarmAnswer>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.child.send({ ...command, id } as SwarmCommand);
    }).then((answer) => {
      if (!answer.ok) throw new Error(`swarm process: ${answer.error}`);
      return answer;
    });
  }
}
