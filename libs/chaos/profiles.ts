import { type ProfileName } from './scenario.js';

export interface ChaosProfile {
  readonly name: ProfileName;
  /** Push sessions held throughout the run. */
  readonly sessions: number;
  readonly gateways: number;
  readonly messagesPerSecond: number;
}

/**
 * `ci` fits this 2-core machine in about five minutes; `full` is the release
 * matrix at the 2 000 sessions (every scenario, longer).
 */
export const PROFILES: Readonly<Record<ProfileName, ChaosProfile>> = {
  ci: { name: 'ci', sessions: 400, gateways: 4, messagesPerSecond: 10 },
  full: { name: 'full', sessions: 2_000, gateways: 4, messagesPerSecond: 10 },
};
