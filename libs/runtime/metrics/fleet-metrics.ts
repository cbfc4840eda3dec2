import { Gauge, type Registry } from 'prom-client';
import { GATEWAY_STATES, type GatewayStateName } from '#core';

export interface FleetMetricSources {
  /** Every gateway's routing state, read at scrape time. */
  readonly states: () => Promise<Iterable<GatewayStateName>>;
  /** Remediation runs open and waiting for an approve/reject signal. */
  readonly approvalsWaiting: () => Promise<number>;
}

/** Fleet-wide gauges the API reads from etcd and Temporal visibility when Prometheus scrapes. */
export const registerFleetMetrics = (registry: Registry, sources: FleetMetricSources): void => {
  const registers = [registry];
  new Gauge({
    name: 'homeostat_gateways',
    help: 'Gateways by routing state (serving, degraded, quarantined, …), from etcd.',
    labelNames: ['state'],
    registers,
    async collect() {
      const counts = new Map<GatewayStateName, number>(GATEWAY_STATES.map((s) => [s, 0]));
      for (const state of await sources.states()) counts.set(state, (counts.get(state) ?? 0) + 1);
      for (const [state, count] of counts) this.set({ state }, count);
    },
  });
  new Gauge({
    name: 'homeostat_approvals_waiting',
    help: 'Open remediation runs waiting for an operator to approve or reject.',
    registers,
    async collect() {
      this.set(await sources.approvalsWaiting());
    },
  });
};
