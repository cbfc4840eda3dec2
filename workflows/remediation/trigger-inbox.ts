import { defineSignal, setHandler } from '@temporalio/workflow';
import { type RemediationReport, type RemediationRequest, type TriggerRecord } from '#core';

/** A later trigger for the same gateway (detector, sweep, lease expiry, operator), delivered to the open run. */
export const triggerSignal = defineSignal<[RemediationRequest]>('trigger');

/** Signal-with-start delivers the starting request as a signal too: the same request is one trigger. */
const sameRequest = (a: RemediationRequest, b: RemediationRequest): boolean =>
  a.trigger === b.trigger && a.requestedAt === b.requestedAt && a.reason === b.reason;

const recordOf = (request: RemediationRequest, at: number): TriggerRecord => {
  const requestedBy = (request as RemediationRequest & { requestedBy?: string }).requestedBy;
  return {
    at,
    trigger: request.trigger,
    reason: request.reason,
    requestedAt: request.requestedAt,
    ...(requestedBy ? { requestedBy } : {}),
    ...(request.findings ? { findings: request.findings } : {}),
  };
};

export interface TriggerInbox {
  /** Triggers received and not yet taken into a decision. */
  readonly pending: RemediationRequest[];
  take(): RemediationRequest[];
}

/** The report keeps the first trigger and the latest ones: a detector refreshes its findings every few seconds. */
const KEEP_TRIGGERS = 50;

/**
 * Every trigger lands in the report as it arrives (its findings count in the next decision);
 * one that says something new — another source, an operator, a fact not seen before in this
 * incident — also wakes the run at once. A detector's refresh of the same facts does not: it
 * only keeps them fresh. Installed first thing, so a trigger during the first steps is kept.
 */
export const installTriggerInbox = (report: RemediationReport, first: RemediationRequest, startedAt: number): TriggerInbox => {
  const triggers: TriggerRecord[] = [recordOf(first, startedAt)];
  report.triggers = triggers;
  const seen = new Set([`${first.trigger}`, ...(first.findings?.facts ?? []).map((f) => `fact:${f}`)]);
  const pending: RemediationRequest[] = [];
  setHandler(triggerSignal, (request) => {
    if (sameRequest(request, first)) return;
    triggers.push(recordOf(request, Date.now()));
    if (triggers.length > KEEP_TRIGGERS) triggers.splice(1, triggers.length - KEEP_TRIGGERS);
    const news = [`${request.trigger}`, ...(request.findings?.facts ?? []).map((f) => `fact:${f}`)].filter((k) => !seen.has(k));
    news.forEach((k) => seen.add(k));
    if (news.length > 0 || request.trigger === 'api') pending.push(request);
  });
  return { pending, take: () => pending.splice(0, pending.length) };
};
