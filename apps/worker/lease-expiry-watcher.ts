import { type FleetRegistry } from '#etcd';
import { type RemediationClient } from '#temporal';
import { type Logger } from '#runtime';

/**
 * The backstop detector: a gateway whose lease ran out without saying goodbye
 * gets a remediation. Several workers may watch at once; the workflow id makes
 * their triggers join one run.
 */
export const watchLeaseExpiry = (registry: FleetRegistry, remediations: RemediationClient, log: Logger): Promise<() => Promise<void>> =>
  registry.watch(
    (event) => {
      if (event.kind !== 'vanished') return;
      const requestedAt = Date.now();
      remediations
        .start({ gatewayId: event.gatewayId, trigger: 'lease-expired', reason: 'registration lease expired', requestedAt })
        .then((run) => log.info({ event: 'remediation-started', ...run, gatewayId: event.gatewayId }, 'lease expired: remediation started'))
        .catch((err: unknown) => log.error({ err, gatewayId: event.gatewayId }, 'could not start remediation'));
    },
    (err) => log.warn({ err }, 'fleet watch error'),
  );
