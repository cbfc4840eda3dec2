export * from './bearer.js';
export * from './identity.js';
export * from './roles.js';
export * from './token-file.js';
