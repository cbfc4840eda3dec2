export * from './crd.js';
export * from './failover-policy-crd.js';
export * from './stream-session-crd.js';
export * from './structural-schema.js';
export * from './render-crds.js';
export * from './install-crds.js';
