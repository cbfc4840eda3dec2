import { type ProfileName, type Scenario } from '../scenario.js';
import { apiRestartDuringApproval } from './approval-faults.js';
import {
  detectorKilledDuringHang,
  etcdKilledAndRestarted,
  etcdPaused,
  temporalRestartMidMigration,
  workerFrozenMidMigration,
  workerKilledMidMigration,
} from './control-plane-faults.js';
import { flappingGateway, gatewaySigkill, gatewaySigstop, slowConsumers, twoGatewaysKilled, writeBlock } from './gateway-faults.js';
import { lossyClientLink } from './network-faults.js';
import { publisherRestart } from './publisher-faults.js';

/** Every scenario, in the order a run plays them. */
export const SCENARIOS: readonly Scenario[] = [
  gatewaySigkill,
  gatewaySigstop(1_000, ['full']),
  gatewaySigstop(3_000, ['ci', 'full']),
  gatewaySigstop(8_000, ['ci', 'full']),
  twoGatewaysKilled,
  writeBlock,
  slowConsumers,
  lossyClientLink,
  flappingGateway,
  workerKilledMidMigration,
  workerFrozenMidMigration,
  temporalRestartMidMigration,
  etcdPaused,
  etcdKilledAndRestarted,
  detectorKilledDuringHang,
  apiRestartDuringApproval,
  publisherRestart,
];

export const scenariosOf = (profile: ProfileName, only?: readonly string[]): Scenario[] =>
  SCENARIOS.filter((s) => (only?.length ? only.includes(s.name) : s.profiles.includes(profile)));
