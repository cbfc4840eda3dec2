import { BOOLEAN_PREDICATES, type DecisionFacts } from './predicates.js';

/** Facts of a gateway with nothing wrong, for tests to override what they are about. */
export const HEALTHY_FACTS: DecisionFacts = {
  ...(Object.fromEntries(BOOLEAN_PREDICATES.map((p) => [p, false])) as Record<(typeof BOOLEAN_PREDICATES)[number], boolean>),
  score: 95,
};
