export * from './create-activities.js';
export * from './fleet-access.js';
export * from './remediation-activities.js';
export * from './sweep-activities.js';
