import { type Etcd3 } from 'etcd3';
import { type FleetSample } from '#core';
import { FleetRegistry, GatewayStateStore } from '#etcd';

/**
 * Samples the fleet from etcd (who is registered, every gateway's state) every
 * `intervalMs`, for the serving-floor invariant and the out-of-rotation times.
 * While etcd does not answer (a chaos scenario may pause it) no sample is taken.
 */
export class FleetObserver {
  private readonly samples: FleetSample[] = [];
  private timer: NodeJS.Timeout | undefined;
  private busy = false;
  private readonly registry: FleetRegistry;
  private readonly states: GatewayStateStore;

  constructor(etcd: Etcd3, private readonly intervalMs = 100) {
    this.registry = new FleetRegistry(etcd);
    this.states = new GatewayStateStore(etcd);
  }

  start(): void {
    this.timer = setInterval(() => void this.sample(), this.intervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  since(at: number): FleetSample[] {
    return this.samples.filter((s) => s.at >= at);
  }

  /** The first sample at or after `at` in which `accept` holds, if any. */
  firstSince(at: number, accept: (sample: FleetSample) => boolean): FleetSample | undefined {
    return this.samples.find((s) => s.at >= at && accept(s));
  }

  private async sample(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    const at = Date.now();
    try {
      const [registered, states] = await Promise.all([this.registry.list(), this.states.list()]);
      this.samples.push({
        at,
        registered: registered.filter((g) => !g.leaving).map((g) => g.id),
        states: Object.fromEntries([...states].map(([id, record]) => [id, { state: record.state, by: record.by, ...(record.inRotation === undefined ? {} : { inRotation: record.inRotation }) }])),
      });
    } catch {
      // etcd is down or frozen: a gap in the samples, not a verdict.
    } finally {
      this.busy = false;
    }
  }
}
