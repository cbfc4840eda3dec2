/**
 * Remediation actions a decision tree may prescribe, from least to most disruptive.
 * The order is the severity scale that guardrails (approval thresholds) compare against.
 */
export const ACTIONS = ['none', 'observe', 'degrade', 'quarantine', 'migrate', 'drain'] as const;

export type Action = (typeof ACTIONS)[number];

export const isAction = (value: unknown): value is Action =>
  typeof value === 'string' && (ACTIONS as readonly string[]).includes(value);

export const actionSeverity = (action: Action): number => ACTIONS.indexOf(action);

/** The most disruptive action of a verdict decides whether it needs approval. */
export const mostSevereAction = (actions: readonly Action[]): Action =>
  actions.reduce<Action>((worst, a) => (actionSeverity(a) > actionSeverity(worst) ? a : worst), 'none');
