import { z } from 'zod';
import { REMEDIATION_OUTCOMES, TRIGGER_KINDS } from '#core';

/** Every run the API names carries a link to it in the Temporal UI. */
export const RunLinks = z.object({ temporalUi: z.string().describe('The run in the Temporal UI') });

/** A run started (201) or an open one joined (200). */
export const RunStarted = z.object({
  workflowId: z.string(),
  runId: z.string(),
  joined: z.boolean().describe('True when a run with this workflow id was already open and this request joined it'),
  links: RunLinks,
});

/** One run as Temporal visibility lists it, with the search attributes the workflow keeps up to date. */
export const RunSummary = z.object({
  workflowId: z.string(),
  runId: z.string(),
  gatewayId: z.string().optional(),
  status: z.string().describe('Temporal execution status, e.g. RUNNING, COMPLETED, TERMINATED'),
  startTime: z.string(),
  closeTime: z.string().optional(),
  outcome: z.string().optional(),
  action: z.string().optional(),
  trigger: z.string().optional(),
  links: RunLinks,
});

export const RunPage = z.object({
  runs: z.array(RunSummary),
  nextPageToken: z.string().optional().describe('Pass as `pageToken` for the next page; absent on the last one'),
});

export const WorkflowRuns = RunPage.extend({ workflowId: z.string() });

/**
 * A run's own report. Its shape depends on the workflow (remediate:, restore:, rebalance:,
 * sweep: ids), and newer workflow versions add fields, so only the remediation report's
 * known fields are described, none required, and others may appear.
 */
const RunReportBody = z
  .looseObject({
    gatewayId: z.string(),
    trigger: z.enum(TRIGGER_KINDS),
    requestedBy: z.string().describe('The authenticated caller who asked for the run; absent for automatic triggers'),
    reason: z.string(),
    requestedAt: z.number(),
    startedAt: z.number(),
    dryRun: z.boolean(),
    policyVersion: z.number(),
    policyMode: z.string(),
    findings: z.looseObject({}),
    evidence: z.array(z.looseObject({})),
    decision: z.looseObject({}),
    guardrails: z.array(z.looseObject({ name: z.string(), at: z.number(), allowed: z.boolean(), detail: z.string() })),
    migration: z.looseObject({}),
    steps: z.array(z.looseObject({ name: z.string(), startedAt: z.number(), status: z.string() })),
    outcome: z.string().describe(`A remediation's: ${REMEDIATION_OUTCOMES.join(', ')}; a restore's or a rebalance's are their own (e.g. restored, already-balanced)`),
    outcomeReason: z.string(),
    finishedAt: z.number(),
  })
  .partial();

export const RunReport = z.object({
  workflowId: z.string(),
  runId: z.string(),
  status: z.string(),
  startTime: z.string(),
  closeTime: z.string().optional(),
  report: RunReportBody.optional().describe('Absent when no worker answered the report query in time (see reportUnavailable)'),
  reportSource: z.enum(['result', 'query', 'none']).describe('The run result (closed run), the report query (a worker answered), or nowhere'),
  reportUnavailable: z.string().optional(),
  links: RunLinks,
});

export const DecisionAccepted = z.object({ workflowId: z.string(), signal: z.enum(['approve', 'reject']) });

export const CancelRequested = z.object({ workflowId: z.string(), cancelRequested: z.literal(true) });
