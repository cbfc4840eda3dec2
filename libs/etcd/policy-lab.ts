import { type Etcd3 } from 'etcd3';
import { type ChangeAuthor, DEFAULT_POLICY, type Policy, type SimulationResult, simulatePolicy } from '#core';
import { PolicyStore } from './policy-store.js';
import { type GateVerdict, checkPublishGate, gatedInput } from './publish-gate.js';
import { TimelineStore } from './timeline-store.js';

export interface SimulationRequest {
  readonly candidate: Policy;
  readonly fromMs: number;
  readonly untilMs: number;
  /** Only these gateways are replayed (all when absent): fleet-wide guardrails then see only their removals, the blast radius still counts the whole fleet. */
  readonly gatewayIds?: readonly string[];
  readonly maxIncidents?: number;
}

/**
 * Observations this long before the window are replayed too, unreported, so the health
 * alarm and the responder's incidents stand where they stood when the window opens.
 */
export const SIMULATION_WARMUP_MS = 10 * 60_000;

/**
 * The policy lab's reads: the timelines of a window (the detector's observations, the runs'
 * endings and the other triggers) and every policy version they were recorded under, handed to
 * the pure simulator. It only reads; nothing is written anywhere.
 */
export class PolicyLab {
  private readonly timelines: TimelineStore;
  private readonly policies: PolicyStore;

  constructor(etcd: Etcd3) {
    this.timelines = new TimelineStore(etcd);
    this.policies = new PolicyStore(etcd);
  }

  /**
   * Publishes like {@link PolicyStore.publish}, through the gate when the policy asks for one
   * (`lab.requireSimulation`) and would enforce: then it is simulated first, and stored in shadow
   * mode with the reason when it would remove more gateways than allowed. Throws what publish throws.
   */
  async publish(input: unknown, nowMs: number, author?: ChangeAuthor): Promise<{ policy: Policy; gate?: GateVerdict }> {
    const candidate = this.policies.validate(input);
    const gate = candidate.lab.requireSimulation;
    if (gate === null || candidate.mode === 'shadow') return { policy: await this.policies.publish(input, author) };
    const verdict = await checkPublishGate(this, candidate, gate, nowMs);
    return { policy: await this.policies.publish(gatedInput(input as Record<string, unknown>, verdict), author), gate: verdict };
  }

  async simulate(request: SimulationRequest): Promise<SimulationResult & { readonly corruptObservations: number; readonly corruptEvents: number }> {
    const fleet = await this.timelines.gatewayIds();
    const wanted = request.gatewayIds ? fleet.filter((id) => request.gatewayIds!.includes(id)) : fleet;
    const fromMs = request.fromMs - SIMULATION_WARMUP_MS;
    const [reads, eventReads] = await Promise.all([
      Promise.all(wanted.map((id) => this.timelines.read(id, fromMs, request.untilMs))),
      Promise.all(wanted.map((id) => this.timelines.readEvents(id, fromMs, request.untilMs))),
    ]);
    const observations = reads.flatMap((r) => r.observations);
    const versions = [...new Set(observations.map((o) => o.policyVersion))];
    const policies = new Map<number, Policy>();
    for (const version of versions) {
      // The built-in default is version 1 and is never stored.
      const policy = (await this.policies.get(version)) ?? (version === DEFAULT_POLICY.version ? DEFAULT_POLICY : undefined);
      if (policy) policies.set(version, policy);
    }
    const result = simulatePolicy({
      candidate: request.candidate,
      policies,
      observations,
      events: eventReads.flatMap((r) => r.events),
      window: { fromMs: request.fromMs, untilMs: request.untilMs },
      fleet,
      ...(request.maxIncidents === undefined ? {} : { maxIncidents: request.maxIncidents }),
    });
    const corrupt = (all: readonly { corrupt: number }[]): number => all.reduce((n, r) => n + r.corrupt, 0);
    return { ...result, corruptObservations: corrupt(reads), corruptEvents: corrupt(eventReads) };
  }
}
