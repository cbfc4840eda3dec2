export * from './gateway-registration.js';
export * from './gateway-state.js';
