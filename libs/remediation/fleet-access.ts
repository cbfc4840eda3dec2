import { type Etcd3 } from 'etcd3';
import { AGENT_CALL_TIMEOUT_MS, type GatewayRegistration, acceptsSessions } from '#core';
import { FleetRegistry, GatewayStateStore, OperationClaims, QuarantineSet, RemediationHistory, type RunLiveness } from '#etcd';
import { ControlApiClient, ControlApiError } from '#agent';

/** An agent that did not answer at all (as opposed to answering with an error). */
export const isUnreachable = (error: unknown): boolean => !(error instanceof ControlApiError);

/** The etcd stores and agent clients the activities share. */
export class FleetAccess {
  readonly registry: FleetRegistry;
  readonly states: GatewayStateStore;
  readonly quarantine: QuarantineSet;
  readonly history: RemediationHistory;
  readonly operations: OperationClaims;

  /** `controlSecret` signs every call to a gateway's control endpoints (CONTROL_SECRET). */
  constructor(
    readonly etcd: Etcd3,
    private readonly controlSecret: string,
    isRunOpen: RunLiveness,
  ) {
    this.registry = new FleetRegistry(etcd);
    this.states = new GatewayStateStore(etcd);
    this.quarantine = new QuarantineSet(etcd);
    this.history = new RemediationHistory(etcd);
    this.operations = new OperationClaims(etcd, isRunOpen);
  }

  /**
   * The gateway's agent: at its registered address, else at the last known one kept in its state
   * record, so a gateway whose registration lapsed is still asked rather than assumed gone.
   * Undefined only when neither exists. A short timeout: a hung gateway must not hold a run up.
   * With `cancel` (an activity's cancellation signal) a cancelled activity stops waiting.
   */
  async agentFor(gatewayId: string, timeoutMs = AGENT_CALL_TIMEOUT_MS, cancel?: AbortSignal): Promise<ControlApiClient | undefined> {
    const controlUrl = await this.controlUrlOf(gatewayId);
    return controlUrl ? this.agentAtUrl(controlUrl, timeoutMs, cancel) : undefined;
  }

  async controlUrlOf(gatewayId: string): Promise<string | undefined> {
    const [registration, state] = await Promise.all([this.registry.get(gatewayId), this.states.get(gatewayId)]);
    return registration?.controlUrl ?? state?.controlUrl;
  }

  /** The agent of a registration already read: no second trip to etcd. */
  agentAt(registration: GatewayRegistration, timeoutMs = AGENT_CALL_TIMEOUT_MS, cancel?: AbortSignal): ControlApiClient {
    return this.agentAtUrl(registration.controlUrl, timeoutMs, cancel);
  }

  agentAtUrl(controlUrl: string, timeoutMs = AGENT_CALL_TIMEOUT_MS, cancel?: AbortSignal): ControlApiClient {
    return new ControlApiClient(controlUrl, this.controlSecret, timeoutMs, cancel);
  }

  /** Registrations of the serving gateways other than `exceptId`: one read of each prefix. */
  async servingGateways(exceptId?: string): Promise<GatewayRegistration[]> {
    const [gateways, stateMap] = await Promise.all([this.registry.list(), this.states.list()]);
    return gateways.filter((g) => g.id !== exceptId && !g.leaving && acceptsSessions(stateMap.get(g.id)));
  }

  /** Serving gateways other than `exceptId`, as redirect targets. */
  async servingTargets(exceptId?: string): Promise<{ gatewayId: string; address: string }[]> {
    return (await this.servingGateways(exceptId)).map((g) => ({ gatewayId: g.id, address: g.address }));
  }
}
