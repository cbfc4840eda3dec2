export * from './pod-findings.js';
export * from './pod-observation.js';
export * from './pod-signal-tracker.js';
export * from './rotation.js';
export * from './scale-out-debounce.js';
export * from './remediation-milestones.js';
export * from './lease-claim.js';
