import { BOOLEAN_PREDICATES, type DecisionFacts, type DetectionEvidence, type Policy, evaluateTree } from '#core';

/** What `policy`'s tree says about the facts recorded in the evidence: the detector must have said the same. */
export const verdictFromEvidence = (evidence: DetectionEvidence, policy: Policy): { actions: string[]; rule: string | null } => {
  const held = new Set(evidence.facts);
  const facts = { ...Object.fromEntries(BOOLEAN_PREDICATES.map((p) => [p, held.has(p)])), score: evidence.score } as DecisionFacts;
  const { verdict } = evaluateTree(policy.decisionTree, facts);
  return { actions: [...verdict.actions], rule: verdict.matchedRule?.name ?? null };
};
