import { setTimeout as sleep } from 'node:timers/promises';
import { parseSettings } from '#core';
import { GatewayAgent, listenForControl } from '#agent';
import { logMembership } from './membership-log.js';
import { connectEtcdWith } from '#etcd';
import { SessionHub, SignedRedirectAuthority, listenForClients } from '#push';
import { type Logger, READY_EVENT, createLogger, runProcess, startTracing } from '#runtime';
import { GatewaySettingsSchema } from './settings.js';

const bootLog = createLogger('gateway');

/** After SIGTERM: sessions leave by hot migration (a remediation drains us); exit once none is left or time is up. */
const waitForDrain = async (hub: SessionHub, waitMs: number, log: Logger): Promise<void> => {
  if (waitMs === 0) return;
  const deadline = Date.now() + waitMs;
  log.info({ event: 'shutdown-drain-wait', sessions: hub.sessionCount, waitMs }, 'waiting for the drain before exiting');
  while (hub.sessionCount > 0 && Date.now() < deadline) await sleep(100);
  log.info({ event: 'shutdown-drain-done', sessions: hub.sessionCount, waitedMs: waitMs - Math.max(0, deadline - Date.now()) }, 'exiting');
};

await runProcess(bootLog, async () => {
  const settings = parseSettings(GatewaySettingsSchema, process.env);
  const tracing = startTracing('gateway');
  const log = bootLog.child({ gatewayId: settings.GATEWAY_ID });
  const hub = new SessionHub({
    gatewayId: settings.GATEWAY_ID,
    publisherUrl: settings.PUBLISHER_URL,
    topics: settings.TOPICS,
    capacity: settings.GATEWAY_CAPACITY,
    replayWindow: settings.REPLAY_WINDOW,
    maxRetain: settings.REPLAY_MAX,
    releaseHoldMs: settings.HOLD_RELEASE_MS,
    sendHighWaterBytes: settings.SEND_HIGH_WATER_BYTES,
    maxFrameBytes: settings.MAX_FRAME_BYTES,
    backlogBudgetBytes: settings.SESSION_BACKLOG_BUDGET_BYTES,
    maxConnectionsPerIp: settings.MAX_CONNECTIONS_PER_IP,
    kernelSendQueueHighWaterBytes: settings.KERNEL_SEND_QUEUE_HIGH_WATER_BYTES,
    ackDeadlineMs: settings.ACK_DEADLINE_MS,
    retryBudgetMs: settings.RETRY_BUDGET_MS,
    sendQueueProbeMs: settings.VITALS_INTERVAL_MS,
    keepaliveIntervalMs: settings.KEEPALIVE_INTERVAL_MS,
    rttProbe: { intervalMs: settings.RTT_PROBE_INTERVAL_MS, perRound: settings.RTT_PROBE_SESSIONS },
    tokens: new SignedRedirectAuthority(settings.GATEWAY_ID, settings.REDIRECT_SECRET, settings.REDIRECT_TOKEN_TTL_MS),
    onError: (err: Error) => log.warn({ err }, 'upstream link error'),
    log,
  });
  const agent = new GatewayAgent({
    gatewayId: settings.GATEWAY_ID,
    gateway: hub,
    controlSecret: settings.CONTROL_SECRET,
    vitalsIntervalMs: settings.VITALS_INTERVAL_MS,
    writeBlock: { thresholdMs: settings.WRITE_BLOCK_THRESHOLD_MS, minBlockedFraction: settings.WRITE_BLOCK_MIN_FRACTION },
    errorBurst: { count: settings.ERROR_BURST_COUNT, windowMs: settings.ERROR_BURST_WINDOW_MS },
    tcpCounters: settings.TCP_COUNTERS,
    faultInjection: { enabled: settings.FAULT_INJECTION === 'enabled', atStart: settings.GATEWAY_FAULTS },
    onError: (err: Error) => log.warn({ err }, 'vitals not published'),
    log,
  });
  // Clients on the public listener; the control plane on its own (loopback by default), never mixed.
  const clients = await listenForClients(hub, { host: settings.GATEWAY_HOST, port: settings.GATEWAY_PORT, maxHandshakeBytes: settings.MAX_HANDSHAKE_BYTES, readiness: () => agent.readiness() });
  const control = await listenForControl(agent, settings.CONTROL_HOST, settings.CONTROL_PORT);
  const etcd = connectEtcdWith(settings);
  await agent.register({
    etcd,
    registration: {
      id: settings.GATEWAY_ID,
      address: clients.address,
      controlUrl: control.url,
      capacity: settings.GATEWAY_CAPACITY,
      zone: settings.GATEWAY_ZONE,
      version: '0.1.0',
    },
    leaseTtlSeconds: settings.GATEWAY_LEASE_TTL_SECONDS,
    ...(settings.SELF_FENCE_AFTER_MS ? { selfFenceAfterMs: settings.SELF_FENCE_AFTER_MS } : {}),
    // A fresh client per re-registration attempt: the old one may be waiting out etcd3's circuit breaker.
    connect: () => connectEtcdWith(settings),
    onMembership: (event) => logMembership(log, event),
  });
  log.info(
    {
      event: READY_EVENT,
      gatewayId: settings.GATEWAY_ID,
      address: clients.address,
      controlUrl: control.url,
      pid: process.pid,
      instanceId: agent.instanceId,
      tcpCounterSource: agent.tcpCounterSource,
    },
    'gateway ready',
  );
  return async () => {
    agent.announceShutdown();
    await waitForDrain(hub, settings.SHUTDOWN_DRAIN_WAIT_MS, log);
    await agent.leave().catch((err: unknown) => log.warn({ err }, 'deregistration failed'));
    hub.close();
    await Promise.all([clients.close(), control.close()]);
    etcd.close();
    await tracing.shutdown();
  };
});
