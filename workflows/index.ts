export { migrateSessions, migrationProgressQuery } from './migrate-sessions.js';
export { remediateGateway, reportQuery } from './remediate-gateway.js';
export { healthSweep } from './health-sweep.js';
