import { ControlApiClient, ControlApiError } from '#agent';
import { type GatewayRegistration, type IncidentSettings, isOutOfRotation } from '#core';
import { LapsedLeases } from '#detector';
import { type FleetEvent, type FleetRegistry, type GatewayStateStore, type LeaseWatchCursor, type StormStore, type TimelineWriter } from '#etcd';
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
export interface FleetWatchDependencies {
  readonly registry: FleetRegistry;
  readonly states: GatewayStateStore;
  readonly runs: RemediationClient;
  readonly log: Logger;
  readonly controlSecret: string;
  readonly incidentSettings: () => Promise<Pick<IncidentSettings, 'holdMs'>>;
  readonly storms: Pick<StormStore, 'read'>;
  /** Where the last leader stopped reading, and where this one has got to. */
  readonly cursor: Pick<LeaseWatchCursor, 'startingPoint' | 'save'>;
  readonly timeline?: TimelineWriter;
}

/** How often the cursor is saved while events come: a handover replays at most this much twice. */
const CURSOR_SAVE_MS = 500;

export const watchFleet = async ({ registry, states, runs, log, controlSecret, incidentSettings, storms, cursor, timeline }: FleetWatchDependencies): Promise<() => Promise<void>> => {
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
  // Set once this worker is no longer the leader: from then on it starts nothing.
  let stopping = false;
  // Lapses being verified, with their event's revision: the cursor stays before the oldest, so a
  // lapse this leader was still verifying when it went is verified again by the next.
  const verifying = new Map<string, string>();
  const oldestUnsettled = (): string | undefined => {
    // Once stopping, the lapses dropped unsettled stay counted.
    const open = new Set(lapsed.following);
    if (!stopping) for (const gatewayId of verifying.keys()) if (!open.has(gatewayId)) verifying.delete(gatewayId);
    return [...verifying.values()].reduce<string | undefined>((oldest, r) => (oldest === undefined || BigInt(r) < BigInt(oldest) ? r : oldest), undefined);
  };
  const failed = (gatewayId: string) => (err: unknown) => log.error({ err, gatewayId }, 'could not start remediation');
  const remediate = (gatewayId: string): void => {
    if (stopping) return;
    const request = { gatewayId, trigger: 'lease-expired', reason: `${LEASE_BACKSTOP}: registration lease expired and the agent does not answer`, requestedAt: Date.now() } as const;
    triggers.start(request).catch(failed(gatewayId));
  };
  const onEvent = async (event: FleetEvent, revision: string): Promise<void> => {
    if (event.kind === 'vanished') {
      // A detector usually got there first: its open run hears this too (one incident, one run);
      // a gateway already taken out for good, or held for a human, gets no second run.
      const request = { gatewayId: event.gatewayId, trigger: 'lease-expired', reason: `${LEASE_BACKSTOP}: registration lease expired`, requestedAt: Date.now() } as const;
      if (await triggers.absorbed(request)) return;
      const last = event.last;
      if (!last) return remediate(event.gatewayId); // nothing to ask: the run's evidence step finds out
      verifying.set(event.gatewayId, revision);
      lapsed.lapsed(event.gatewayId, { answers: () => agentAnswers(last, controlSecret), onGone: () => remediate(event.gatewayId) });
    } else if (event.kind === 'registered') {
      lapsed.registered(event.gateway.id);
      const state = await states.get(event.gateway.id);
      if (state && isOutOfRotation(state.state) && !stopping) {
        report('restore', event.gateway.id, runs.startRestore(event.gateway.id, `registered again while ${state.state}`));
      }
    } else {
      lapsed.forget(event.gatewayId);
    }
  };
  // One event at a time, in watch order: a lapse and the re-registration right behind it
  // (etcd replays both after an outage) must be seen in that order.
  let handled = Promise.resolve();
  const start = await cursor.startingPoint((err) => log.warn({ err }, 'lease watch cursor unreadable: watching from now'));
  const progress = new CursorProgress(cursor, log, start, oldestUnsettled);
  const stop = await registry.watch(
    (event, revision) => {
      handled = handled
        .then(async () => {
          if (stopping) return; // no longer the leader: the next one reads this event (the cursor stays before it)
          await onEvent(event, revision);
          progress.handled(revision);
        })
        .catch((err: unknown) => log.error({ err }, 'fleet event not handled'));
    },
    (err) => log.warn({ err }, 'fleet watch error'),
    { after: start.after },
  );
  progress.start();
  // From here on a lapsed lease is seen (resumed: also those that lapsed while no leader watched):
  // the moment a new leader's backstop is live.
  log.info({ event: 'lease-watch-started', after: start.after, resumed: start.resumed }, 'watching gateway leases');
  // A leader that lost its lease stops acting at once: events still queued or arriving are left to
  // the next leader, and no lapse it was verifying starts a run afterwards (chaos etcd-paused-3s:
  // etcd paused past both the leader's and the gateways' leases, and the leader already gone
  // started runs for two gateways that had registered again meanwhile).
  return async () => {
    stopping = true;
    lapsed.stop();
    await stop();
    await handled;
    await progress.stop();
  };
};

/** Saves the revision of the last event settled, every `CURSOR_SAVE_MS` while it moves, and once more at the end. */
class CursorProgress {
  private latest: string;
  private saved: string | undefined;
  private timer: NodeJS.Timeout | undefined;

  /** A watch that starts now saves where it starts, so the next leader has a place to read on from. */
  constructor(
    private readonly cursor: Pick<LeaseWatchCursor, 'save'>,
    private readonly log: Logger,
    start: { readonly after: string; readonly resumed: boolean },
    /** The revision of the oldest event whose outcome is still open: the cursor stays just before it. */
    private readonly oldestUnsettled: () => string | undefined,
  ) {
    this.latest = start.after;
    if (start.resumed) this.saved = start.after;
  }

  handled(revision: string): void {
    this.latest = revision;
  }

  start(): void {
    void this.save();
    this.timer = setInterval(() => void this.save(), CURSOR_SAVE_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.save();
  }

  private async save(): Promise<void> {
    const unsettled = this.oldestUnsettled();
    const revision = unsettled === undefined ? this.latest : String(BigInt(unsettled) - 1n);
    if (revision === this.saved) return;
    try {
      await this.cursor.save(revision);
      this.saved = revision;
    } catch (err) {
      this.log.warn({ err }, 'lease watch cursor not saved; tried again shortly');
    }
  }
}
