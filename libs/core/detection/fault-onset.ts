import { type GatewaySnapshot } from './detection-signals.js';

/**
 * The earliest moment the detector itself saw the fault: the first ping of the
 * miss streak that went unanswered, the transport loss, or an error burst's
 * receipt. Undefined when the finding rests on slower evidence with no single
 * start (a score alarm, an expired lease), so detection latency is only
 * measured where it means fault → finding.
 */
export const faultOnsetMs = ({ probe, reports }: GatewaySnapshot): number | undefined => {
  const seen = [probe.streakSinceMs, probe.transportLost?.atMs, reports.errorBurstAtMs].filter((t): t is number => typeof t === 'number');
  return seen.length > 0 ? Math.min(...seen) : undefined;
};
