import { Client, Connection } from '@temporalio/client';
import { DEFAULT_COMPACTION, type FleetMember, parseSettings } from '#core';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import { DetectionStore, DetectorRoster, FleetRegistry, GatewayStateStore, ObserverViewStore, RttLevelStore, StormStore, TimelineStore, connectEtcdWith, timelineRetentionOf } from '#etcd';
import { DetectorMetrics, READY_EVENT, SpanKind, createLogger, etcdCheck, inClientSpan, processRegistry, runProcess, startOpsServer, startTracing, temporalCheck } from '#runtime';
import { RemediationClient, temporalConnectionOptions } from '#temporal';
import {
  CorruptRecordCounter,
  DetectionResponder,
  FleetDetector,
  LivePolicy,
  LoopStallWatch,
  ObserverAgreement,
  ObserverViewPublisher,
  RendezvousShard,
  RttLevelPublisher,
  StormWatch,
  TimelineRecorder,
  detectorClock,
} from '#detector';
import { DetectorProcessSettingsSchema } from './settings.js';

const bootLog = createLogger('detector');

await runProcess(bootLog, async () => {
  const settings = parseSettings(DetectorProcessSettingsSchema, process.env);
  const tracing = startTracing('detector');
  const log = bootLog.child({ detectorId: settings.DETECTOR_ID });
  const metricsRegistry = processRegistry('detector');
  const metrics = new DetectorMetrics(metricsRegistry);
  const etcd = connectEtcdWith(settings);
  const connection = await Connection.connect(temporalConnectionOptions(settings));
  const registry = new FleetRegistry(etcd);
  // A finding starts a trace; Temporal's client interceptor carries it into the run.
  const remediations = new RemediationClient(new Client({ connection, namespace: settings.TEMPORAL_NAMESPACE, interceptors: { workflow: [new OpenTelemetryWorkflowClientInterceptor()] } }));
  const corrupt = new CorruptRecordCounter(log);
  const live = new LivePolicy(etcd, log, corrupt);
  await live.start();
  const shard = new RendezvousShard(settings.DETECTOR_ID, live.policy.detector.observers);
  live.onChange((next) => shard.setObservers(next.detector.observers));
  // Views live under this detector's membership lease: they vanish with it (SIGKILL included).
  const viewStore = new ObserverViewStore(etcd, (key, value) => roster.putUnderLease(key, value));
  const views = new ObserverViewPublisher({ detectorId: settings.DETECTOR_ID, store: viewStore, viewFreshMs: () => live.policy.detector.agreement.viewFreshMs, now: Date.now, log });
  const roster: DetectorRoster = new DetectorRoster(etcd, {
    self: { id: settings.DETECTOR_ID, zone: settings.DETECTOR_ZONE, startedAt: Date.now() },
    leaseTtlSeconds: settings.DETECTOR_LEASE_TTL_SECONDS,
    connect: () => connectEtcdWith(settings),
    onChange: (members) => {
      log.info({ event: 'detectors-changed', detectors: members.map((m) => m.id) }, 'live detectors changed');
      shard.setMembers(members);
    },
    onRegistered: () => views.republish(),
    onError: (error) => log.warn({ event: 'detector-roster-error', err: error.message }, 'detector membership'),
  });
  const agreement = new ObserverAgreement({
    detectorId: settings.DETECTOR_ID,
    shard,
    views: viewStore,
    registry,
    settings: () => live.policy.detector.agreement,
    now: Date.now,
    onCorrupt: corrupt.handler('observer-view'),
    onUnreadable: (err: unknown) => log.warn({ event: 'observer-views-unreadable', err }, 'observer views unreadable: the verdict stands alone after the wait'),
  });
  // Storm mode asks for both every second: a watch keeps them, not a read of every record each time.
  const downViews = await viewStore.followDown(corrupt.handler('observer-view'), (err) => log.warn({ event: 'observer-views-unwatched', err }, 'observer views watch failed'));
  // The storm watch starts before the detector that follows the registry: until then it reads the registry itself.
  let following: FleetDetector | undefined = undefined;
  const fleetNow = async (): Promise<FleetMember[]> => following?.fleet ?? (await registry.list()).map((g) => ({ id: g.id, zone: g.zone }));
  const storm = new StormWatch({
    store: new StormStore(etcd),
    downElsewhere: async () => downViews.views().map((v) => ({ gatewayId: v.gatewayId, sinceMs: v.sinceMs })),
    fleet: fleetNow,
    settings: () => live.policy.guardrails.storm,
    now: Date.now,
    announce: (state) => remediations.startStormHold(state),
    log,
    metrics,
  });
  await storm.start();
  const responder = new DetectionResponder({
    detectorId: settings.DETECTOR_ID,
    policy: () => live.policy,
    remediations: {
      start: (request) => inClientSpan(`finding ${request.gatewayId}`, { 'homeostat.gateway': request.gatewayId, 'homeostat.reason': request.reason }, () => remediations.start(request), SpanKind.PRODUCER),
      deliver: (request) => remediations.deliver(request),
    },
    registry,
    states: new GatewayStateStore(etcd),
    detections: new DetectionStore(etcd),
    log,
    clock: detectorClock,
    metrics,
    agreement,
    storm,
  });
  if (settings.DETECTOR_PARTITION_FROM.size > 0) {
    log.warn({ event: 'fault-injection', partitionedFrom: [...settings.DETECTOR_PARTITION_FROM] }, 'fault injection: this detector is cut off from these gateways (DETECTOR_PARTITION_FROM; tests and chaos only)');
  }
  const timeline =
    settings.TIMELINES === 'on'
      ? new TimelineRecorder({
          store: new TimelineStore(etcd),
          detectorId: settings.DETECTOR_ID,
          policy: () => live.policy,
          shadow: () => live.shadowFlag,
          rttSpikeFloorMs: settings.DETECTOR_RTT_SPIKE_FLOOR_MS,
          log,
          now: Date.now,
          settings: {
            compaction: { ...DEFAULT_COMPACTION, periodMs: settings.TIMELINE_PERIOD_MS },
            retention: timelineRetentionOf(settings),
            flushMs: 500,
            pruneEveryMs: 60_000,
          },
        })
      : undefined;
  timeline?.start();
  const loop = new LoopStallWatch({ log, warnAfterMs: () => live.policy.detector.pongTimeoutMs, onStall: (stall) => metrics.stalled(stall.toMs - stall.fromMs) });
  loop.start();
  const detector = new FleetDetector({
    etcd,
    registry,
    live,
    responder,
    log,
    corrupt,
    rttSpikeFloorMs: settings.DETECTOR_RTT_SPIKE_FLOOR_MS,
    connectTimeoutMs: settings.DETECTOR_CONNECT_TIMEOUT_MS,
    controlSecret: settings.CONTROL_SECRET,
    shard,
    rttLevels: new RttLevelPublisher(settings.DETECTOR_ID, new RttLevelStore(etcd), (err) => log.warn({ err }, 'RTT level not published')),
    timeline,
    views,
    partitionedFrom: settings.DETECTOR_PARTITION_FROM,
    stalledWithin: loop.within,
  });
  await detector.start();
  following = detector;
  await roster.start();
  const ops = await startOpsServer({
    host: settings.METRICS_HOST,
    port: settings.METRICS_PORT,
    checks: [etcdCheck(etcd), temporalCheck(connection)],
    metrics: () => metricsRegistry.metrics(),
    log,
  });
  log.info(
    { event: READY_EVENT, policyVersion: live.policy.version, mode: live.policy.mode, zone: settings.DETECTOR_ZONE, detectors: roster.live.map((m) => m.id), gateways: detector.gatewayIds, opsUrl: ops.url },
    'detector ready',
  );
  return async () => {
    await ops.close();
    await roster.stop();
    await detector.stop();
    loop.stop();
    await storm.stop();
    await downViews.stop();
    await timeline?.stop();
    await live.stop();
    await connection.close();
    etcd.close();
    await tracing.shutdown();
  };
});
