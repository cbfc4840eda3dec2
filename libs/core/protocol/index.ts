export * from './close-codes.js';
export * from './messages.js';
export * from './control-channel.js';
export * from './connection-attempt.js';
