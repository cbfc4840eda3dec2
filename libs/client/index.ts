export * from './delivery-ledger.js';
export * from './push-client.js';
export * from './swarm/client-swarm.js';
export * from './swarm/remote-swarm.js';
