import { Inject, Injectable } from '@nestjs/common';
import { RemediationClient, temporalUiRunLink } from '#temporal';
import { KnownGateways } from '../gateways/known-gateways.js';
import { API_SETTINGS, type ApiSettings } from '../settings.js';
import { type Action, type Identity } from '#core';
import { type ListRemediationsQuery, type RunsQuery, type StartRemediationBody } from './remediation-requests.js';

export interface Decision {
  readonly by: string;
  readonly comment?: string;
}

/** Starting and reading remediation runs, with a Temporal UI link on every run. */
@Injectable()
export class RemediationsService {
  constructor(
    private readonly remediations: RemediationClient,
    private readonly known: KnownGateways,
    @Inject(API_SETTINGS) private readonly settings: ApiSettings,
  ) {}

  async start({ gatewayId, reason, dryRun, actions }: StartRemediationBody, caller: Identity) {
    await this.known.assertKnown(gatewayId);
    const run = await this.remediations.start({
      gatewayId,
      reason,
      trigger: 'api',
      requestedBy: caller.name,
      requestedAt: Date.now(),
      dryRun,
      ...(actions ? { actions: actions as Action[] } : {}),
    });
    return { ...run, links: this.links(run.workflowId, run.runId) };
  }

  async list(query: ListRemediationsQuery) {
    const page = await this.remediations.list(query);
    return { ...page, runs: page.runs.map((run) => ({ ...run, links: this.links(run.workflowId, run.runId) })) };
  }

  /** `by` is the caller's identity name, never something a body said. */
  approve(workflowId: string, decision: Decision) {
    return this.remediations.approve(workflowId, decision);
  }

  reject(workflowId: string, decision: Decision) {
    return this.remediations.reject(workflowId, decision);
  }

  cancel(workflowId: string) {
    return this.remediations.cancel(workflowId);
  }

  async get(workflowId: string) {
    const run = await this.remediations.report(workflowId);
    return { workflowId, ...run, links: this.links(workflowId, run.runId) };
  }

  async runs(workflowId: string, page: RunsQuery) {
    const result = await this.remediations.runs(workflowId, page);
    return { workflowId, ...result, runs: result.runs.map((run) => ({ ...run, links: this.links(run.workflowId, run.runId) })) };
  }

  async run(workflowId: string, runId: string) {
    const run = await this.remediations.runReport(workflowId, runId);
    return { workflowId, ...run, links: this.links(workflowId, run.runId) };
  }

  private links(workflowId: string, runId: string) {
    return { temporalUi: temporalUiRunLink(this.settings.TEMPORAL_UI_URL, this.settings.TEMPORAL_NAMESPACE, workflowId, runId) };
  }
}
