export * from './publisher.js';
export * from './redirect-authority.js';
export * from './retained-log.js';
export * from './retention.js';
export * from './session-hub.js';
export * from './signed-redirect-authority.js';
export * from './upstream/upstream-frames.js';
export * from './wire-message.js';
