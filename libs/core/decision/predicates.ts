/** Boolean facts the detector and evidence gathering establish about a gateway. */
export const BOOLEAN_PREDICATES = [
  // The registration lease ran out: the process is gone, not merely slow.
  'vanished',
  'heartbeatLost',
  'writeBlocked',
  'retryPending',
  'rttSpike',
  'errorBurst',
  'shutdownNotice',
  // Answering, but stalling again and again over the detector's availability window.
  'intermittent',
  // Kubernetes facts (K8s mode), from the pod and node informers: see libs/core/kubernetes.
  'podNotReady',
  'podRestarting',
  'podTerminating',
  'nodeLost',
] as const;

export type BooleanPredicate = (typeof BOOLEAN_PREDICATES)[number];

/** Comparisons of the health score against a constant carried by the tree node. */
export const SCORE_PREDICATES = ['scoreBelow', 'scoreAbove'] as const;

export type ScorePredicate = (typeof SCORE_PREDICATES)[number];

export type Predicate = BooleanPredicate | ScorePredicate;

export const isBooleanPredicate = (value: unknown): value is BooleanPredicate =>
  typeof value === 'string' && (BOOLEAN_PREDICATES as readonly string[]).includes(value);

export const isScorePredicate = (value: unknown): value is ScorePredicate =>
  typeof value === 'string' && (SCORE_PREDICATES as readonly string[]).includes(value);

/** Everything a tree can ask about; evaluation reads nothing else, which keeps it pure. */
export type DecisionFacts = Readonly<Record<BooleanPredicate, boolean>> & { readonly score: number };
