import { ControlApiClient, ControlApiError } from '#agent';
import { type GatewayRegistration, type IncidentSettings, isOutOfRotation } from '#core';
import { LapsedLeases } from '#detector';
import { type FleetEvent, type FleetRegistry, type GatewayStateStore, type StormStore, type TimelineWriter } from '#etcd';
import { type Logger } from '#runtime';
import { AutomaticTrigger, type RemediationClient, type RemediationRun } from '#temporal';

/**
 * How a lease-expiry run names itself in its report: the last resort, acting whether or not any
 * detector's observers agreed on a removal (a partition between detectors and a gateway never
 * stops it; a gateway that still answers is left alone, below).
 */
const LEASE_BACKSTOP = 'lease backstop (last resort)';

/** An agent that takes longer than this to answer its status is not counted as alive. */
const AGENT_PROBE_TIMEOUT_MS = 1_000;

/** Any HTTP answer (even a refusal) means the agent's process is alive; only silence counts as gone. */
const agentAnswers = (gateway: GatewayRegistration, controlSecret: string): Promise<boolean> =>
  new ControlApiClient(gateway.controlUrl, controlSecret, AGENT_PROBE_TIMEOUT_MS).status().then(
    () => true,
    (error: unknown) => error instanceof ControlApiError,
  );

/**
 * The backstop detector and its counterpart: a gateway whose lease ran out without saying
 * goodbye, and whose agent no longer answers, gets a remediation (a lease that lapsed while the
 * agent answers is etcd's outage or a blip: the gateway registers again by itself); a gateway
 * out of rotation that registers again gets a restore (probation, then serving). Several
 * workers may watch at once; workflow ids make their triggers join one run. Each lease-expiry
 * trigger lands in the gateway's timeline (the policy lab), with the run it started or joined.
 */
export const watchFleet = async (
  registry: FleetRegistry,
  states: GatewayStateStore,
  runs: RemediationClient,
  log: Logger,
  controlSecret: string,
  incidentSettings: () => Promise<Pick<IncidentSettings, 'holdMs'>>,
  storms: Pick<StormStore, 'read'>,
  timeline?: TimelineWriter,
): Promise<() => Promise<void>> => {
  const lapsed = new LapsedLeases(log);
  const triggers = new AutomaticTrigger({
    runs,
    log,
    source: 'lease-watcher',
    startedEvent: 'remediation-started',
    gatewayState: (gatewayId) => states.get(gatewayId),
    incidentSettings,
    // Storm mode pauses the backstop too: in a zone outage every lease lapses a second after
    // the detectors saw the crashes.
    storm: async () => (await storms.read().catch(() => ({ storm: null }))).storm,
    timeline,
  });
  const report = (what: string, gatewayId: string, started: Promise<RemediationRun>): void => {
    started
      .then((run) => log.info({ event: `${what}-started`, ...run, gatewayId }, `${what} started`))
      .catch((err: unknown) => log.error({ err, gatewayId }, `could not start ${what}`));
  };
  const failed = (gatewayId: string) => (err: unknown) => log.error({ err, gatewayId }, 'could not start remediation');
  const remediate = (gatewayId: string): void => {
    const request = { gatewayId, trigger: 'lease-expired', reason: `${LEASE_BACKSTOP}: registration lease expired and the agent does not answer`, requestedAt: Date.now() } as const;
    triggers.start(request).catch(failed(gatewayId));
  };
  const onEvent = async (event: FleetEvent): Promise<void> => {
    if (event.kind === 'vanished') {
      // A detector usually got there first: its open run hears this too (one incident, one run);
      // a gateway already taken out for good, or held for a human, gets no second run.
      const request = { gatewayId: event.gatewayId, trigger: 'lease-expired', reason: `${LEASE_BACKSTOP}: registration lease expired`, requestedAt: Date.now() } as const;
      if (await triggers.absorbed(request)) return;
      const last = event.last;
      if (!last) return remediate(event.gatewayId); // nothing to ask: the run's evidence step finds out
      lapsed.lapsed(event.gatewayId, { answers: () => agentAnswers(last, controlSecret), onGone: () => remediate(event.gatewayId) });
    } else if (event.kind === 'registered') {
      lapsed.registered(event.gateway.id);
      const state = await states.get(event.gateway.id);
      if (state && isOutOfRotation(state.state)) {
        report('restore', event.gateway.id, runs.startRestore(event.gateway.id, `registered again while ${state.state}`));
      }
    } else {
      lapsed.forget(event.gatewayId);
    }
  };
  // One event at a time, in watch order: a lapse and the re-registration right behind it
  // (etcd replays both after an outage) must be seen in that order.
  let handled = Promise.resolve();
  const stop = await registry.watch(
    (event) => {
      handled = handled.then(() => onEvent(event)).catch((err: unknown) => log.error({ err }, 'fleet event not handled'));
    },
    (err) => log.warn({ err }, 'fleet watch error'),
  );
  // From here on a lapsed lease is seen: the moment a new leader's backstop is live.
  log.info({ event: 'lease-watch-started' }, 'watching gateway leases');
  return async () => {
    lapsed.stop();
    await stop();
  };
};
