import {
  type GatewayStateRecord,
  type IncidentSettings,
  type RecordedTrigger,
  type RemediationRequest,
  type StormState,
  admitTrigger,
  recordedTriggerOf,
  remediationWorkflowId,
  stormPauseReason,
} from '#core';
import { type Logger } from '#runtime';
import { type RemediationClient, type RemediationRun } from './remediation-client.js';

export interface AutomaticTriggerDeps {
  readonly runs: Pick<RemediationClient, 'start' | 'deliver'>;
  readonly log: Logger;
  /** Who triggers, as the gateway's timeline names it (`lease-watcher`, `k8s:<identity>`). */
  readonly source: string;
  /** What the log calls a run this source started (the tests and dashboards follow it). */
  readonly startedEvent: string;
  readonly gatewayState: (gatewayId: string) => Promise<GatewayStateRecord | undefined>;
  readonly incidentSettings: () => Promise<Pick<IncidentSettings, 'holdMs'>>;
  /** The storm on now, if any; an unreadable record must resolve to null (see {@link AutomaticTrigger.start}). */
  readonly storm: () => Promise<StormState | null>;
  readonly timeline?: { record(event: RecordedTrigger): Promise<void> };
}

/**
 * The way every automatic trigger that is not a detector (the lease backstop, the Kubernetes pod
 * controller) turns a finding into a run, so they cannot drift apart:
 * - a gateway a run already took out for good, or one held for a human, gets no second run; the
 *   open run (if any) still hears the finding ({@link absorbed});
 * - storm mode starts no removal ({@link start});
 * - every trigger lands in the gateway's timeline (the policy lab) with what became of it.
 */
export class AutomaticTrigger {
  constructor(private readonly deps: AutomaticTriggerDeps) {}

  /** Admits the trigger, then starts its run: {@link absorbed} and {@link start} in one go. */
  async fire(request: RemediationRequest, logged: Record<string, unknown> = {}): Promise<RemediationRun | undefined> {
    if (await this.absorbed(request, logged)) return undefined;
    return this.start(request, logged);
  }

  /** True when the gateway's state says no new run: the finding was delivered to the open run instead. */
  async absorbed(request: RemediationRequest, logged: Record<string, unknown> = {}): Promise<boolean> {
    const { gatewayId } = request;
    const state = await this.deps.gatewayState(gatewayId);
    const admission = admitTrigger(request.trigger, state, Date.now(), await this.deps.incidentSettings());
    if (admission.kind !== 'absorb') return false;
    const delivered = await this.deps.runs.deliver(request);
    this.record(request, { workflowId: remediationWorkflowId(gatewayId), runId: null, delivery: delivered ? 'delivered' : 'not-delivered' });
    this.deps.log.info({ event: 'remediation-skipped', gatewayId, why: admission.reason, deliveredToOpenRun: delivered, ...logged }, admission.reason);
    return true;
  }

  /**
   * Starts (or joins) the gateway's run, unless a storm is on. An unreadable storm record does
   * not stop the start: these triggers are the last resort, and the run's own guardrails hold.
   */
  async start(request: RemediationRequest, logged: Record<string, unknown> = {}): Promise<RemediationRun | undefined> {
    const { gatewayId } = request;
    const storm = await this.deps.storm();
    if (storm) {
      const why = stormPauseReason(storm);
      this.deps.log.warn({ event: 'remediation-skipped', gatewayId, why, storm: storm.scope, trigger: request.trigger, ...logged }, why);
      return undefined;
    }
    const run = await this.deps.runs.start(request);
    this.deps.log.info({ event: this.deps.startedEvent, ...run, gatewayId, ...logged }, `remediation started (${request.trigger})`);
    this.record(request, { workflowId: run.workflowId, runId: run.runId, delivery: run.joined ? 'joined' : 'started' });
    return run;
  }

  private record(request: RemediationRequest, run: Parameters<typeof recordedTriggerOf>[2]): void {
    this.deps.timeline
      ?.record(recordedTriggerOf(request, this.deps.source, run))
      .catch((err: unknown) => this.deps.log.warn({ err, gatewayId: request.gatewayId }, `${request.trigger} trigger not recorded in the timeline`));
  }
}
