import { type Etcd3 } from 'etcd3';
import { DETECTOR_SHADOW_FLAG, DEFAULT_POLICY, type Policy } from '#core';
import { type CurrentPolicy, FlagStore, type NamedFlag, PolicyStore } from '#etcd';
import { type Logger } from '#runtime';
import { CorruptRecordCounter } from './corrupt-records.js';

/**
 * The policy and degrade flags in force, followed live from etcd. A policy that no longer
 * parses is refused and the previous one stays: a bad write must not blind the detector.
 */
export class LivePolicy {
  private current: Policy = DEFAULT_POLICY;
  private flags: ReadonlyMap<string, NamedFlag> = new Map();
  private readonly listeners = new Set<(next: Policy, previous: Policy) => void>();
  private stops: (() => Promise<void>)[] = [];

  constructor(
    private readonly etcd: Etcd3,
    private readonly log: Logger,
    private readonly corrupt: CorruptRecordCounter = new CorruptRecordCounter(log),
  ) {}

  get policy(): Policy {
    return this.current;
  }

  /** The fleet-wide shadow switch: record, start nothing. */
  get shadowFlag(): boolean {
    return this.flags.get(DETECTOR_SHADOW_FLAG)?.enabled === true;
  }

  onChange(listener: (next: Policy, previous: Policy) => void): void {
    this.listeners.add(listener);
  }

  /** Resolves once the policy and flags in force now are loaded (an unusable stored policy leaves the default in force). */
  async start(): Promise<void> {
    const policyLoaded = new Promise<void>((resolve, reject) => {
      const policies = new PolicyStore(this.etcd);
      policies
        .watch(
          (next) => {
            this.apply(next);
            resolve();
          },
          (err) => {
            this.corrupt.report('policy', err);
            this.log.error({ event: 'policy-rejected', err }, 'stored policy is unusable; keeping the one in force');
            // At start the one in force is the built-in default: better than not watching at all.
            resolve();
          },
        )
        .then((stop) => this.stops.push(stop), reject);
    });
    const flagsLoaded = new Promise<void>((resolve, reject) => {
      new FlagStore(this.etcd)
        .watch(
          (flags) => {
            this.applyFlags(flags);
            resolve();
          },
          (err) => {
            this.corrupt.report('flag', err);
            this.log.error({ event: 'flag-rejected', err }, 'stored flag is unusable; keeping its last value');
          },
        )
        .then((stop) => this.stops.push(stop), reject);
    });
    await Promise.all([policyLoaded, flagsLoaded]);
  }

  async stop(): Promise<void> {
    await Promise.all(this.stops.map((stop) => stop()));
    this.stops = [];
  }

  private apply({ policy, source }: CurrentPolicy): void {
    const previous = this.current;
    this.current = policy;
    this.log.info(
      { event: 'policy-applied', version: policy.version, policyName: policy.name, mode: policy.mode, source, detector: policy.detector, appliedAt: Date.now() },
      `policy v${policy.version} (${policy.mode}) in force`,
    );
    for (const listener of this.listeners) listener(policy, previous);
  }

  private applyFlags(flags: ReadonlyMap<string, NamedFlag>): void {
    const before = this.flags;
    this.flags = flags;
    for (const name of new Set([...before.keys(), ...flags.keys()])) {
      const was = before.get(name)?.enabled === true;
      const is = flags.get(name)?.enabled === true;
      if (was !== is) this.log.info({ event: 'flag-changed', flag: name, enabled: is, reason: flags.get(name)?.reason }, `flag ${name} ${is ? 'on' : 'off'}`);
    }
  }
}
