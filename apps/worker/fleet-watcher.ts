import { isIsolated, isOutOfRotation } from '#core';
import { type FleetEvent, type FleetRegistry, type GatewayStateStore } from '#etcd';
import { type Logger } from '#runtime';
import { type RemediationClient, type RemediationRun } from '#temporal';

/**
 * The backstop detector and its counterpart: a gateway whose lease ran out
 * without saying goodbye gets a remediation; a remediated gateway that
 * registers again gets a restore (probation, then serving). Several workers may
 * watch at once; workflow ids make their triggers join one run.
 */
export const watchFleet = (registry: FleetRegistry, states: GatewayStateStore, runs: RemediationClient, log: Logger): Promise<() => Promise<void>> => {
  const report = (what: string, gatewayId: string, started: Promise<RemediationRun>): void => {
    started
      .then((run) => log.info({ event: `${what}-started`, ...run, gatewayId }, `${what} started`))
      .catch((err: unknown) => log.error({ err, gatewayId }, `could not start ${what}`));
  };
  const onEvent = async (event: FleetEvent): Promise<void> => {
    if (event.kind === 'vanished') {
      // A detector usually got there first; a gateway already out of rotation needs no second run.
      const state = await states.get(event.gatewayId);
      if (isIsolated(state?.state)) return;
      const request = { gatewayId: event.gatewayId, trigger: 'lease-expired', reason: 'registration lease expired', requestedAt: Date.now() } as const;
      report('remediation', event.gatewayId, runs.start(request));
    } else if (event.kind === 'registered') {
      const state = await states.get(event.gateway.id);
      if (state && isOutOfRotation(state.state)) {
        report('restore', event.gateway.id, runs.startRestore(event.gateway.id, `registered again while ${state.state}`));
      }
    }
  };
  return registry.watch(
    (event) => void onEvent(event).catch((err: unknown) => log.error({ err }, 'fleet event not handled')),
    (err) => log.warn({ err }, 'fleet watch error'),
  );
};
