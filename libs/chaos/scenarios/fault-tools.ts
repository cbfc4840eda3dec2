import { setTimeout as sleep } from 'node:timers/promises';
import { type RunRecord } from '#core';
import { type SupervisedProcess } from '#devstack';
import { type ChaosContext, type InjectedFault, type Scenario } from '../scenario.js';

/** Undoes a fault so the fleet can heal back (waits for a timed one to end by itself). */
export type Recovery = () => Promise<void>;

const nothingToUndo: Recovery = async () => undefined;

/** SIGSTOPs `process` for `ms`; resolves once it is thawed again (SIGCONT). */
export const freeze = async (process: SupervisedProcess, ms: number): Promise<void> => {
  process.signal('SIGSTOP');
  await sleep(ms);
  process.signal('SIGCONT');
};

/** SIGKILLs a process on purpose (the process book then expects it gone) and waits until it has exited. */
export const sigkill = async (context: ChaosContext, name: string, process: SupervisedProcess): Promise<void> => {
  context.processes.killed(name, process.pid);
  process.signal('SIGKILL');
  await process.exited;
};

/** A fault on one gateway, chosen by `context.victims`: `hit` injects it and returns what undoes it. */
export const onOneGateway =
  (hit: (context: ChaosContext, id: string) => Promise<Recovery | void>) =>
  async (context: ChaosContext): Promise<InjectedFault> => {
    const [id] = (await context.victims(1)) as [string];
    const at = Date.now();
    return { at, victims: [id], recover: (await hit(context, id)) ?? nothingToUndo };
  };

/** Runs that took a gateway out of rotation and say they healed it. */
const acting = (runs: readonly RunRecord[]): RunRecord[] =>
  runs.filter((r) => r.type === 'remediateGateway' && r.outcome === 'healed' && (r.actions ?? []).some((a) => a !== 'none' && a !== 'observe'));

/** Violations for every run that took a gateway out of rotation (for faults where no gateway is to blame). */
export const noRunActed = (runs: readonly RunRecord[]): string[] =>
  acting(runs).map((r) => `${r.workflowId} acted (${r.actions?.join('+')}) on a fleet whose gateways were healthy`);

/**
 * A fault in something every gateway depends on (etcd, the upstream), not in a gateway:
 * no gateway is at fault, so none may be taken out of rotation and no session must move.
 */
export const fleetWideFault = (
  meta: Pick<Scenario, 'name' | 'fault' | 'expected' | 'profiles' | 'requires'>,
  hit: (context: ChaosContext) => Promise<Recovery>,
): Scenario => ({
  ...meta,
  expectsRun: false,
  movesSessions: false,
  inject: async (context) => {
    const at = Date.now();
    return { at, victims: [], recover: await hit(context) };
  },
  check: noRunActed,
});
