interface Stoppable {
  stop(): Promise<void>;
  killNow(): void;
}

/**
 * Every process the dev stack starts, so that one Ctrl-C, an uncaught error or a
 * normal exit stops them all. The kernel's parent-death signal covers SIGKILL.
 */
class ProcessRegistry {
  private readonly live = new Set<Stoppable>();
  private hooked = false;

  track(process: Stoppable): void {
    this.live.add(process);
    this.hookExit();
  }

  forget(process: Stoppable): void {
    this.live.delete(process);
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.live].map((p) => p.stop()));
  }

  private hookExit(): void {
    if (this.hooked) return;
    this.hooked = true;
    process.once('exit', () => {
      for (const p of this.live) p.killNow();
    });
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      process.once(signal, () => {
        void this.stopAll().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
      });
    }
  }
}

export const processRegistry = new ProcessRegistry();
