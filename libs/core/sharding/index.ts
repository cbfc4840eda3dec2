export * from './rendezvous.js';
export * from './stable-hash.js';
export * from './observer-quorum.js';
export * from './observer-view.js';
export * from './observer-agreement.js';
