export * from './remediation-report.js';
export * from './decide-remediation.js';
export * from './evidence.js';
export * from './run-facts.js';
export * from './activity-timing.js';
export * from './incident.js';
export * from './verification.js';
export * from './admission.js';
