import { DetectionEvidenceSchema, type DetectionEvidence } from './detection-evidence.js';

const EVIDENCE_MARKER = '\nevidence: ';

const whatWasSeen = (e: DetectionEvidence): string => {
  const rtts = e.probe.lastRttsMs.length > 0 ? `; last RTTs ${e.probe.lastRttsMs.join('/')} ms` : '';
  switch (e.tier) {
    case 'lease-expired':
      return 'registration lease expired (the lease backstop: no quorum of observers needed)';
    case 'L3-transport':
      return `control channel lost: ${e.probe.transport ?? 'unknown cause'}${rtts}`;
    case 'L2-suspect': {
      const silence = e.probe.msSinceLastPong === null ? 'never answered' : `no pong in time for ${e.probe.msSinceLastPong} ms`;
      return `${e.probe.consecutiveMisses} consecutive pong misses (${e.probe.latePongs} late), ${silence}${rtts}`;
    }
    case 'self-report':
    case 'vitals':
      return `${e.tier === 'vitals' ? 'vitals say' : 'gateway reported'} ${e.selfReport?.kind ?? e.classification}${rtts}`;
    case 'L1-rtt':
      return `median RTT ${e.rtt.medianMs} ms over threshold ${e.rtt.thresholdMs} ms (baseline ${e.rtt.baselineMs} ms)${rtts}`;
    case 'availability': {
      const a = e.availability;
      if (!a) return `intermittent stalls${rtts}`;
      const missed = a.missedPongRatio === null ? '' : `, ${Math.round(a.missedPongRatio * 1_000) / 10} % of pongs missed`;
      return `intermittent: ${a.stallsPerMinute} stalls/min, unavailable ${Math.round(a.unavailableFraction * 1_000) / 10} % of the last ${Math.round(a.observedMs / 1_000)} s${missed}${rtts}`;
    }
    case 'health-alarm':
      return `health score ${e.score} stayed under the fire threshold${rtts}`;
  }
};

/**
 * A remediation request's reason: one line a human reads in the Temporal UI, then the full
 * evidence as JSON after `evidence: ` for tools ({@link parseDetectionReason}).
 */
export const formatDetectionReason = (e: DetectionEvidence): string => {
  const rule = e.verdict.rule === null ? 'otherwise' : `rule "${e.verdict.rule}"`;
  const headline =
    `${e.gatewayId} ${e.classification} [${e.tier}]: ${whatWasSeen(e)} → ${e.verdict.actions.join('+')} by ${rule} ` +
    `(policy v${e.policy.version} ${e.policy.mode}, detector ${e.detectorId})`;
  return `${headline}${EVIDENCE_MARKER}${JSON.stringify(e)}`;
};

/** The evidence in a reason written by {@link formatDetectionReason}; undefined for any other reason. */
export const parseDetectionReason = (reason: string): DetectionEvidence | undefined => {
  const at = reason.indexOf(EVIDENCE_MARKER);
  if (at < 0) return undefined;
  try {
    const parsed = DetectionEvidenceSchema.safeParse(JSON.parse(reason.slice(at + EVIDENCE_MARKER.length)));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
};
