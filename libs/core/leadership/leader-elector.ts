/** A duty that runs while its replica leads; the function it returns stops it. */
export type Duty = () => Promise<() => Promise<void>>;

/**
 * One replica at a time runs the singleton duties (fleet watcher, K8s controllers).
 * `campaign` keeps trying to lead, starts the duty on winning and stops it on losing;
 * the function it resolves with resigns (and stops the duty if it runs).
 */
export interface LeaderElector {
  campaign(duty: Duty): Promise<() => Promise<void>>;
}

/** Embedded single-replica mode: always the leader. */
export class SoleLeader implements LeaderElector {
  async campaign(duty: Duty): Promise<() => Promise<void>> {
    return duty();
  }
}

/**
 * The singleton duty while this replica leads: started on winning, stopped exactly once on
 * stepping down (the step-down is reported first, so the log says why the duty stopped).
 */
export class LeaderDuty {
  private stopDuty: (() => Promise<void>) | undefined;

  constructor(private readonly onStepDown: (why: string) => void) {}

  get running(): boolean {
    return this.stopDuty !== undefined;
  }

  async start(duty: Duty): Promise<void> {
    this.stopDuty = await duty();
  }

  async stepDown(why: string): Promise<void> {
    const stop = this.stopDuty;
    if (!stop) return;
    this.stopDuty = undefined;
    this.onStepDown(why);
    await stop();
  }
}
