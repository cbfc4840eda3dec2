export * from './control-requests.js';
export * from './control-routes.js';
export * from './controlled-gateway.js';
export * from './gateway-agent.js';
