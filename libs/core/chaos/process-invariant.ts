/** A process the chaos run started, and whether it should still be alive. */
export interface TrackedProcess {
  readonly name: string;
  readonly pid: number;
  readonly expectAlive: boolean;
}

/**
 * No orphan and no ghost: every process that should have died is gone (not left
 * running, reparented or forgotten), and every one that should run still does.
 */
export const processViolations = (tracked: readonly TrackedProcess[], alive: (pid: number) => boolean): string[] =>
  tracked.flatMap((p) => {
    const isAlive = alive(p.pid);
    if (p.expectAlive && !isAlive) return [`${p.name} (pid ${p.pid}) died`];
    if (!p.expectAlive && isAlive) return [`${p.name} (pid ${p.pid}) was stopped but is still running (orphan)`];
    return [];
  });
