import { type Action, type ActionParams, type DecisionFacts, evaluateTree, explainEvaluation } from '../decision/index.js';
import { EMPTY_BASELINE, type HealthComponentScore, scoreHealth } from '../health/index.js';
import { type Policy } from '../policy/index.js';
import { type DetectorFindings, type EvidenceSample } from './evidence.js';
import { processGone, removesGateway } from './incident.js';

export interface RemediationDecision {
  readonly actions: readonly Action[];
  readonly rule: string;
  /** The decision path, one readable line per node evaluated, with the values seen. */
  readonly explanation: readonly string[];
  readonly facts: DecisionFacts;
  readonly score: number;
  readonly scoreBreakdown: readonly Pick<HealthComponentScore, 'component' | 'value' | 'deduction'>[];
}

/** What an operator's request does unless it names actions itself. */
export const OPERATOR_DEFAULT_ACTIONS: readonly Action[] = ['quarantine', 'migrate'];

/** The facts a policy tree is evaluated on, from the run's own samples plus a detector's findings. */
export const factsFromEvidence = (samples: readonly EvidenceSample[], findings: DetectorFindings | undefined, policy: Policy) => {
  const latest = samples.at(-1);
  const vitals = [...samples].reverse().find((s) => s.vitals)?.vitals;
  const detector = new Set(findings?.facts ?? []);
  const misses = samples.filter((s) => !s.reachable).length;
  const measuredLevel = [...samples].reverse().find((s) => s.rttLevel !== undefined)?.rttLevel;
  const assessment = scoreHealth(
    {
      rttSamplesMs: vitals?.rttSamplesMs ?? [],
      finRstPerSec: vitals?.finRstPerSec ?? 0,
      synRetransmitPerSec: vitals?.synRetransmitPerSec ?? 0,
      writeBlockedRatio: vitals?.writeBlockedRatio ?? 0,
      heartbeatMisses: misses,
      ...(measuredLevel !== undefined ? { rttLevel: measuredLevel } : {}),
    },
    EMPTY_BASELINE,
    policy.health,
  );
  const component = (name: string) => assessment.components.find((c) => c.component === name);
  const rttLevel = component('rttLevel');
  const writeBlocked = vitals?.writeBlocked === true || detector.has('writeBlocked');
  const facts: DecisionFacts = {
    vanished: samples.length > 0 && samples.every((s) => !s.registered),
    heartbeatLost: (samples.length > 0 && samples.every((s) => !s.reachable)) || detector.has('heartbeatLost'),
    writeBlocked,
    // The gateway's own word (docs/protocol.md §8.1): every session it is behind on is still progressing within its retry budget.
    retryPending: writeBlocked && (vitals?.retryPending === true || detector.has('retryPending')),
    rttSpike: detector.has('rttSpike') || (rttLevel?.value != null && rttLevel.value >= rttLevel.criticalAt),
    errorBurst: detector.has('errorBurst'),
    shutdownNotice: detector.has('shutdownNotice') || latest?.state === 'draining',
    // Only the detector's window can see it: a run's few samples cannot.
    intermittent: detector.has('intermittent'),
    // Kubernetes facts come only from the K8s controller's findings: a run cannot see pods itself.
    podNotReady: detector.has('podNotReady'),
    podRestarting: detector.has('podRestarting'),
    podTerminating: detector.has('podTerminating'),
    nodeLost: detector.has('nodeLost'),
    score: assessment.score,
  };
  return { facts, assessment };
};

/**
 * Evidence → verdict, with the path that led there. Pure, so it runs inside the
 * workflow and replays identically. An operator's request is an explicit order:
 * it overrides the tree, but the tree's view is still recorded next to it.
 */
export const decideRemediation = (
  policy: Policy,
  samples: readonly EvidenceSample[],
  findings: DetectorFindings | undefined,
  operatorActions: readonly Action[] | undefined,
): RemediationDecision => {
  const { facts, assessment } = factsFromEvidence(samples, findings, policy);
  return decideOnFacts(policy, facts, assessment, operatorActions);
};

/** An incident's verdict: `decideRemediation`'s, plus the tree's parameters (an observe back-off). */
export interface IncidentDecision extends RemediationDecision {
  readonly params?: ActionParams;
}

/**
 * The verdict inside an incident run. Like `decideRemediation`, except that `vanished` means
 * the process is gone (`processGone`: nothing answers at its address, with its lease gone or a
 * detector's crash finding), not merely that its registration lapsed.
 */
export const decideIncident = (
  policy: Policy,
  samples: readonly EvidenceSample[],
  findings: DetectorFindings | undefined,
  operatorActions: readonly Action[] | undefined,
): IncidentDecision => {
  const { facts: seen, assessment } = factsFromEvidence(samples, findings, policy);
  const facts: DecisionFacts = { ...seen, vanished: processGone(samples, findings) };
  const decided = decideOnFacts(policy, facts, assessment, operatorActions);
  const decision = findings?.partitionSuspected && !operatorActions ? capAtDegrade(decided) : decided;
  const params = operatorActions ? undefined : evaluateTree(policy.decisionTree, facts).verdict.params;
  return params ? { ...decision, params } : decision;
};

/**
 * A suspected partition (one observer's verdict against another's view of a gateway that
 * answers) may degrade the gateway, never remove it: removing actions become one `degrade`.
 */
const capAtDegrade = (decision: RemediationDecision): RemediationDecision => {
  if (!removesGateway(decision.actions)) return decision;
  const kept = decision.actions.filter((a) => !removesGateway([a]) && a !== 'degrade');
  return {
    ...decision,
    actions: [...kept, 'degrade'],
    explanation: [...decision.explanation, `capped at degrade: partition suspected (another observer still sees the gateway answering), the tree said ${decision.actions.join('+')}`],
  };
};

const decideOnFacts = (
  policy: Policy,
  facts: DecisionFacts,
  assessment: ReturnType<typeof scoreHealth>,
  operatorActions: readonly Action[] | undefined,
): RemediationDecision => {
  const evaluation = evaluateTree(policy.decisionTree, facts);
  const explanation = explainEvaluation(evaluation);
  const scoreBreakdown = assessment.components.map(({ component, value, deduction }) => ({ component, value, deduction }));
  const base = { facts, score: assessment.score, scoreBreakdown };
  if (operatorActions) {
    return { ...base, actions: operatorActions, rule: 'operator-request', explanation: [`operator asked for ${operatorActions.join('+')}`, ...explanation] };
  }
  return { ...base, actions: evaluation.verdict.actions, rule: evaluation.verdict.matchedRule?.name ?? 'otherwise', explanation };
};
