export * from './blast-radius.js';
export * from './flap-damping.js';
export * from './rate-limit.js';
export * from './remediation-slot.js';
export * from './storm.js';
