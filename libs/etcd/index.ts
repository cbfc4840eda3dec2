export * from './connect.js';
export * from './fleet-registry.js';
export * from './gateway-state-store.js';
export * from './json-value.js';
export * from './keys.js';
