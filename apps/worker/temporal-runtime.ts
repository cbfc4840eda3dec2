import { createServer } from 'node:net';
import { Runtime } from '@temporalio/worker';
import { type Logger, temporalLogger } from '#runtime';

/** A port free right now on the host (Core's Prometheus exporter wants a concrete address). */
const freePort = (host: string): Promise<number> =>
  new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });

/**
 * Installs the SDK runtime once, before any connection: its logs (the TS side and
 * Core's native side, forwarded) go through the process's pino logger, and Core's
 * own worker metrics (task slots, polls, latencies) are exported in Prometheus
 * format on a loopback port that the worker's /metrics appends to its own.
 * Returns that endpoint.
 */
export const installTemporalRuntime = async (log: Logger, host = '127.0.0.1'): Promise<string> => {
  const bindAddress = `${host}:${await freePort(host)}`;
  Runtime.install({
    logger: temporalLogger(log),
    telemetryOptions: {
      logging: { filter: { core: 'WARN', other: 'ERROR' }, forward: {} },
      metrics: { prometheus: { bindAddress } },
    },
  });
  return `http://${bindAddress}/metrics`;
};

/** The SDK's metrics text, or a comment saying why it is missing (a scrape must not fail for it). */
export const sdkMetrics = async (url: string): Promise<string> => {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
    return response.ok ? await response.text() : `# Temporal SDK metrics unavailable: HTTP ${response.status}\n`;
  } catch (error) {
    return `# Temporal SDK metrics unavailable: ${error instanceof Error ? error.message : String(error)}\n`;
  }
};
