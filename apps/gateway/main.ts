import { createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import { parseSettings } from '#core';
import { ControlRoutes, GatewayAgent } from '#agent';
import { connectEtcd } from '#etcd';
import { SessionHub, SignedRedirectAuthority } from '#push';
import { READY_EVENT, createLogger, runProcess } from '#runtime';
import { GatewaySettingsSchema } from './settings.js';

const log = createLogger('gateway');

await runProcess(log, async () => {
  const settings = parseSettings(GatewaySettingsSchema, process.env);
  const server = createServer();
  const hub = new SessionHub(server, {
    gatewayId: settings.GATEWAY_ID,
    publisherUrl: settings.PUBLISHER_URL,
    topics: settings.TOPICS,
    capacity: settings.GATEWAY_CAPACITY,
    replayWindow: settings.REPLAY_WINDOW,
    tokens: new SignedRedirectAuthority(settings.GATEWAY_ID, settings.REDIRECT_SECRET),
    onError: (err) => log.warn({ err }, 'upstream link error'),
  });
  const control = new ControlRoutes(settings.GATEWAY_ID, hub);
  server.on('request', (req, res) => {
    if (!control.handle(req, res)) res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(settings.GATEWAY_PORT, settings.GATEWAY_HOST, resolve));
  const { port } = server.address() as AddressInfo;
  const base = `${settings.GATEWAY_HOST}:${port}`;
  const etcd = connectEtcd(settings.ETCD_ENDPOINTS);
  const agent = await GatewayAgent.start({
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
    onLeaseLost: (err) => log.error({ err }, 'registration lease lost'),
  });
  log.info({ event: READY_EVENT, gatewayId: settings.GATEWAY_ID, address: `ws://${base}/ws`, controlUrl: `http://${base}` }, 'gateway ready');
  return async () => {
    await agent.leave().catch((err: unknown) => log.warn({ err }, 'deregistration failed'));
    hub.close();
    server.close();
    etcd.close();
  };
});
