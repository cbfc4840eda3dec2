import { type Client } from '@temporalio/client';
import { type RunRecord } from '#core';
import { type Fleet } from '#devstack';
import { type PolicyStore } from '#etcd';
import { type ChaosLoad } from './load/chaos-load.js';
import { type ProcessBook } from './observe/process-book.js';

export type ProfileName = 'ci' | 'full';

/** What a scenario may use: the fleet under load, Temporal, the seeded randomness and the process book. */
export interface ChaosContext {
  readonly fleet: Fleet;
  readonly temporal: Client;
  readonly load: ChaosLoad;
  readonly random: () => number;
  readonly processes: ProcessBook;
  /** The policy in force (a scenario that changes it puts the chaos policy back). */
  readonly policies: PolicyStore;
  /**
   * `count` distinct gateways to hit, among those holding at least a quarter of their fair
   * share of the sessions (a fault on an empty gateway proves nothing); least recently hit
   * first, ties broken by the seed.
   */
  victims(count: number): Promise<string[]>;
  log(line: string): void;
}

/** A fault as injected: when, which gateways it hit, and how to undo it so the fleet can heal back. */
export interface InjectedFault {
  readonly at: number;
  readonly victims: readonly string[];
  /** Restart, thaw or clear what the fault broke (waits for a timed fault to end by itself). */
  recover(): Promise<void>;
  /** What the injection itself found wrong once the scenario is over (a fault that did not take effect proves nothing). */
  problems?(): string[];
}

export interface Scenario {
  readonly name: string;
  /** The fault in a few words (the scorecard's column). */
  readonly fault: string;
  /** What Homeostat is expected to do (docs/chaos.md). */
  readonly expected: string;
  readonly profiles: readonly ProfileName[];
  /** A remediation of a victim must start (its start gives the time to detect). */
  readonly expectsRun: boolean;
  /** Every session of the victims must end up on another gateway before recovery. */
  readonly movesSessions: boolean;
  /** Embedded services the scenario must be able to stop (skipped against an existing Temporal or etcd). */
  readonly requires?: readonly ('temporal' | 'etcd')[];
  inject(context: ChaosContext): Promise<InjectedFault>;
  /** Scenario-specific expectations over the runs it caused; each returned line is a broken one. */
  check?(runs: readonly RunRecord[], fault: InjectedFault): string[];
}
