import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { type Etcd3 } from 'etcd3';
import { pino } from 'pino';
import { ControlAuthenticator, ControlChannelServer } from '#agent';
import { type GatewayRegistration, type RemediationRequest } from '#core';
import { DetectionStore, FleetRegistry, GatewayStateStore, RttLevelStore } from '#etcd';
import { type RemediationRun } from '#temporal';
import { CorruptRecordCounter } from '../corrupt-records.js';
import { DetectionResponder } from '../detection-responder.js';
import { FleetDetector } from '../fleet-detector.js';
import { detectorClock } from '../gateway-monitor.js';
import { LivePolicy } from '../live-policy.js';
import { RttLevelPublisher } from '../rtt-level-publisher.js';

export const silentLog = pino({ level: 'silent' });

/** The control secret the rig's channels and detectors share. */
export const RIG_CONTROL_SECRET = 'rig-control-secret-of-at-least-32-characters';

/** A real agent control channel on a real HTTP server, as a gateway would serve it. */
export class ChannelHost {
  readonly channel: ControlChannelServer;
  private constructor(
    private readonly server: Server,
    readonly gatewayId: string,
    channel: ControlChannelServer,
  ) {
    this.channel = channel;
  }

  static async start(gatewayId: string, faults = { writeBlock: false, latencyMs: 0, hang: false }): Promise<ChannelHost> {
    const channel = new ControlChannelServer(gatewayId, () => faults, new ControlAuthenticator(RIG_CONTROL_SECRET));
    const server = createServer((_req, res) => res.writeHead(404).end());
    server.on('upgrade', (req, socket, head) => {
      if (!channel.handleUpgrade(req, socket, head)) socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new ChannelHost(server, gatewayId, channel);
  }

  get registration(): GatewayRegistration {
    const { port } = this.server.address() as AddressInfo;
    return { id: this.gatewayId, address: `ws://127.0.0.1:${port}/ws`, controlUrl: `http://127.0.0.1:${port}`, capacity: 100, zone: 'local', version: '0' };
  }

  async stop(): Promise<void> {
    this.channel.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Records the remediations the detector asks for instead of starting Temporal runs. */
export class RecordedRemediations {
  readonly requests: RemediationRequest[] = [];
  start(request: RemediationRequest): Promise<RemediationRun> {
    this.requests.push(request);
    return Promise.resolve({ workflowId: `remediate:${request.gatewayId}`, runId: `run-${this.requests.length}`, joined: false });
  }

  /** Evidence delivered to an open run only (a refresh, or a trigger for a handled incident). */
  readonly delivered: RemediationRequest[] = [];
  deliver(request: RemediationRequest): Promise<boolean> {
    this.delivered.push(request);
    return Promise.resolve(this.requests.some((r) => r.gatewayId === request.gatewayId));
  }
}

/** The detector's parts wired as apps/detector does, on a real etcd. */
export const startDetector = async (etcd: Etcd3): Promise<{ detector: FleetDetector; live: LivePolicy; corrupt: CorruptRecordCounter; remediations: RecordedRemediations }> => {
  const corrupt = new CorruptRecordCounter(silentLog);
  const live = new LivePolicy(etcd, silentLog, corrupt);
  await live.start();
  const registry = new FleetRegistry(etcd);
  const remediations = new RecordedRemediations();
  const responder = new DetectionResponder({
    detectorId: 'detector-test',
    policy: () => live.policy,
    remediations,
    registry,
    states: new GatewayStateStore(etcd),
    detections: new DetectionStore(etcd),
    log: silentLog,
    clock: detectorClock,
  });
  const rttLevels = new RttLevelPublisher('detector-test', new RttLevelStore(etcd), () => undefined);
  const detector = new FleetDetector({ etcd, registry, live, responder, log: silentLog, corrupt, rttSpikeFloorMs: 20, connectTimeoutMs: 1_000, controlSecret: RIG_CONTROL_SECRET, rttLevels });
  await detector.start();
  return { detector, live, corrupt, remediations };
};
