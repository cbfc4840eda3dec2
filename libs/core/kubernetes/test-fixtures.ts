import { type PodObservation } from './pod-observation.js';

/** A Ready gateway pod as an informer sees it; tests change only what they are about. */
export const podObservation = (change: Partial<PodObservation> = {}): PodObservation => ({
  uid: 'u1',
  name: 'gw-1',
  namespace: 'edge',
  gatewayId: 'gw-1',
  nodeName: 'node-a',
  ready: true,
  readyChangedAtMs: 0,
  restarts: 0,
  terminating: false,
  terminationGracePeriodSeconds: 30,
  ...change,
});
