export * from './chaos-policy.js';
export * from './chaos-run.js';
export * from './profiles.js';
export * from './scenario.js';
export * from './scenarios/catalogue.js';
