import { Counter, Histogram, type Registry } from 'prom-client';
import { type RemediationRunFacts } from '#core';
import { LATENCY_BUCKETS_SECONDS } from './registry.js';

/** What the worker counts about remediation runs (finished runs, guardrails, migration). */
export class RemediationMetrics {
  private readonly remediations: Counter<'outcome' | 'action' | 'trigger'>;
  private readonly refusals: Counter<'guardrail'>;
  private readonly outOfRotation: Histogram<'trigger'>;
  private readonly migrated: Counter;
  private readonly interruption: Histogram;

  constructor(registry: Registry) {
    const registers = [registry];
    this.remediations = new Counter({
      name: 'homeostat_remediations_total',
      help: 'Finished remediation runs by outcome, action taken and trigger.',
      labelNames: ['outcome', 'action', 'trigger'],
      registers,
    });
    this.refusals = new Counter({
      name: 'homeostat_guardrail_refusals_total',
      help: 'Remediation runs a guardrail refused, by guardrail (flap-damping, rate-limit, approval, blast-radius).',
      labelNames: ['guardrail'],
      registers,
    });
    this.outOfRotation = new Histogram({
      name: 'homeostat_time_to_out_of_rotation_seconds',
      help: 'Trigger fired → gateway out of rotation (quarantine, degrade or drain done), per run that took one out.',
      labelNames: ['trigger'],
      buckets: LATENCY_BUCKETS_SECONDS,
      registers,
    });
    this.migrated = new Counter({ name: 'homeostat_sessions_migrated_total', help: 'Client sessions moved to another gateway by migration batches.', registers });
    this.interruption = new Histogram({
      name: 'homeostat_session_interruption_seconds',
      help: 'Per moved session, source side: redirect sent → the client left the source.',
      buckets: LATENCY_BUCKETS_SECONDS,
      registers,
    });
  }

  runFinished(facts: RemediationRunFacts): void {
    this.remediations.inc({ outcome: facts.outcome, action: facts.action, trigger: facts.trigger });
    for (const guardrail of facts.refusals) this.refusals.inc({ guardrail });
    if (facts.outOfRotationMs !== undefined) this.outOfRotation.observe({ trigger: facts.trigger }, facts.outOfRotationMs / 1000);
  }

  batchMoved({ moved, interruptionsMs }: { readonly moved: number; readonly interruptionsMs: readonly number[] }): void {
    this.migrated.inc(moved);
    for (const ms of interruptionsMs) this.interruption.observe(ms / 1000);
  }
}
