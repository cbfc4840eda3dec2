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
