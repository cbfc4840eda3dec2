export * from './create-activities.js';
export * from './fleet-access.js';
export * from './remediation-activities.js';
export * from './sweep-activities.js';
export * from './pod-actuation.js';
export * from './pod-actuator.js';
export * from './supervisor.js';
