export * from './agent-control-client.js';
export * from './create-activities.js';
export * from './remediation-activities.js';
