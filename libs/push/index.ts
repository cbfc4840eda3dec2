export * from './publisher.js';
export * from './redirect-authority.js';
export * from './retained-log.js';
export * from './session-hub.js';
export * from './signed-redirect-authority.js';
