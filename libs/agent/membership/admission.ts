import { type ControlledGateway } from '../controlled-gateway.js';

/**
 * Why a gateway refuses new sessions:
 * - `out-of-rotation`: the control plane took it out (a `/control/quarantine` call, or its state
 *   record in etcd says so); lifted by `/control/restore` or the record returning to `serving`;
 * - `self-fenced`: the agent could not renew its registration for too long, so it cannot know
 *   whether it is still in rotation; lifted when the registration is current again.
 */
export type AdmissionHold = 'out-of-rotation' | 'self-fenced';

/** The one place that decides whether the data plane takes new sessions. */
export class Admission {
  private readonly holds = new Set<AdmissionHold>();

  constructor(private readonly gateway: ControlledGateway) {}

  /**
   * The gateway as control endpoints and drains see it: their `setAccepting` is the control
   * plane's hold, so a drain or a quarantine can never be undone by a self-fence being lifted.
   */
  controlView(): ControlledGateway {
    const { gateway } = this;
    const setAccepting = (accepting: boolean): void => void (accepting ? this.release('out-of-rotation') : this.hold('out-of-rotation'));
    return new Proxy(gateway, {
      get: (target, property) => {
        if (property === 'setAccepting') return setAccepting;
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
  }

  get reasons(): AdmissionHold[] {
    return [...this.holds].sort();
  }

  isHeld(hold: AdmissionHold): boolean {
    return this.holds.has(hold);
  }

  /** Returns true when this changed anything. */
  hold(hold: AdmissionHold): boolean {
    if (this.holds.has(hold)) return false;
    this.holds.add(hold);
    this.apply();
    return true;
  }

  release(hold: AdmissionHold): boolean {
    if (!this.holds.delete(hold)) return false;
    this.apply();
    return true;
  }

  private apply(): void {
    this.gateway.setAccepting(this.holds.size === 0);
  }
}
