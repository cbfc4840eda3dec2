import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { parseSettings } from '#core';
import { FleetRegistry, GatewayStateStore, LeaseWatchCursor, PolicyStore, StormStore, connectEtcdWith, timelineWriterOf } from '#etcd';
import { createRemediationActivities, createSweepActivities, httpSupervisor } from '#remediation';
import { READY_EVENT, RemediationMetrics, createLogger, etcdCheck, processRegistry, runProcess, startOpsServer, startTracing, temporalCheck } from '#runtime';
import { HOMEOSTAT_TASK_QUEUE, RemediationClient, temporalConnectionOptions, temporalRunLiveness } from '#temporal';
import { watchFleet } from './fleet-watcher.js';
import { setUpK8s } from './k8s-mode.js';
import { WorkerSettingsSchema } from './settings.js';
import { ensureDefaultSweepSchedule } from './sweep-schedule.js';
import { migrationCounting, runSinks } from './run-metrics.js';
import { installTemporalRuntime, sdkMetrics } from './temporal-runtime.js';
import { tracingClientInterceptors, tracingInterceptors, workflowSpanSink } from './worker-tracing.js';

const log = createLogger('worker');

/** Built by `npm run build` (scripts/bundle-workflows.mjs): the worker runs exactly what was bundled and replay-tested. */
const WORKFLOW_BUNDLE = fileURLToPath(new URL('../../workflow-bundle.js', import.meta.url));

const workflowBundle = (): { codePath: string } => {
  if (!existsSync(WORKFLOW_BUNDLE)) throw new Error(`the workflow bundle ${WORKFLOW_BUNDLE} is missing: run \`npm run build\` first`);
  return { codePath: WORKFLOW_BUNDLE };
};

await runProcess(log, async () => {
  const settings = parseSettings(WorkerSettingsSchema, process.env);
  const tracing = startTracing('worker');
  const sdkMetricsUrl = await installTemporalRuntime(log);
  const registry = processRegistry('worker');
  const metrics = new RemediationMetrics(registry);
  const etcd = connectEtcdWith(settings);
  const connectionOptions = temporalConnectionOptions(settings);
  const timeline = timelineWriterOf(etcd, settings);
  const k8s = setUpK8s(settings, etcd, log, timeline);
  const clientConnection = await Connection.connect(connectionOptions);
  const temporal = new Client({ connection: clientConnection, namespace: settings.TEMPORAL_NAMESPACE, interceptors: tracingClientInterceptors() });
  const workerConnection = await NativeConnection.connect(connectionOptions);
  const worker = await Worker.create({
    connection: workerConnection,
    namespace: settings.TEMPORAL_NAMESPACE,
    taskQueue: HOMEOSTAT_TASK_QUEUE,
    workflowBundle: workflowBundle(),
    activities: {
      ...createRemediationActivities({
        etcd,
        controlSecret: settings.CONTROL_SECRET, pods: k8s.actuation, isRunOpen: temporalRunLiveness(temporal),
        ...(settings.SUPERVISOR_URL ? { supervisor: httpSupervisor(settings.SUPERVISOR_URL) } : {}),
        ...(timeline ? { timeline } : {}),
      }),
      ...createSweepActivities({ etcd }),
    },
    sinks: { ...runSinks(metrics), ...workflowSpanSink(tracing) },
    interceptors: { activity: [tracingInterceptors(), migrationCounting(metrics)] },
  });
  const running = worker.run();
  const remediations = new RemediationClient(temporal);
  if (settings.SWEEP_SCHEDULE) await ensureDefaultSweepSchedule(temporal, settings.SWEEP_EVERY_SECONDS, log);
  const policies = new PolicyStore(etcd);
  const incidentSettings = async () => (await policies.current()).policy.incident;
  // Singleton duties (the lease-expiry watcher, the K8s controllers) run in the leader only.
  const resign = await k8s.elector.campaign(async () => {
    const stopWatching = settings.WATCH_LEASES
      ? await watchFleet({
          registry: new FleetRegistry(etcd),
          states: new GatewayStateStore(etcd),
          runs: remediations,
          log,
          controlSecret: settings.CONTROL_SECRET,
          incidentSettings,
          storms: new StormStore(etcd),
          cursor: new LeaseWatchCursor(etcd),
          ...(timeline ? { timeline } : {}),
        })
      : async () => undefined;
    const stopK8s = await k8s.leaderDuties(remediations, log);
    return async () => {
      await stopK8s();
      await stopWatching();
    };
  });
  const ops = await startOpsServer({
    host: settings.METRICS_HOST,
    port: settings.METRICS_PORT,
    checks: [etcdCheck(etcd), temporalCheck(clientConnection)],
    metrics: async () => `${await registry.metrics()}\n${await sdkMetrics(sdkMetricsUrl)}`,
    log,
  });
  log.info({ event: READY_EVENT, taskQueue: HOMEOSTAT_TASK_QUEUE, watchLeases: settings.WATCH_LEASES, k8sMode: settings.K8S_MODE, opsUrl: ops.url }, 'worker ready');
  return async () => {
    await ops.close();
    await resign();
    worker.shutdown();
    await running;
    await clientConnection.close();
    await workerConnection.close();
    etcd.close();
    await tracing.shutdown();
  };
});
