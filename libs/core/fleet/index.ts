export * from './gateway-registration.js';
export * from './gateway-state.js';
export * from './gateway-vitals.js';
export * from './rtt-level.js';
