import type { ObserverView } from './observer-view.js';

/** The policy's `detector.agreement` as the assessment needs it. */
export interface QuorumSettings {
  /** `all`: every live observer of the gateway; a number: at least that many (capped at the live ones). */
  readonly quorum: 'all' | number;
  /** A view written longer ago than this is no evidence either way. */
  readonly viewFreshMs: number;
  /** How long a verdict waits for the other observers' views before the silent ones are left out. */
  readonly waitForViewsMs: number;
}

export interface QuorumInput {
  readonly selfId: string;
  readonly gatewayId: string;
  /** The gateway process the verdict is about (its registration's instanceId), if known. */
  readonly instanceId: string | null;
  /** The gateway's observers among the live detectors (rendezvous), this one included. */
  readonly observers: readonly string[];
  /** The views read from etcd; only fresh views of this gateway by its other observers count. */
  readonly views: readonly ObserverView[];
  /** When this observer's own crash/hang verdict began. */
  readonly verdictSinceMs: number;
  readonly atMs: number;
  readonly settings: QuorumSettings;
}

/**
 * `agreed`: enough observers see it down, a removal may start. `partition-suspected`: another
 * observer still sees it answering, so this one's verdict more likely says something about the
 * path between them than about the gateway. `waiting`: nobody disagrees yet, but the others
 * have not spoken; ask again.
 */
export type QuorumVerdict = 'agreed' | 'partition-suspected' | 'waiting';

export interface QuorumAssessment {
  readonly verdict: QuorumVerdict;
  /** Observers that must see it down for a removal (after the wait: of those that spoke). */
  readonly required: number;
  /** Observers that see it down, this one first. */
  readonly agreeing: readonly string[];
  /** Observers whose fresh view says it answers. */
  readonly dissenting: readonly string[];
  /** Live observers without a fresh view of this gateway process, or unsure. */
  readonly silent: readonly string[];
  readonly reason: string;
}

type Voice = 'agrees' | 'dissents' | 'silent';

const voiceOf = (observerId: string, input: QuorumInput, waited: boolean): Voice => {
  const { gatewayId, instanceId, views, atMs, settings } = input;
  const view = views.find((v) => v.detectorId === observerId && v.gatewayId === gatewayId);
  if (!view || atMs - view.atMs > settings.viewFreshMs) return 'silent';
  if (instanceId !== null && view.instanceId !== null && view.instanceId !== instanceId) return 'silent';
  if (view.status === 'down') return 'agrees';
  if (view.status === 'unsure') return 'silent';
  // Written before this verdict began, an `answering` view may just not have caught up with a
  // real crash yet: it speaks against the removal once confirmed since, or after the wait.
  return waited || view.atMs >= input.verdictSinceMs ? 'dissents' : 'silent';
};

const list = (ids: readonly string[]): string => (ids.length === 0 ? 'none' : ids.join(', '));

/**
 * Whether a crash or hang verdict of one observer may become a removal. Pure: the detector
 * reads the views from etcd and acts on the answer. A view counts only if it is fresh, about
 * the same gateway process and from one of the gateway's live observers, so a dead detector,
 * one that no longer observes the gateway or one that saw an earlier process has no say.
 * While an observer that answers is among them, the quorum is never reached with `all`.
 */
export const assessObserverQuorum = (input: QuorumInput): QuorumAssessment => {
  const others = [...new Set(input.observers)].filter((id) => id !== input.selfId);
  const waited = input.atMs - input.verdictSinceMs >= input.settings.waitForViewsMs;
  const voices = others.map((id) => [id, voiceOf(id, input, waited)] as const);
  const agreeing = [input.selfId, ...voices.filter(([, v]) => v === 'agrees').map(([id]) => id)];
  const dissenting = voices.filter(([, v]) => v === 'dissents').map(([id]) => id);
  const silent = voices.filter(([, v]) => v === 'silent').map(([id]) => id);
  const live = others.length + 1;
  const wanted = input.settings.quorum === 'all' ? live : Math.max(1, Math.min(input.settings.quorum, live));
  // After the wait, observers that never spoke are left out: none of them vouches for the gateway either.
  const required = waited ? Math.max(1, Math.min(wanted, agreeing.length + dissenting.length)) : wanted;
  const base = { required, agreeing, dissenting, silent };
  const tally = `${agreeing.length} of ${live} live observers see it down (${list(agreeing)}), ${required} needed`;
  if (agreeing.length >= required) return { ...base, verdict: 'agreed', reason: `${tally}; answering: ${list(dissenting)}; silent: ${list(silent)}` };
  if (dissenting.length > 0) {
    return { ...base, verdict: 'partition-suspected', reason: `${tally}; still answering for ${list(dissenting)}: a partition between ${input.selfId} and ${input.gatewayId} is more likely than a dead gateway` };
  }
  return { ...base, verdict: 'waiting', reason: `${tally}; waiting for the views of ${list(silent)}` };
};
