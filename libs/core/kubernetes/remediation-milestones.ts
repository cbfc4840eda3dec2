/** Remediation milestones that become `events.k8s.io/v1` Events on the gateway's pod. */
export const MILESTONES = {
  started: { reason: 'RemediationStarted', type: 'Normal', action: 'Remediate' },
  outOfRotation: { reason: 'TakenOutOfRotation', type: 'Warning', action: 'SetRotation' },
  sessionsMigrated: { reason: 'SessionsMigrated', type: 'Normal', action: 'Migrate' },
  backInRotation: { reason: 'ReturnedToRotation', type: 'Normal', action: 'SetRotation' },
  healed: { reason: 'Healed', type: 'Normal', action: 'Verify' },
  compensated: { reason: 'Compensated', type: 'Warning', action: 'Compensate' },
  needsHuman: { reason: 'NeedsHuman', type: 'Warning', action: 'Escalate' },
} as const;

export type Milestone = keyof typeof MILESTONES;

/** events.k8s.io caps `note` at 1 kB; keep room for the link. */
const MAX_NOTE = 900;

/** The Event's note: what happened, then where to read the whole run. */
export const milestoneNote = (what: string, link: string): string => `${what.slice(0, MAX_NOTE - link.length - 8)} — run: ${link}`;
