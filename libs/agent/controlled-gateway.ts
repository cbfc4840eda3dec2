import { type RedirectTarget } from '#push';

/** What the agent needs from the gateway it is embedded in; any gateway can implement it. */
export interface ControlledGateway {
  readonly sessionCount: number;
  readonly isAccepting: boolean;
  setAccepting(accepting: boolean): void;
  sessionIds(): string[];
  redirect(sessionIds: readonly string[], targets: readonly RedirectTarget[]): Promise<number>;
}
