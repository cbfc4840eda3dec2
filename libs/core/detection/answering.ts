import type { DetectorSettings } from '../policy/detector-policy.js';
import type { ProbeState } from './probe-tiers.js';

/**
 * Whether the fast path shows the gateway alive right now: healthy tier and a pong within
 * the last few ping intervals (at least two pong timeouts). A lapsed lease of a gateway that
 * is answering is etcd's trouble or a blip, not the gateway's death.
 */
export const isAnswering = (probe: ProbeState, atMs: number, settings: Pick<DetectorSettings, 'pingIntervalMs' | 'pongTimeoutMs'>): boolean => {
  if (probe.tier !== 'healthy' || probe.lastPongAtMs === null) return false;
  const freshWithinMs = Math.max(4 * settings.pingIntervalMs, 2 * settings.pongTimeoutMs);
  return atMs - probe.lastPongAtMs <= freshWithinMs;
};
