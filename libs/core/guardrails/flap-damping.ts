import { type FlapDampingSettings } from '../policy/index.js';
import { type RemediationRecord } from './rate-limit.js';

export type FlapVerdict =
  | { readonly kind: 'proceed' }
  /** Healed too recently: wait, then look again (it may have recovered by then). */
  | { readonly kind: 'back-off'; readonly untilMs: number; readonly reason: string }
  /** Keeps coming back: healing it again would only hide the problem. */
  | { readonly kind: 'escalate'; readonly reason: string };

/** Damps a gateway that keeps failing after being healed: cool-down first, then a human. */
export const dampFlapping = (
  history: readonly RemediationRecord[],
  gatewayId: string,
  runId: string,
  now: number,
  settings: FlapDampingSettings,
  cooldownMs: number,
): FlapVerdict => {
  const earlier = history.filter((r) => r.gatewayId === gatewayId && r.runId !== runId && r.startedAt <= now);
  const inWindow = earlier.filter((r) => r.startedAt > now - settings.windowMs);
  if (inWindow.length + 1 >= settings.escalateAfter) {
    return { kind: 'escalate', reason: `${gatewayId} was remediated ${inWindow.length} times in the last ${settings.windowMs} ms (escalate at ${settings.escalateAfter})` };
  }
  const last = Math.max(...earlier.map((r) => r.startedAt), Number.NEGATIVE_INFINITY);
  if (now - last < cooldownMs) {
    return { kind: 'back-off', untilMs: last + cooldownMs, reason: `${gatewayId} was remediated ${now - last} ms ago (cool-down ${cooldownMs} ms)` };
  }
  return { kind: 'proceed' };
};
