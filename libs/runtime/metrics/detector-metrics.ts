import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { LATENCY_BUCKETS_SECONDS } from './registry.js';

/** What a detector measures: how fast it finds faults, and each gateway's health score as it sees it. */
export class DetectorMetrics {
  private readonly latency: Histogram<'tier' | 'classification'>;
  private readonly findings: Counter<'tier' | 'classification'>;
  private readonly scores: Gauge<'gateway'>;
  private readonly partitions: Counter<'classification' | 'response'>;
  private readonly quorums: Counter<'verdict'>;
  private readonly stormActive: Gauge<'scope'>;
  private readonly stormPaused: Counter;
  private readonly loopStalled: Counter;

  constructor(registry: Registry) {
    const registers = [registry];
    this.latency = new Histogram({
      name: 'homeostat_detection_latency_seconds',
      help: 'First sign of a fault the detector saw (unanswered ping, transport loss, error burst) → the finding that started a remediation.',
      labelNames: ['tier', 'classification'],
      buckets: LATENCY_BUCKETS_SECONDS,
      registers,
    });
    this.findings = new Counter({
      name: 'homeostat_detector_findings_total',
      help: 'Findings that started (or joined) a remediation, by detection tier and classification.',
      labelNames: ['tier', 'classification'],
      registers,
    });
    this.partitions = new Counter({
      name: 'homeostat_partition_suspected_total',
      help: "Crash or hang verdicts of this detector that another observer contradicted (it still saw the gateway answering): no removal, the policy's onPartition instead.",
      labelNames: ['classification', 'response'],
      registers,
    });
    this.quorums = new Counter({
      name: 'homeostat_observer_quorum_checks_total',
      help: "Observer quorum checks before a removal, by verdict (agreed, partition-suspected, waiting).",
      labelNames: ['verdict'],
      registers,
    });
    this.stormActive = new Gauge({
      name: 'homeostat_storm_active',
      help: 'Storm mode as this detector sees it: 1 while automatic removals are paused (label: fleet or zone:<name>).',
      labelNames: ['scope'],
      registers,
    });
    this.stormPaused = new Counter({ name: 'homeostat_storm_paused_removals_total', help: 'Removals this detector would have started but did not, because a storm was on.', registers });
    this.loopStalled = new Counter({
      name: 'homeostat_detector_loop_stalled_seconds_total',
      help: "Time this detector's own event loop stood still (GC, CPU starvation); round trips and pong deadlines are measured without it.",
      registers,
    });
    this.scores = new Gauge({ name: 'homeostat_gateway_health_score', help: 'Health score 0..100 (100 = healthy) per gateway, as this detector sees it.', labelNames: ['gateway'], registers });
  }

  finding({ tier, classification, latencyMs }: { readonly tier: string; readonly classification: string; readonly latencyMs: number | undefined }): void {
    this.findings.inc({ tier, classification });
    if (latencyMs !== undefined) this.latency.observe({ tier, classification }, Math.max(0, latencyMs) / 1000);
  }

  partitionSuspected(classification: string, response: string): void {
    this.partitions.inc({ classification, response });
  }

  quorumChecked(verdict: string): void {
    this.quorums.inc({ verdict });
  }

  /** The storm on now (undefined: none). */
  storm(scope: string | undefined): void {
    this.stormActive.reset();
    if (scope !== undefined) this.stormActive.set({ scope }, 1);
  }

  removalPausedByStorm(): void {
    this.stormPaused.inc();
  }

  stalled(ms: number): void {
    this.loopStalled.inc(ms / 1000);
  }

  score(gateway: string, score: number | undefined): void {
    if (score === undefined) this.scores.remove({ gateway });
    else this.scores.set({ gateway }, score);
  }
}
