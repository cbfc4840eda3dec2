import { basename } from 'node:path';
import { type Fleet, type HomeostatProcess, type RunningApi } from '#devstack';

const logOf = (app: HomeostatProcess): string => (app.process.options.logFile ? basename(app.process.options.logFile) : '(no log file)');

/** Every endpoint of the running demo and which log file belongs to which process. */
export const formatEndpoints = (fleet: Fleet, api: RunningApi): string => {
  const rows: [string, string, string][] = [
    ['Temporal', `${fleet.stack.temporal.address} (namespace ${fleet.stack.temporal.namespace}), UI ${fleet.stack.temporal.uiUrl}`, 'temporal.log'],
    ['etcd', fleet.stack.etcd.endpoints.join(', '), 'etcd.log'],
    ['api', `${api.url}  (/ fleet page, /docs, /v1/…, /readyz, /metrics)`, logOf(api.app)],
  ];
  if (fleet.worker) rows.push(['worker', `${String(fleet.worker.ready.opsUrl)}  (/healthz, /readyz, /metrics)`, logOf(fleet.worker)]);
  for (const detector of fleet.detectors) rows.push([`detector`, `${String(detector.ready.opsUrl)}  (/healthz, /readyz, /metrics)`, logOf(detector)]);
  for (const gateway of [...fleet.gateways.values()].sort((a, b) => a.id.localeCompare(b.id))) {
    rows.push([`gateway ${gateway.id}`, `clients ${gateway.address}, control ${gateway.controlUrl}`, logOf(gateway.app)]);
  }
  rows.push(['publisher', `${fleet.publisher.url} (in the demo process)`, '(stdout)']);
  const width = Math.max(...rows.map(([name]) => name.length));
  return rows.map(([name, where, log]) => `  ${name.padEnd(width)}  ${where}\n  ${''.padEnd(width)}  log: ${log}`).join('\n');
};
