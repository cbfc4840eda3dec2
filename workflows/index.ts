export { migrateSessions, migrationProgressQuery } from './migrate-sessions.js';
export { remediateGateway, reportQuery } from './remediate-gateway.js';
export { healthSweep } from './health-sweep.js';
export { rebalanceFleet, rebalanceReportQuery } from './rebalance-fleet.js';
export { restoreGateway, restoreReportQuery } from './restore-gateway.js';
export { stormHold, stormReportQuery } from './storm-hold.js';
