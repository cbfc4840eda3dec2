import { type ControlledGateway, type DataPlaneFaults } from '../controlled-gateway.js';
import { type FaultKind, type FaultSpec } from './fault-spec.js';

export type CrashMode = 'exit' | 'abort' | 'sigkill';

export interface ActiveFault {
  readonly kind: Exclude<FaultKind, 'crash'>;
  readonly since: number;
  readonly until?: number;
  readonly ms?: number;
}

export interface FaultView {
  readonly active: readonly ActiveFault[];
  /** Faults scheduled with `afterMs` that have not started yet. */
  readonly scheduled: readonly { readonly kind: FaultKind; readonly at: number }[];
}

const crashProcess = (mode: CrashMode, exitCode: number): void => {
  if (mode === 'abort') process.abort();
  if (mode === 'sigkill') process.kill(process.pid, 'SIGKILL');
  process.exit(exitCode);
};

/**
 * Fault injection for tests and chaos. It keeps which faults are on, tells the
 * data plane (write-block, latency, hang) and the agent's own parts (`hang`
 * silences the control channel and vitals too) and carries out crashes. Setting
 * a fault that is already on changes nothing but its timing: retries are safe.
 */
export class FaultInjector {
  private readonly active = new Map<ActiveFault['kind'], { fault: ActiveFault; clearTimer?: NodeJS.Timeout }>();
  private readonly scheduled = new Map<NodeJS.Timeout, { kind: FaultKind; at: number }>();

  constructor(
    private readonly gateway: ControlledGateway,
    private readonly crash: (mode: CrashMode, exitCode: number) => void = crashProcess,
  ) {}

  get state(): DataPlaneFaults {
    const latency = this.active.get('latency')?.fault.ms ?? 0;
    return { writeBlock: this.active.has('write-block'), latencyMs: latency, hang: this.active.has('hang') };
  }

  inject(spec: FaultSpec): void {
    if (spec.afterMs === undefined || spec.afterMs === 0) {
      this.apply(spec);
      return;
    }
    const timer = setTimeout(() => {
      this.scheduled.delete(timer);
      this.apply(spec);
    }, spec.afterMs);
    this.scheduled.set(timer, { kind: spec.kind, at: Date.now() + spec.afterMs });
  }

  /** Clears one kind of fault (and its scheduled starts), or all of them. */
  clear(kind?: FaultKind): void {
    for (const [timer, scheduled] of this.scheduled) {
      if (kind !== undefined && scheduled.kind !== kind) continue;
      clearTimeout(timer);
      this.scheduled.delete(timer);
    }
    for (const [activeKind, { clearTimer }] of this.active) {
      if (kind !== undefined && activeKind !== kind) continue;
      clearTimeout(clearTimer);
      this.active.delete(activeKind);
    }
    this.gateway.applyFaults(this.state);
  }

  view(): FaultView {
    return {
      active: [...this.active.values()].map((a) => a.fault),
      scheduled: [...this.scheduled.values()],
    };
  }

  private apply(spec: FaultSpec): void {
    if (spec.kind === 'crash') {
      this.crash(spec.mode, spec.exitCode);
      return;
    }
    const now = Date.now();
    clearTimeout(this.active.get(spec.kind)?.clearTimer);
    const fault: ActiveFault = {
      kind: spec.kind,
      since: this.active.get(spec.kind)?.fault.since ?? now,
      ...(spec.forMs !== undefined ? { until: now + spec.forMs } : {}),
      ...(spec.kind === 'latency' ? { ms: spec.ms } : {}),
    };
    const clearTimer = spec.forMs === undefined ? undefined : setTimeout(() => this.clear(spec.kind), spec.forMs);
    this.active.set(spec.kind, { fault, ...(clearTimer ? { clearTimer } : {}) });
    this.gateway.applyFaults(this.state);
  }
}
