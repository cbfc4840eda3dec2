import { type ProfileName } from './scenario.js';

export interface ChaosProfile {
  readonly name: ProfileName;
  /** Push sessions held throughout the run. */
  readonly sessions: number;
  readonly gateways: number;
  readonly messagesPerSecond: number;
}

/**
 * Both hold the 2 000 sessions. `ci` plays the scenarios that guard the most
 * (9) and fits this 2-core machine in about five minutes (measured 4 min 30 s at 2 000,
 * plus the build); `full` is the release matrix, every scenario.
 */
export const PROFILES: Readonly<Record<ProfileName, ChaosProfile>> = {
  ci: { name: 'ci', sessions: 2_000, gateways: 4, messagesPerSecond: 10 },
  full: { name: 'full', sessions: 2_000, gateways: 4, messagesPerSecond: 10 },
};
