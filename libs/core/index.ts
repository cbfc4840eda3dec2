export * from './config/index.js';
export * from './decision/index.js';
export * from './fleet/index.js';
export * from './health/index.js';
export * from './ids/workflow-ids.js';
export * from './policy/index.js';
export * from './protocol/index.js';
export * from './remediation/index.js';
