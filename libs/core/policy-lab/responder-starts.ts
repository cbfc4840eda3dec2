import type { ReplayedDecision } from './replay-stream.js';

/**
 * The moments the detector's responder starts a remediation, from a stream of decisions: it
 * is edge-triggered (libs/detector/detection-responder.ts), one start per incident, and the
 * incident settles at the first quiet decision `cooldownMs` or more after its start. A new
 * monitor (a new stream) starts with a clean slate, as the responder forgets the gateway.
 */
export const responderStarts = (decisions: readonly ReplayedDecision[], cooldownMs: (d: ReplayedDecision) => number): ReplayedDecision[] => {
  const starts: ReplayedDecision[] = [];
  let open: ReplayedDecision | null = null;
  for (const d of decisions) {
    if (open && open.observation.streamSinceMs !== d.observation.streamSinceMs) open = null;
    if (d.decision.response === 'none' && open && d.observation.atMs - open.observation.atMs >= cooldownMs(d)) open = null;
    if (d.decision.response === 'remediate' && !open) {
      open = d;
      starts.push(d);
    }
  }
  return starts;
};
