export * from './logger.js';
export * from './run-process.js';
export * from './nest-logger.js';
export * from './temporal-logger.js';
