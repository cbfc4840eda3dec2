import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { LATENCY_BUCKETS_SECONDS } from './registry.js';

/** What a detector measures: how fast it finds faults, and each gateway's health score as it sees it. */
export class DetectorMetrics {
  private readonly latency: Histogram<'tier' | 'classification'>;
  private readonly findings: Counter<'tier' | 'classification'>;
  private readonly scores: Gauge<'gateway'>;

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
    this.scores = new Gauge({ name: 'homeostat_gateway_health_score', help: 'Health score 0..100 (100 = healthy) per gateway, as this detector sees it.', labelNames: ['gateway'], registers });
  }

  finding({ tier, classification, latencyMs }: { readonly tier: string; readonly classification: string; readonly latencyMs: number | undefined }): void {
    this.findings.inc({ tier, classification });
    if (latencyMs !== undefined) this.latency.observe({ tier, classification }, Math.max(0, latencyMs) / 1000);
  }

  score(gateway: string, score: number | undefined): void {
    if (score === undefined) this.scores.remove({ gateway });
    else this.scores.set({ gateway }, score);
  }
}
