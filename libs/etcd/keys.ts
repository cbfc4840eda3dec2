/** The etcd key layout of DESIGN.md, in one place. Fleet-level state only, never per-session data. */
export const ROOT = '/homeostat/';
export const GATEWAYS_PREFIX = `${ROOT}gateways/`;
export const VITALS_PREFIX = `${ROOT}vitals/`;
export const STATE_PREFIX = `${ROOT}state/`;

export const gatewayKey = (id: string): string => `${GATEWAYS_PREFIX}${id}`;
export const vitalsKey = (id: string): string => `${VITALS_PREFIX}${id}`;
export const stateKey = (id: string): string => `${STATE_PREFIX}${id}`;

export const idFromKey = (prefix: string, key: string): string => key.slice(prefix.length);

/** How far the lease watcher (the worker leader's duty) has read the registry: the next leader reads on from there. */
export const LEASE_WATCH_CURSOR_KEY = `${ROOT}lease-watch-cursor`;

/** Policies by version; `current` holds the version in force (DESIGN.md). */
export const POLICY_PREFIX = `${ROOT}policy/`;
export const POLICY_CURRENT_KEY = `${POLICY_PREFIX}current`;
export const policyVersionKey = (version: number): string => `${POLICY_PREFIX}${version}`;
/** Who published each policy version, and when: beside the policy, which stays exactly the document. */
export const POLICY_CHANGES_PREFIX = `${ROOT}policy-changes/`;
export const policyChangeKey = (version: number): string => `${POLICY_CHANGES_PREFIX}${version}`;

/** The audit trail of changes made through the API: one key per change, in time order (see auditEntryName). */
export const AUDIT_PREFIX = `${ROOT}audit/`;
export const auditKey = (entryName: string): string => `${AUDIT_PREFIX}${entryName}`;

/** Degrade switches, watched by the processes they concern. */
export const FLAGS_PREFIX = `${ROOT}flags/`;
export const flagKey = (name: string): string => `${FLAGS_PREFIX}${name}`;

/** The latest detection per gateway: what a detector saw and did (or, in shadow mode, would have done). */
export const DETECTIONS_PREFIX = `${ROOT}detections/`;
export const detectionKey = (gatewayId: string): string => `${DETECTIONS_PREFIX}${gatewayId}`;

/** The quarantine set: which gateways are out, changed only by compare-and-swap (blast radius). */
export const QUARANTINE_KEY = `${ROOT}quarantine`;

/**
 * Remediations that acted or hold a slot to act, fleet-wide in one key changed only by
 * compare-and-swap: the rate limit and flap damping reserve slots in it.
 */
export const REMEDIATION_LEDGER_KEY = `${ROOT}remediation-ledger`;

/** One operation per gateway at a time: the run holding it (remediate:, restore:). */
export const OPERATIONS_PREFIX = `${ROOT}operations/`;
export const operationKey = (gatewayId: string): string => `${OPERATIONS_PREFIX}${gatewayId}`;

/** Remediations that acted, per gateway: rate limit and flap damping read them. */
export const HISTORY_PREFIX = `${ROOT}history/`;
export const historyKey = (gatewayId: string): string => `${HISTORY_PREFIX}${gatewayId}`;

/** Live detectors, each under its own lease: who observes which gateway follows from this set. */
export const DETECTORS_PREFIX = `${ROOT}detectors/`;
export const detectorKey = (id: string): string => `${DETECTORS_PREFIX}${id}`;

/**
 * What each observer sees of each gateway it observes, under that detector's lease: read before
 * a removal, so one observer's lone verdict is told from the observers' agreement.
 */
export const OBSERVER_VIEWS_PREFIX = `${ROOT}observer-views/`;
export const observerViewsPrefix = (gatewayId: string): string => `${OBSERVER_VIEWS_PREFIX}${gatewayId}/`;
export const observerViewKey = (gatewayId: string, detectorId: string): string => `${observerViewsPrefix(gatewayId)}${detectorId}`;

/** Each gateway's RTT level as a detector measures it, for the scorers without history (workflow, sweep). */
export const RTT_LEVELS_PREFIX = `${ROOT}rtt-levels/`;
export const rttLevelKey = (gatewayId: string): string => `${RTT_LEVELS_PREFIX}${gatewayId}`;

/**
 * The policy lab's timelines: per gateway, what the detector saw and decided, one key per
 * compacted observation (time-ordered keys, so a window is one range read and retention one
 * range delete). Fleet-level only, never per-session data.
 */
export const TIMELINES_PREFIX = `${ROOT}timelines/`;
export const timelinePrefix = (gatewayId: string): string => `${TIMELINES_PREFIX}${gatewayId}/`;
/**
 * The other half of a gateway's timeline: what its remediation runs decided and how they ended,
 * and the non-detector triggers (lease expiry, Kubernetes), one key per event (written by the worker).
 */
export const TIMELINE_EVENTS_PREFIX = `${ROOT}timeline-events/`;
export const timelineEventsPrefix = (gatewayId: string): string => `${TIMELINE_EVENTS_PREFIX}${gatewayId}/`;
/** Which gateways have a timeline, so a simulation need not scan every observation's key to find them. */
export const TIMELINE_INDEX_PREFIX = `${ROOT}timeline-index/`;
export const timelineIndexKey = (gatewayId: string): string => `${TIMELINE_INDEX_PREFIX}${gatewayId}`;

/**
 * The shared migration budget (token buckets, changed only by compare-and-swap): one
 * fleet-wide bucket of sessions per second, one bucket of reconnects per second per
 * target gateway. Small fixed-size records; a bucket of a gateway long gone is just full.
 */
export const MIGRATION_BUDGET_PREFIX = `${ROOT}migration-budget/`;
export const MIGRATION_BUDGET_SESSIONS_KEY = `${MIGRATION_BUDGET_PREFIX}sessions`;
export const migrationBudgetTargetKey = (gatewayId: string): string => `${MIGRATION_BUDGET_PREFIX}targets/${gatewayId}`;

/** Storm mode: present while automatic removals are paused (DESIGN.md), and the last lift. */
export const STORM_KEY = `${ROOT}storm`;
export const STORM_LIFTED_KEY = `${ROOT}storm-lifted`;
