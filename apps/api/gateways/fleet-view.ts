import { Inject, Injectable } from '@nestjs/common';
import { Etcd3 } from 'etcd3';
import { DEFAULT_SWEEP_SETTINGS, EMPTY_BASELINE, type GatewayRegistration, type GatewayStateRecord, type GatewayVitals, scoreHealth, vitalsFreshness } from '#core';
import { type DetectionRecord, DetectionStore, FleetRegistry, GatewayStateStore, PolicyStore } from '#etcd';
import { RemediationClient, type RemediationSummary, temporalUiRunLink } from '#temporal';
import { API_SETTINGS, type ApiSettings } from '../settings.js';
import { UnknownGatewayError } from './known-gateways.js';
import { type VitalsPoint, VitalsHistory } from './vitals-history.js';

export interface HealthView {
  /** 0..100 from the latest vitals, with the policy's thresholds (no per-gateway baseline here). */
  readonly score: number;
  /** The score's components that cost points, largest first: what is wrong. */
  readonly signals: readonly { readonly component: string; readonly value: number | null; readonly deduction: number }[];
}

export type RunView = RemediationSummary & { readonly links: { readonly temporalUi: string } };

export interface GatewayView {
  readonly id: string;
  /** Registered (its lease alive) right now; a gateway that died keeps its state and history. */
  readonly registered: boolean;
  readonly registration: GatewayRegistration | null;
  readonly state: GatewayStateRecord | null;
  readonly sessions: number | null;
  readonly health: HealthView | null;
  readonly vitals: GatewayVitals | null;
  readonly vitalsHistory: readonly VitalsPoint[];
  /** The latest detector finding about it, and the run it started, if any. */
  readonly detection: DetectionRecord | null;
  readonly runs: { readonly open: readonly RunView[]; readonly recent: readonly RunView[] };
}

/** How many recent runs the fleet view reads from Temporal visibility (all gateways together). */
const RECENT_RUNS = 100;
/** Recent runs shown per gateway. */
const RUNS_PER_GATEWAY = 5;

/** Everything known about the fleet, read from etcd, the vitals watch and Temporal visibility. */
@Injectable()
export class FleetView {
  private readonly registry: FleetRegistry;
  private readonly states: GatewayStateStore;
  private readonly detections: DetectionStore;
  private readonly policies: PolicyStore;

  constructor(
    etcd: Etcd3,
    private readonly vitals: VitalsHistory,
    private readonly remediations: RemediationClient,
    @Inject(API_SETTINGS) private readonly settings: ApiSettings,
  ) {
    this.registry = new FleetRegistry(etcd);
    this.states = new GatewayStateStore(etcd);
    this.detections = new DetectionStore(etcd);
    this.policies = new PolicyStore(etcd);
  }

  async list(): Promise<GatewayView[]> {
    const [registrations, states, detections, { policy }, { runs }] = await Promise.all([
      this.registry.list(() => undefined),
      this.states.list(),
      this.detections.list(),
      this.policies.current(),
      this.remediations.list({ pageSize: RECENT_RUNS }),
    ]);
    const ids = [...new Set([...registrations.map((r) => r.id), ...states.keys()])].sort();
    return ids.map((id) =>
      this.view(id, registrations.find((r) => r.id === id), states.get(id), detections.get(id), policy.health, runs.filter((r) => r.gatewayId === id)),
    );
  }

  async get(id: string): Promise<GatewayView> {
    const [registration, state, detection, { policy }, { runs }] = await Promise.all([
      this.registry.get(id),
      this.states.get(id),
      this.detections.get(id),
      this.policies.current(),
      this.remediations.list({ gatewayId: id, pageSize: RUNS_PER_GATEWAY * 2 }),
    ]);
    if (!registration && !state) throw new UnknownGatewayError(id);
    return this.view(id, registration, state, detection, policy.health, runs);
  }

  private view(
    id: string,
    registration: GatewayRegistration | undefined,
    state: GatewayStateRecord | undefined,
    detection: DetectionRecord | undefined,
    healthPolicy: Parameters<typeof scoreHealth>[2],
    runs: readonly RemediationSummary[],
  ): GatewayView {
    const vitals = this.vitals.latest(id);
    const withLink = (run: RemediationSummary): RunView => ({
      ...run,
      links: { temporalUi: temporalUiRunLink(this.settings.TEMPORAL_UI_URL, this.settings.TEMPORAL_NAMESPACE, run.workflowId, run.runId) },
    });
    return {
      id,
      registered: registration !== undefined,
      registration: registration ?? null,
      state: state ?? null,
      sessions: vitals?.connections ?? null,
      health: vitals ? healthOf(vitals, healthPolicy) : null,
      vitals: vitals ?? null,
      vitalsHistory: this.vitals.history(id),
      detection: detection ?? null,
      runs: {
        open: runs.filter((r) => r.status === 'RUNNING').map(withLink),
        recent: runs.filter((r) => r.status !== 'RUNNING').slice(0, RUNS_PER_GATEWAY).map(withLink),
      },
    };
  }
}

const healthOf = (vitals: GatewayVitals, policy: Parameters<typeof scoreHealth>[2]): HealthView => {
  // Vitals not refreshed count as missed heartbeats, the way the health sweep judges them.
  const { missedPublishes } = vitalsFreshness(vitals.at, Date.now(), DEFAULT_SWEEP_SETTINGS);
  const { score, components } = scoreHealth({ ...vitals, heartbeatMisses: missedPublishes }, EMPTY_BASELINE, policy);
  return {
    score: Math.round(score * 10) / 10,
    signals: components
      .filter((c) => c.deduction > 0)
      .sort((a, b) => b.deduction - a.deduction)
      .map((c) => ({ component: c.component, value: c.value, deduction: Math.round(c.deduction * 10) / 10 })),
  };
};
