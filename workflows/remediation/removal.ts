import { executeChild, workflowInfo } from '@temporalio/workflow';
import { type IncidentDecision, type Policy, type RemediationReport, type VerificationPromise } from '#core';
import { migrateSessions } from '../migrate-sessions.js';
import { act } from './activities.js';
import { step } from './run-report.js';
import { by, clientsSentence, lastKnownClients, verify } from './verification.js';

/** What the removal found about the source, which decides what verification checks and what the run says. */
type SourceCondition = 'cooperating' | 'dead' | 'wedged';

/**
 * Dead: nothing answers at its address. Wedged: something holds the port but does not answer
 * (hung), or its agent answers but the gateway neither answers pings nor drains its sockets,
 * so it cannot deliver redirects either. Otherwise it can hand its sessions over.
 */
const conditionOf = (report: RemediationReport, decision: IncidentDecision): SourceCondition => {
  const last = report.evidence.at(-1);
  if (last?.reachable) return decision.facts.heartbeatLost && decision.facts.writeBlocked ? 'wedged' : 'cooperating';
  return last?.agentError === 'timeout' ? 'wedged' : 'dead';
};

/**
 * Takes the gateway out for good and empties it, then verifies and says what happened in
 * words an operator reads the right way. A cooperating source hands its sessions over (the
 * `migrateSessions` child); a dead one has none to hand over (its clients reconnect on their
 * own); a wedged one cannot send redirects, so it is fenced (and terminated where a supervisor
 * exists) and its clients, which notice the silent server themselves, are counted elsewhere.
 */
export const removeAndVerify = async (report: RemediationReport, decision: IncidentDecision, policy: Policy): Promise<string> => {
  const expected = lastKnownClients(report.evidence, report.triggers);
  let condition = conditionOf(report, decision);
  if (condition === 'cooperating' && decision.actions.some((a) => a === 'migrate' || a === 'drain')) {
    report.migration = await step(report, 'migrate-sessions', () =>
      executeChild(migrateSessions, { workflowId: `migrate:${report.gatewayId}:${workflowInfo().runId}`, args: [{ gatewayId: report.gatewayId, settings: policy.migration }] }),
    );
    // It stopped answering halfway: whatever is left on it must leave another way.
    if (report.migration.sourceUnreachable) condition = 'wedged';
  } else if (condition !== 'cooperating') {
    const note = 'the source is gone: its clients reconnect to serving gateways on their own and resume from their last sequence';
    report.migration = await step(report, 'migrate-sessions', async () => ({ sessions: expected ?? 0, moved: 0, remaining: 0, targets: [], note }));
  }
  if (condition === 'wedged') await fence(report);
  const promise: VerificationPromise = condition === 'cooperating' ? 'emptied' : 'gone';
  // The source's own count at the end of its migration: observed, and still true after it exits.
  const sourceReportedEmpty = condition === 'cooperating' && report.migration?.remaining === 0 && report.migration.sourceUnreachable !== true && report.migration.batches !== undefined;
  await verify({ report, policy, promise, expectedClients: expected, sourceReportedEmpty });
  return summary(report, decision, condition);
};

const fence = async (report: RemediationReport): Promise<void> => {
  const input = { gatewayId: report.gatewayId, by: by(), reason: 'wedged: it holds its connections but answers nothing, so it cannot hand them over' };
  await step(report, 'fence', () => act.fenceGateway(input));
  await step(report, 'terminate', () => act.terminateGateway(input));
};

const summary = (report: RemediationReport, decision: IncidentDecision, condition: SourceCondition): string => {
  const id = report.gatewayId;
  const actions = decision.actions.join('+');
  if (condition === 'dead') {
    return `${id} is gone (its process does not answer${decision.facts.vanished ? ', nothing listens at its address or its lease expired' : ''}): taken out of rotation by ${actions}; ${clientsSentence(report)}`;
  }
  if (condition === 'wedged') {
    const terminated = report.steps.find((s) => s.name === 'terminate')?.detail as { terminated?: boolean } | undefined;
    return `${id} was wedged (it held its connections but answered nothing): fenced${terminated?.terminated ? ' and terminated by its supervisor' : ''}; ${clientsSentence(report)}`;
  }
  const m = report.migration;
  const moved = m ? `; ${m.moved} sessions moved${m.targets.length > 0 ? ` to ${m.targets.join(', ')}` : ''}` : '';
  // Verified empty, yet not all by hand-over: say so rather than let "moved" read as all of them.
  const leftOver = m && m.remaining > 0 ? `; ${m.remaining} were still on it when the migration stopped and left without a redirect (they reconnect and resume on their own)` : '';
  return `${actions} done and verified: ${id} is out of rotation with no session left on it${moved}${leftOver}`;
};

