import { type StormLift, type StormState } from '../guardrails/storm.js';

/** Run milestones that become `events.k8s.io/v1` Events on a gateway's pod: a remediation's, and a storm's on each suspect. */
export const MILESTONES = {
  started: { reason: 'RemediationStarted', type: 'Normal', action: 'Remediate' },
  outOfRotation: { reason: 'TakenOutOfRotation', type: 'Warning', action: 'SetRotation' },
  sessionsMigrated: { reason: 'SessionsMigrated', type: 'Normal', action: 'Migrate' },
  backInRotation: { reason: 'ReturnedToRotation', type: 'Normal', action: 'SetRotation' },
  healed: { reason: 'Healed', type: 'Normal', action: 'Verify' },
  compensated: { reason: 'Compensated', type: 'Warning', action: 'Compensate' },
  needsHuman: { reason: 'NeedsHuman', type: 'Warning', action: 'Escalate' },
  stormBegan: { reason: 'StormBegan', type: 'Warning', action: 'PauseRemovals' },
  stormLifted: { reason: 'StormLifted', type: 'Normal', action: 'ResumeRemovals' },
} as const;

export type Milestone = keyof typeof MILESTONES;

/** A storm's run has the storm's id for workflow id (`storm:<since>`): its Events are once per storm, whichever run writes them. */
const ONCE_PER_WORKFLOW: ReadonlySet<Milestone> = new Set(['stormBegan', 'stormLifted']);

/**
 * What a milestone Event's name is derived from: the run and the milestone, so an activity
 * Temporal retries writes the same Event again and gets 409, not a twin.
 */
export const milestoneEventKey = (milestone: Milestone, workflowId: string, runId: string): string =>
  ONCE_PER_WORKFLOW.has(milestone) ? `${workflowId}/${milestone}` : `${workflowId}/${runId}/${milestone}`;

/** events.k8s.io caps `note` at 1 kB; keep room for the link. */
const MAX_NOTE = 900;

/** The Event's note: what happened, then where to read the whole run. */
export const milestoneNote = (what: string, link: string): string => `${what.slice(0, MAX_NOTE - link.length - 8)} — run: ${link}`;

const stormName = (storm: StormState): string => `storm mode (${storm.scope}) since ${new Date(storm.sinceMs).toISOString()}`;

/**
 * StormBegan on a suspect's pod: why, that removals are paused and how it ends. The suspects'
 * names come last, so a long list is what the note's cap cuts, never the way out.
 */
export const stormBeganNote = (storm: StormState): string =>
  `${stormName(storm)}: ${storm.reason}. Automatic removals are paused while it lasts; this gateway is one of ${storm.suspects.length} suspects. ` +
  `It lifts by itself once no gateway turned suspect for the policy's quietMs; an admin who knows the cause is gone lifts it with POST /v1/storm/lift {"reason": "…"}. ` +
  `Suspects: ${storm.suspects.join(', ')}`;

/** StormLifted: who lifted it and why (null: the storm record is gone without a lift recorded). */
export const stormLiftedNote = (storm: StormState, lift: StormLift | null): string => {
  const how = !lift ? 'is over (no lift recorded)' : lift.by === 'quiet' ? `lifted by itself (quiet) at ${new Date(lift.atMs).toISOString()}: ${lift.reason}` : `lifted by ${lift.by} at ${new Date(lift.atMs).toISOString()}: ${lift.reason}`;
  return `${stormName(storm)} ${how}. Automatic removals resume, one by one under the guardrails`;
};
