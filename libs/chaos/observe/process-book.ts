import { readFileSync, readdirSync } from 'node:fs';
import { type TrackedProcess, processViolations } from '#core';
import { type Fleet } from '#devstack';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * Which processes a chaos run stopped on purpose, so the orphan invariant can ask
 * the kernel (not our own bookkeeping) that they are gone and the rest still run.
 */
export class ProcessBook {
  private readonly stopped: TrackedProcess[] = [];

  constructor(
    private readonly fleet: Fleet,
    private readonly extraPids: () => readonly number[],
  ) {}

  /** Records that `pid` was killed on purpose and must be gone. */
  killed(name: string, pid: number | undefined): void {
    if (pid !== undefined) this.stopped.push({ name, pid, expectAlive: false });
  }

  /** Every process of the fleet that should run now, plus every one killed on purpose. */
  tracked(): TrackedProcess[] {
    const running = [
      ...[...this.fleet.gateways.values()].map((g) => ({ name: `gateway ${g.id}`, process: g.app.process })),
      ...(this.fleet.worker ? [{ name: 'worker', process: this.fleet.worker.process }] : []),
      ...(this.fleet.api ? [{ name: 'api', process: this.fleet.api.app.process }] : []),
      ...this.fleet.detectors.map((d, i) => ({ name: `detector ${i}`, process: d.process })),
    ]
      .flatMap(({ name, process }) => (process.pid === undefined ? [] : [{ name, pid: process.pid, expectAlive: true }]))
      .filter((p) => !this.stopped.some((s) => s.pid === p.pid));
    const swarms = this.extraPids().map((pid) => ({ name: 'client swarm', pid, expectAlive: true }));
    return [...running, ...swarms, ...this.stopped];
  }

  violations(): string[] {
    return processViolations(this.tracked(), alive);
  }

  /** Every descendant of this process still alive (after the run stopped everything, there must be none). */
  static descendants(): number[] {
    return descendantsOf(process.pid);
  }
}

const descendantsOf = (root: number): number[] => {
  const parents = new Map<number, number>();
  for (const entry of readProc()) parents.set(entry.pid, entry.ppid);
  const result: number[] = [];
  const frontier = [root];
  while (frontier.length > 0) {
    const parent = frontier.pop() as number;
    for (const [pid, ppid] of parents) {
      if (ppid === parent) {
        result.push(pid);
        frontier.push(pid);
      }
    }
  }
  return result;
};

/** pid and parent pid of every process on the machine, from /proc (gone ones skipped). */
const readProc = (): { pid: number; ppid: number }[] =>
  readdirSync('/proc').flatMap((name) => {
    if (!/^\d+$/.test(name)) return [];
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // The command name is in parentheses and may itself contain spaces or parentheses.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return [{ pid: Number(name), ppid: Number(fields[1]) }];
    } catch {
      return [];
    }
  });
