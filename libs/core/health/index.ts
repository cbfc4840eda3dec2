export * from './health-metrics.js';
export * from './ewma-baseline.js';
export * from './adaptive-threshold.js';
export * from './score.js';
export * from './health-tracker.js';
