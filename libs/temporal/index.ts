export * from './register-search-attributes.js';
export * from './remediation-client.js';
export * from './search-attributes.js';
export * from './task-queue.js';
export * from './temporal-settings.js';
export * from './ui-links.js';
export * from './sweep-schedules.js';
export * from './temporal-unavailable.js';
