import { Registry, collectDefaultMetrics } from 'prom-client';

/** A process's own registry with Node's default metrics (CPU, memory, event loop), labelled by process. */
export const processRegistry = (process: string): Registry => {
  const registry = new Registry();
  registry.setDefaultLabels({ process });
  collectDefaultMetrics({ register: registry });
  return registry;
};

/** Seconds buckets for sub-second control-plane latencies (detection, out-of-rotation, interruption). */
export const LATENCY_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
