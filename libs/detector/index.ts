export * from './control-channel.js';
export * from './corrupt-records.js';
export * from './detection-responder.js';
export * from './fleet-detector.js';
export * from './gateway-monitor.js';
export * from './live-policy.js';
export * from './monitor-journal.js';
export * from './observer-shard.js';
