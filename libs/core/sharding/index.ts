export * from './rendezvous.js';
export * from './stable-hash.js';
