import type { DetectorSettings } from '../policy/detector-policy.js';
import type { ProbeState } from './probe-tiers.js';

/**
 * Whether the fast path shows the gateway alive right now: healthy tier and a pong within the
 * last few ping intervals (up to two pong timeouts, but never more than a second: a generous
 * pong timeout lets a slow answer pass, yet "alive now" needs recent evidence). A lapsed lease
 * of a gateway that is answering is etcd's trouble or a blip, not the gateway's death.
 */
export const isAnswering = (probe: ProbeState, atMs: number, settings: Pick<DetectorSettings, 'pingIntervalMs' | 'pongTimeoutMs'>): boolean => {
  if (probe.tier !== 'healthy' || probe.lastPongAtMs === null) return false;
  const freshWithinMs = Math.max(4 * settings.pingIntervalMs, Math.min(2 * settings.pongTimeoutMs, 1_000));
  return atMs - probe.lastPongAtMs <= freshWithinMs;
};
