export * from './delivery-ledger.js';
export * from './push-client.js';
