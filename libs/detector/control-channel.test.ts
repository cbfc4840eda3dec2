import { afterEach, describe, expect, it } from '@jest/globals';
import { type GatewayChannelFrame } from '#core';
import { waitUntil } from '#devstack';
import { ControlChannel, controlChannelUrl } from './control-channel.js';
import { detectorClock } from './gateway-monitor.js';
import { ChannelHost, RIG_CONTROL_SECRET } from './testing/detector-rig.js';

interface Heard {
  opened: number;
  frames: GatewayChannelFrame[];
  lost: string[];
  unsupported: string[];
}

const listen = (url: string, secret = RIG_CONTROL_SECRET): { channel: ControlChannel; heard: Heard } => {
  const heard: Heard = { opened: 0, frames: [], lost: [], unsupported: [] };
  const channel = new ControlChannel(
    url,
    {
      onOpen: () => (heard.opened += 1),
      onFrame: (frame) => heard.frames.push(frame),
      onLost: (cause) => heard.lost.push(cause),
      onUnsupported: (reason) => heard.unsupported.push(reason),
      onBadFrame: () => undefined,
    },
    detectorClock,
    { connectTimeoutMs: 1_000, secret },
  );
  channel.open();
  return { channel, heard };
};

describe(ControlChannel.name, () => {
  const hosts: ChannelHost[] = [];
  afterEach(async () => {
    await Promise.all(hosts.splice(0).map((h) => h.stop()));
  });

  it('should derive the channel URL from the control URL, keeping a path and the scheme\'s security', () => {
    expect(controlChannelUrl('http://10.0.0.1:8080')).toBe('ws://10.0.0.1:8080/control/channel');
    expect(controlChannelUrl('https://gw.example/agent/')).toBe('wss://gw.example/agent/control/channel');
  });

  it('should exchange ping and pong with a real agent channel and hear its self-reports', async () => {
    const host = await ChannelHost.start('gw-c');
    hosts.push(host);
    const { channel, heard } = listen(controlChannelUrl(host.registration.controlUrl));
    await waitUntil('the channel to open', async () => channel.isOpen);
    expect(channel.send({ t: 'ping', id: 7, sentAt: 123 })).toBe(true);
    host.channel.report('error-burst', { errors: 30 });
    await waitUntil('a pong and a report', async () => heard.frames.length === 2);
    expect(heard.frames).toEqual(
      expect.arrayContaining([
        { t: 'pong', id: 7, sentAt: 123, gatewayId: 'gw-c' },
        expect.objectContaining({ t: 'report', kind: 'error-burst', gatewayId: 'gw-c' }),
      ]),
    );
    channel.close();
    expect(heard.lost).toEqual([]);
  });

  it('should report a lost transport once when the gateway goes away, and nothing after a deliberate close', async () => {
    const host = await ChannelHost.start('gw-d');
    const { channel, heard } = listen(controlChannelUrl(host.registration.controlUrl));
    await waitUntil('the channel to open', async () => channel.isOpen);
    await host.stop();
    await waitUntil('the loss to be reported', async () => heard.lost.length > 0);
    expect(heard.lost).toHaveLength(1);
    expect(channel.send({ t: 'ping', id: 1, sentAt: 1 })).toBe(false);
  });

  it('should be refused (HTTP 401, no channel) when its upgrade is signed with another secret', async () => {
    const host = await ChannelHost.start('gw-locked');
    hosts.push(host);
    const { heard } = listen(controlChannelUrl(host.registration.controlUrl), 'another-secret-of-at-least-32-characters');
    await waitUntil('the refusal', async () => heard.unsupported.length > 0);
    expect(heard.unsupported[0]).toMatch(/HTTP 401/);
    expect(heard.opened).toBe(0);
    expect(host.channel.detectors).toBe(0);
  });

  it('should call a gateway without a control channel unsupported, not lost', async () => {
    const host = await ChannelHost.start('gw-e');
    hosts.push(host);
    const { heard } = listen(`${host.registration.address.replace('/ws', '')}/nothing-here`);
    await waitUntil('an answer', async () => heard.unsupported.length + heard.lost.length > 0);
    expect(heard.unsupported[0]).toContain('HTTP 404');
    expect(heard.lost).toEqual([]);
  });
});
