export * from './auth-settings.js';
export * from './authenticator.js';
export * from './oidc-identities.js';
export * from './token-file-identities.js';
export * from './token-file-writer.js';
export * from './token-hash.js';
