import { CloseCode, type GatewayStateName, isOutOfRotation, mustShedSessions } from '#core';
import { type StateAtRevision } from '#etcd';
import { type ControlledGateway } from '../controlled-gateway.js';
import { type Admission } from './admission.js';

export type OwnStateEvent =
  | { readonly kind: 'state'; readonly state: GatewayStateName | undefined; readonly by: string | undefined }
  | { readonly kind: 'fenced'; readonly shed: number };

/**
 * The agent's view of its own state record (`/homeostat/state/<id>`), from a watch and from
 * a fresh read after every re-registration. Records are applied in revision order only, so
 * a watch catching up after an etcd outage can never replay an older `fenced` over a newer state.
 * Out of rotation → new sessions refused; `serving` → the control plane's hold is lifted;
 * `fenced` → every session shed (close 4504) and new ones refused until restored.
 */
export class OwnState {
  private revision = -1n;
  private current: GatewayStateName | undefined;

  constructor(
    private readonly gateway: ControlledGateway,
    private readonly admission: Admission,
    private readonly onEvent: (event: OwnStateEvent) => void,
  ) {}

  get state(): GatewayStateName | undefined {
    return this.current;
  }

  apply({ record, revision }: StateAtRevision): void {
    if (revision <= this.revision) return;
    this.revision = revision;
    const previous = this.current;
    this.current = record?.state;
    if (isOutOfRotation(this.current)) this.admission.hold('out-of-rotation');
    else if (this.current === 'serving') this.admission.release('out-of-rotation');
    if (this.current !== previous) this.onEvent({ kind: 'state', state: this.current, by: record?.by });
    if (mustShedSessions(this.current) && previous !== this.current) this.shed();
  }

  /** While fenced, a session that slipped in (admitted while the record was on its way) is shed too. */
  enforce(): void {
    if (mustShedSessions(this.current) && this.gateway.sessionCount > 0) this.shed();
  }

  private shed(): void {
    const shed = this.gateway.shedSessions(CloseCode.Fenced, 'gateway fenced: resume on another gateway');
    this.onEvent({ kind: 'fenced', shed });
  }
}
