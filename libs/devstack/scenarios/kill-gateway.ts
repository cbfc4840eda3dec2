import { type Client } from '@temporalio/client';
import { type PushClient } from '#client';
import { type RemediationReport, remediationWorkflowId } from '#core';
import { type Fleet } from '../fleet.js';
import { waitUntil } from '../wait-until.js';
import { runStartedSince } from './run-after.js';

export interface KillTimeline {
  readonly gatewayId: string;
  readonly workflowId: string;
  readonly runId: string;
  readonly clients: number;
  readonly killedAt: number;
  readonly remediationStartedAt: number;
  readonly remediationFinishedAt: number;
  /** When the last of the victim's clients was welcomed by another gateway. */
  readonly rehomedAt: number;
  readonly rehomedTo: Record<string, number>;
  readonly missedPerClient: readonly number[];
  readonly duplicates: number;
  readonly reorders: number;
  readonly report: RemediationReport;
}

/**
 * SIGKILLs a gateway and follows the healing: the lease runs out, the watcher
 * starts `remediateGateway`, clients land elsewhere and resume. Every time in
 * the timeline is measured, none is assumed.
 */
export const killGatewayAndWatchHealing = async (
  fleet: Fleet,
  temporal: Client,
  clients: readonly PushClient[],
  gatewayId: string,
): Promise<KillTimeline> => {
  const victims = clients.filter((c) => c.gatewayId === gatewayId);
  const receivedBefore = victims.map((c) => totalReceived(c));
  const workflowId = remediationWorkflowId(gatewayId);
  const killedAt = await fleet.killGateway(gatewayId);

  const run = await runStartedSince(temporal, workflowId, killedAt, `a remediation of ${gatewayId} started after the kill`);
  const thisRun = temporal.workflow.getHandle(workflowId, run.runId);
  const report = (await thisRun.result()) as RemediationReport;
  const closed = await thisRun.describe();

  await waitUntil(`${victims.length} clients re-homed and receiving`, async () =>
    victims.every((c, i) => c.connected && c.gatewayId !== gatewayId && totalReceived(c) > (receivedBefore[i] ?? 0)),
  );
  const rehomedTo: Record<string, number> = {};
  for (const c of victims) rehomedTo[c.gatewayId ?? '?'] = (rehomedTo[c.gatewayId ?? '?'] ?? 0) + 1;
  const ledgers = victims.flatMap((c) => [...c.ledgers.values()]);
  return {
    gatewayId,
    workflowId,
    runId: run.runId,
    clients: victims.length,
    killedAt,
    remediationStartedAt: run.startTime.getTime(),
    remediationFinishedAt: closed.closeTime?.getTime() ?? Number.NaN,
    rehomedAt: Math.max(...victims.map((c) => c.connectedAt ?? Number.NaN)),
    rehomedTo,
    missedPerClient: victims.map((c) => [...c.ledgers.values()].reduce((n, l) => n + l.lost, 0)),
    duplicates: ledgers.reduce((n, l) => n + l.duplicates, 0),
    reorders: ledgers.reduce((n, l) => n + l.reorders, 0),
    report,
  };
};

const totalReceived = (client: PushClient): number => [...client.ledgers.values()].reduce((n, l) => n + l.received, 0);
