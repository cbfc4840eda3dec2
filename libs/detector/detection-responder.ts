import {
  type DetectionEvidence,
  type GatewayDecision,
  type GatewaySnapshot,
  type ObserverAgreement as AgreementRecord,
  type Policy,
  type QuorumAssessment,
  REMOVAL_CLASSIFICATIONS,
  admitTrigger,
  buildDetectionEvidence,
  faultOnsetMs,
  formatDetectionReason,
  stormPauseReason,
} from '#core';
import { type DetectionStore, type FleetRegistry, type GatewayStateStore } from '#etcd';
import { type DetectorMetrics, type Logger } from '#runtime';
import { type RemediationClient, type RemediationRun } from '#temporal';
import { type ObserverAgreement } from './observer-agreement.js';
import { type StormWatch } from './storm-watch.js';

export interface ResponderDependencies {
  readonly detectorId: string;
  readonly policy: () => Policy;
  /** Only starting runs is needed; tests of the detector pass a recorder here. */
  readonly remediations: Pick<RemediationClient, 'start' | 'deliver'>;
  readonly registry: FleetRegistry;
  readonly states: GatewayStateStore;
  readonly detections: DetectionStore;
  readonly log: Logger;
  readonly clock: () => number;
  /** Detection latency and health scores; absent in tests that do not look at them. */
  readonly metrics?: Pick<DetectorMetrics, 'finding' | 'score' | 'partitionSuspected' | 'quorumChecked'>;
  /**
   * The gateway's other observers, asked before a crash or hang verdict starts (or escalates)
   * a removal; absent (one detector alone, a test rig): every verdict stands alone.
   */
  readonly agreement?: ObserverAgreement;
  /** Storm mode: every run this detector would start is admitted here first; absent, none pauses. */
  readonly storm?: Pick<StormWatch, 'admit' | 'clear' | 'storm'>;
}

/** A remediation this detector started (or joined) for a gateway, until the gateway is fine again. */
interface Incident {
  readonly sinceMs: number;
  /** When its evidence was last delivered to the run, and every fact delivered so far. */
  sentAtMs: number;
  readonly facts: Set<string>;
  /** Started on a suspected partition (onPartition `degrade`): every delivery says so until the observers agree. */
  partitionSuspected: boolean;
  /** Not started because this storm (its start) was on: tried again once it is over. */
  pausedByStorm?: number;
}

/** A crash or hang verdict waiting for its observers' quorum. */
interface Gate {
  /** When the verdict began (wall clock, as the observers' views are). */
  readonly sinceMs: number;
  checking: boolean;
  nextCheckAtMs: number;
  /** The suspected partition last recorded, so it is recorded once, not every check. */
  recorded?: string;
}

/** A verdict without its quorum is put to the observers again this often (one etcd read each time). */
const RECHECK_MS = 250;

/**
 * While a gateway stays sick, its evidence is delivered to the open run again this often, so
 * the run's view of it stays fresh (findings lapse in the run after the policy's findingsFreshMs).
 */
const REFRESH_EVERY_MS = 2_000;

/** How evidence goes to the run: a new incident, new facts in an open one (may escalate), or the same facts again. */
type Delivery = 'start' | 'escalate' | 'refresh';

/** After a failed start (Temporal unreachable), the next decision may try again this much later. */
const RETRY_START_AFTER_MS = 1_000;

/**
 * Turns decisions into effects, once per incident: `remediate` starts `remediateGateway`
 * (duplicates from other detectors join the open run by workflow id), `shadow` and `observe`
 * are recorded in the log and in etcd. Decisions arrive every tick, so everything here is
 * edge-triggered: a gateway that stays sick is not remediated or recorded again and again.
 */
export class DetectionResponder {
  private readonly incidents = new Map<string, Incident>();
  /** Per gateway, what was last recorded without acting (`observe`/`shadow`), so it is written once. */
  private readonly recorded = new Map<string, string>();
  /** Crash and hang verdicts waiting for (or refused) their observers' quorum. */
  private readonly gates = new Map<string, Gate>();

  constructor(private readonly deps: ResponderDependencies) {}

  respond(gatewayId: string, snapshot: GatewaySnapshot, decision: GatewayDecision): void {
    this.deps.metrics?.score(gatewayId, snapshot.health.health?.score);
    switch (decision.response) {
      case 'none':
        return this.settle(gatewayId);
      case 'observe':
      case 'shadow':
        return this.recordOnce(gatewayId, snapshot, decision);
      case 'remediate':
        return this.remediateOnce(gatewayId, snapshot, decision);
    }
  }

  /** A new incarnation of the gateway (registered again) starts with a clean slate. */
  forget(gatewayId: string): void {
    this.deps.metrics?.score(gatewayId, undefined);
    this.gates.delete(gatewayId);
    this.incidents.delete(gatewayId);
    this.recorded.delete(gatewayId);
    this.deps.storm?.clear(gatewayId);
  }

  private settle(gatewayId: string): void {
    this.recorded.delete(gatewayId);
    this.gates.delete(gatewayId);
    this.deps.storm?.clear(gatewayId);
    const incident = this.incidents.get(gatewayId);
    const cooldownMs = this.deps.policy().guardrails.rateLimit.perGatewayCooldownMs;
    if (incident && this.deps.clock() - incident.sinceMs >= cooldownMs) this.incidents.delete(gatewayId);
  }

  private evidence(gatewayId: string, snapshot: GatewaySnapshot, decision: GatewayDecision): DetectionEvidence {
    return buildDetectionEvidence({ detectorId: this.deps.detectorId, gatewayId }, snapshot, decision, this.deps.policy());
  }

  private recordOnce(gatewayId: string, snapshot: GatewaySnapshot, decision: GatewayDecision): void {
    const evidence = this.evidence(gatewayId, snapshot, decision);
    const key = `${evidence.response}:${evidence.classification}:${evidence.verdict.rule}`;
    if (this.recorded.get(gatewayId) === key) return;
    this.recorded.set(gatewayId, key);
    const message = evidence.response === 'shadow' ? 'shadow mode: would have started a remediation' : 'observing';
    this.deps.log.info({ event: 'detection', gatewayId, evidence, reason: formatDetectionReason(evidence) }, message);
    this.store(evidence, null);
  }

  /**
   * Once per incident a run is started (or joined); after that the incident's evidence goes to
   * that run: at once when it holds a fact not delivered yet (the run may escalate), and every
   * REFRESH_EVERY_MS while the gateway stays sick, so the run does not take silence for recovery.
   * A crash or hang verdict that would start or escalate a removal is first put to the
   * gateway's other observers ({@link askObservers}).
   */
  private remediateOnce(gatewayId: string, snapshot: GatewaySnapshot, decision: GatewayDecision): void {
    const now = this.deps.clock();
    const evidence = this.evidence(gatewayId, snapshot, decision);
    const incident = this.incidents.get(gatewayId);
    const delivery = this.deliveryFor(incident, evidence, now);
    if (delivery === undefined) return;
    if (this.needsAgreement(evidence) && (delivery !== 'refresh' || incident?.partitionSuspected)) return this.askObservers(gatewayId, snapshot, evidence, delivery);
    this.commit(gatewayId, snapshot, evidence, delivery, undefined);
  }

  private deliveryFor(incident: Incident | undefined, evidence: DetectionEvidence, now: number): Delivery | undefined {
    if (!incident) return 'start';
    if (incident.pausedByStorm !== undefined) {
      if (this.deps.storm?.storm?.sinceMs === incident.pausedByStorm) return undefined;
      delete incident.pausedByStorm; // the storm is over: start now (once; a new storm pauses it again)
      return 'start';
    }
    const grown = evidence.facts.some((f) => !incident.facts.has(f));
    if (!grown && now - incident.sentAtMs < REFRESH_EVERY_MS) return undefined;
    return grown ? 'escalate' : 'refresh';
  }

  /** The lease backstop (`lease-expired`) needs no quorum: it is the last resort when observers do not agree. */
  private needsAgreement(evidence: DetectionEvidence): boolean {
    return this.deps.agreement !== undefined && evidence.tier !== 'lease-expired' && REMOVAL_CLASSIFICATIONS.has(evidence.classification);
  }

  private commit(gatewayId: string, snapshot: GatewaySnapshot, evidence: DetectionEvidence, delivery: Delivery, agreement: AgreementRecord | undefined): void {
    const now = this.deps.clock();
    const partitionSuspected = agreement?.verdict === 'partition-suspected';
    const incident = this.incidents.get(gatewayId);
    if (incident) {
      incident.sentAtMs = now;
      incident.partitionSuspected = partitionSuspected;
      evidence.facts.forEach((f) => incident.facts.add(f));
    } else {
      this.incidents.set(gatewayId, { sinceMs: now, sentAtMs: now, facts: new Set(evidence.facts), partitionSuspected });
      const onset = faultOnsetMs(snapshot);
      this.deps.metrics?.finding({ tier: evidence.tier, classification: evidence.classification, latencyMs: onset === undefined ? undefined : snapshot.atMs - onset });
      this.deps.log.info({ event: 'detection', gatewayId, evidence, agreement }, `${evidence.classification}: starting remediation${partitionSuspected ? ' (partition suspected: degrade at most)' : ''}`);
    }
    this.deliver(evidence, delivery, agreement, snapshot.vitals?.connections).catch((err: unknown) => {
      this.deps.log.error({ event: 'remediation-failed', gatewayId, err }, 'could not start remediation; will retry');
      if (delivery === 'start') setTimeout(() => this.incidents.delete(gatewayId), RETRY_START_AFTER_MS).unref();
    });
  }

  /**
   * Agreement before removal: the other live observers' views decide whether this verdict may
   * act. Agreed: it acts as it would alone. Another observer still sees the gateway answering:
   * a `partition-suspected` finding (logged, counted, recorded once) and no removal; with the
   * policy's `onPartition: degrade` a run that may only degrade. Not yet heard from the others:
   * asked again shortly (each decision tick offers the verdict again).
   */
  private askObservers(gatewayId: string, snapshot: GatewaySnapshot, evidence: DetectionEvidence, delivery: Delivery): void {
    const agreement = this.deps.agreement as ObserverAgreement;
    const now = Date.now();
    let gate = this.gates.get(gatewayId);
    if (!gate) this.gates.set(gatewayId, (gate = { sinceMs: now, checking: false, nextCheckAtMs: 0 }));
    if (gate.checking || now < gate.nextCheckAtMs) return;
    gate.checking = true;
    const asked = gate;
    agreement
      .assess(gatewayId, asked.sinceMs)
      .then((assessment) => {
        asked.checking = false;
        asked.nextCheckAtMs = Date.now() + RECHECK_MS;
        this.deps.metrics?.quorumChecked(assessment.verdict);
        // Settled or forgotten meanwhile (recovered, a new process): the answer is about the past.
        if (this.gates.get(gatewayId) !== asked) return;
        if (assessment.verdict === 'waiting') return;
        if (assessment.verdict === 'agreed') {
          this.gates.delete(gatewayId);
          // A run started on a suspected partition hears that the observers now agree.
          const lifted = this.incidents.get(gatewayId)?.partitionSuspected === true;
          return this.commit(gatewayId, snapshot, evidence, lifted ? 'escalate' : delivery, recordOf(assessment));
        }
        this.suspectPartition(gatewayId, snapshot, evidence, delivery, asked, assessment);
      })
      .catch((err: unknown) => {
        asked.checking = false;
        asked.nextCheckAtMs = Date.now() + RETRY_START_AFTER_MS;
        this.deps.log.warn({ event: 'observer-quorum-failed', gatewayId, err }, 'could not ask the other observers; will retry');
      });
  }

  private suspectPartition(gatewayId: string, snapshot: GatewaySnapshot, evidence: DetectionEvidence, delivery: Delivery, gate: Gate, assessment: QuorumAssessment): void {
    const response = this.deps.policy().detector.agreement.onPartition;
    const record = { ...recordOf(assessment), response };
    const key = `${evidence.classification}:${response}:${assessment.dissenting.join(',')}`;
    if (gate.recorded !== key) {
      gate.recorded = key;
      this.deps.metrics?.partitionSuspected(evidence.classification, response);
      this.deps.log.warn(
        { event: 'partition-suspected', gatewayId, tier: evidence.tier, classification: evidence.classification, agreement: record, evidence },
        `${evidence.classification} not agreed by the other observers: ${assessment.reason}; ${response === 'observe' ? 'observing, no removal' : 'degrade at most, no removal'}`,
      );
      if (response === 'observe') this.store(evidence, null, record);
    }
    if (response === 'degrade') this.commit(gatewayId, snapshot, evidence, delivery, record);
  }

  private async deliver(evidence: DetectionEvidence, delivery: Delivery, agreement: AgreementRecord | undefined, sessions: number | undefined): Promise<void> {
    const { gatewayId } = evidence;
    const suspected = agreement?.verdict === 'partition-suspected';
    const request = {
      gatewayId,
      trigger: 'detector',
      reason: suspected ? `partition suspected (${agreement.reason}): degrade at most; ${formatDetectionReason(evidence)}` : formatDetectionReason(evidence),
      requestedAt: Date.now(),
      // The run re-samples the gateway itself and merges these: what only the fast path could see.
      findings: {
        detectorId: evidence.detectorId,
        facts: evidence.facts,
        tier: evidence.tier,
        classification: evidence.classification,
        ...(sessions === undefined ? {} : { sessions }),
        ...(suspected ? { partitionSuspected: true } : {}),
      },
    } as const;
    const skip = await this.reasonToSkip(evidence);
    if (skip || delivery === 'refresh') {
      // Handled already, or nothing new: the open run (if any) still hears it; nothing new starts.
      const delivered = await this.deps.remediations.deliver(request);
      if (skip && delivery !== 'refresh') {
        this.deps.log.info({ event: 'remediation-skipped', gatewayId, why: skip, classification: evidence.classification, deliveredToOpenRun: delivered }, skip);
        this.store(evidence, null, agreement);
      }
      return;
    }
    if (delivery === 'start' && this.pausedByStorm(evidence, agreement)) return;
    const run = await this.deps.remediations.start(request);
    const event = delivery === 'start' ? 'remediation-started' : 'remediation-evidence';
    this.deps.log.info(
      { event, gatewayId, ...run, tier: evidence.tier, classification: evidence.classification, facts: evidence.facts },
      delivery === 'escalate' ? 'new evidence delivered to the run' : run.joined ? 'joined the open remediation run' : 'remediation started',
    );
    this.store(evidence, run, agreement);
  }

  /**
   * Storm mode: a run about to start is admitted first (which makes the gateway a suspect). While
   * a storm is on it starts nothing; that is logged and recorded once per storm, and the incident
   * waits for the storm to end before it tries again.
   */
  private pausedByStorm(evidence: DetectionEvidence, agreement: AgreementRecord | undefined): boolean {
    const { gatewayId } = evidence;
    const admission = this.deps.storm?.admit(gatewayId);
    const incident = this.incidents.get(gatewayId);
    if (!admission?.paused) {
      if (incident) delete incident.pausedByStorm;
      return false;
    }
    const { storm } = admission;
    if (incident?.pausedByStorm === storm.sinceMs) return true;
    if (incident) incident.pausedByStorm = storm.sinceMs;
    const why = stormPauseReason(storm);
    this.deps.log.warn({ event: 'remediation-skipped', gatewayId, why, storm: storm.scope, classification: evidence.classification }, why);
    this.store(evidence, null, agreement);
    return true;
  }

  /**
   * A closed channel from a gateway that deregistered is a goodbye, not a crash; and a gateway
   * another run already took out for good, or one held for a human, needs no second run
   * (workflow-id dedupe only covers runs that are still open, and a fast run may already be over).
   */
  private async reasonToSkip(evidence: DetectionEvidence): Promise<string | undefined> {
    const { gatewayId } = evidence;
    const [registration, state] = await Promise.all([this.deps.registry.get(gatewayId), this.deps.states.get(gatewayId)]);
    if (evidence.tier !== 'lease-expired') {
      if (!registration) return 'gateway is no longer registered (it left, or its lease expired and the backstop handles it)';
      if (registration.leaving) return 'gateway is deregistering: a graceful shutdown is not a failure';
    }
    const admission = admitTrigger('detector', state, Date.now(), this.deps.policy().incident);
    return admission.kind === 'absorb' ? admission.reason : undefined;
  }

  private store(evidence: DetectionEvidence, run: RemediationRun | null, agreement?: AgreementRecord): void {
    this.deps.detections
      .record({ evidence, run, ...(agreement ? { agreement } : {}) })
      .catch((err: unknown) => this.deps.log.warn({ err, gatewayId: evidence.gatewayId }, 'could not record the detection in etcd'));
  }
}

const recordOf = (a: QuorumAssessment): AgreementRecord => ({
  verdict: a.verdict === 'agreed' ? 'agreed' : 'partition-suspected',
  required: a.required,
  agreeing: [...a.agreeing],
  dissenting: [...a.dissenting],
  silent: [...a.silent],
  reason: a.reason,
});
