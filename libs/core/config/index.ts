export * from './parse-settings.js';
export * from './setting-types.js';
