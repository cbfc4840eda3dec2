import { createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import { parseSettings } from '#core';
import { GatewayAgent } from '#agent';
import { connectEtcd } from '#etcd';
import { SessionHub, SignedRedirectAuthority } from '#push';
import { READY_EVENT, createLogger, runProcess } from '#runtime';
import { GatewaySettingsSchema } from './settings.js';

const bootLog = createLogger('gateway');

await runProcess(bootLog, async () => {
  const settings = parseSettings(GatewaySettingsSchema, process.env);
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
    rttProbe: { intervalMs: settings.RTT_PROBE_INTERVAL_MS, perRound: settings.RTT_PROBE_SESSIONS },
    tokens: new SignedRedirectAuthority(settings.GATEWAY_ID, settings.REDIRECT_SECRET, settings.REDIRECT_TOKEN_TTL_MS),
    onError: (err: Error) => log.warn({ err }, 'upstream link error'),
    log,
  });
  const agent = new GatewayAgent({
    gatewayId: settings.GATEWAY_ID,
    gateway: hub,
    vitalsIntervalMs: settings.VITALS_INTERVAL_MS,
    writeBlock: { thresholdMs: settings.WRITE_BLOCK_THRESHOLD_MS, minBlockedFraction: settings.WRITE_BLOCK_MIN_FRACTION },
    errorBurst: { count: settings.ERROR_BURST_COUNT, windowMs: settings.ERROR_BURST_WINDOW_MS },
    tcpCounters: settings.TCP_COUNTERS,
    faultInjection: { enabled: settings.FAULT_INJECTION === 'enabled', atStart: settings.GATEWAY_FAULTS },
    onError: (err: Error) => log.warn({ err }, 'vitals not published'),
    log,
  });
  const server = createServer((req, res) => {
    if (!agent.handleRequest(req, res)) res.writeHead(404).end();
  });
  // Clients on /ws, detectors on /control/channel; anything else is not a WebSocket here.
  server.on('upgrade', (req, socket, head) => {
    if (!hub.handleUpgrade(req, socket, head) && !agent.handleUpgrade(req, socket, head)) socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
  });
  await new Promise<void>((resolve) => server.listen(settings.GATEWAY_PORT, settings.GATEWAY_HOST, resolve));
  const { port } = server.address() as AddressInfo;
  const base = `${settings.GATEWAY_HOST}:${port}`;
  const etcd = connectEtcd(settings.ETCD_ENDPOINTS);
  await agent.register({
    etcd,
    registration: {
      id: settings.GATEWAY_ID,
      address: `ws://${base}/ws`,
      controlUrl: `http://${base}`,
      capacity: settings.GATEWAY_CAPACITY,
      zone: settings.GATEWAY_ZONE,
      version: '0.1.0',
    },
    leaseTtlSeconds: settings.GATEWAY_LEASE_TTL_SECONDS,
    onLeaseLost: (err: Error) => log.error({ err }, 'registration lease lost'),
  });
  log.info(
    {
      event: READY_EVENT,
      gatewayId: settings.GATEWAY_ID,
      address: `ws://${base}/ws`,
      controlUrl: `http://${base}`,
      pid: process.pid,
      tcpCounterSource: agent.tcpCounterSource,
    },
    'gateway ready',
  );
  return async () => {
    agent.announceShutdown();
    await agent.leave().catch((err: unknown) => log.warn({ err }, 'deregistration failed'));
    hub.close();
    server.close();
    etcd.close();
  };
});
