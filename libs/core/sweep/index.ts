export * from './sweep-settings.js';
export * from './fleet-snapshot.js';
export * from './staleness.js';
export * from './assess-gateway.js';
export * from './sweep-reason.js';
export * from './sweep-report.js';
export * from './plan-sweep.js';
export * from './sweep-ids.js';
