import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type GatewayStatus } from '#agent';
import { PushClient } from '#client';
import { CloseCode } from '#core';
import { type EtcdServer, Fleet, waitUntil } from '#devstack';
import { GatewayStateStore, connectEtcd } from '#etcd';
import { totals } from '../support/clients.js';
import { RawSession } from '../data-plane/support/raw-session.js';

/** A newcomer's fate on `address`: welcomed, or closed with a code. */
const tryNewSession = async (address: string, sessionId: string): Promise<'welcomed' | number> => {
  const session = new RawSession(address, sessionId);
  const outcome = await Promise.race([session.welcomed().then(() => 'welcomed' as const), session.closed.then((c) => c.code)]);
  if (outcome === 'welcomed') session.close(1000);
  return outcome;
};

describe('agent self-fence', () => {
  let fleet: Fleet;
  let etcdServer: EtcdServer;
  const clients: PushClient[] = [];
  const closeCodes: number[] = [];
  const status = (id: string): Promise<GatewayStatus> => fleet.control(id).status();
  const setState = async (id: string, state: 'fenced' | 'serving'): Promise<void> => {
    const etcd = connectEtcd(fleet.stack.etcd.endpoints);
    await new GatewayStateStore(etcd).transition(id, state, 'test', Date.now(), 'self-fence test').finally(() => etcd.close());
  };

  beforeAll(async () => {
    fleet = await Fleet.start({
      gateways: 2,
      worker: false,
      useExisting: false,
      leaseTtlSeconds: 1,
      gatewayEnv: { SELF_FENCE_AFTER_MS: '1500' },
    });
    if (!fleet.stack.etcdServer) throw new Error('this test needs the embedded etcd');
    etcdServer = fleet.stack.etcdServer;
    const addresses = fleet.gatewayAddresses;
    for (let i = 0; i < 20; i++) {
      const client = new PushClient({
        sessionId: `fence-${i}`,
        gateways: addresses,
        topics: ['ticker'],
        onEvent: (event) => {
          if (event.kind === 'disconnected') closeCodes.push(event.code);
        },
      });
      clients.push(client);
      client.start();
    }
    await waitUntil('20 clients receiving on gw-1', async () => clients.every((c) => c.gatewayId === 'gw-1' && [...c.ledgers.values()].every((l) => l.received > 0)));
  });

  afterAll(async () => {
    etcdServer?.resume();
    clients.forEach((c) => c.stop());
    await fleet?.stop();
  });

  it('should shed every session with close 4504 and refuse newcomers when its state record says fenced, until restored', async () => {
    await setState('gw-1', 'fenced');
    await waitUntil('every client re-homed on gw-2', async () => clients.every((c) => c.connected && c.gatewayId === 'gw-2'));
    expect(closeCodes.filter((code) => code === CloseCode.Fenced)).toHaveLength(clients.length);
    expect(await status('gw-1')).toMatchObject({ sessions: 0, accepting: false, state: 'fenced', refusing: ['out-of-rotation'] });
    expect(await tryNewSession(fleet.gateway('gw-1').address, 'newcomer-1')).toBe(CloseCode.NotAccepting);

    const received = totals(clients).received;
    await waitUntil('messages flowing on gw-2', async () => totals(clients).received > received + clients.length);
    expect(totals(clients)).toMatchObject({ lost: 0, duplicates: 0, reorders: 0 });

    // Restore, as returnToService does it: the agent first, then the record.
    await fleet.control('gw-1').restore();
    await setState('gw-1', 'serving');
    await waitUntil('gw-1 accepting again', async () => (await status('gw-1')).accepting);
    expect(await tryNewSession(fleet.gateway('gw-1').address, 'newcomer-2')).toBe('welcomed');
  });

  it('should refuse new sessions while etcd cannot confirm its registration, keep serving the ones it has, and accept again once registered', async () => {
    etcdServer.pause();
    try {
      await waitUntil('gw-2 self-fenced', async () => (await status('gw-2')).refusing.includes('self-fenced'), { timeoutMs: 15_000 });
      expect(await tryNewSession(fleet.gateway('gw-2').address, 'newcomer-3')).toBe(CloseCode.NotAccepting);
      const received = totals(clients).received;
      await waitUntil('existing sessions still served', async () => totals(clients).received > received + clients.length);
    } finally {
      etcdServer.resume();
    }
    await waitUntil('gw-2 registered and accepting again', async () => {
      const now = await status('gw-2');
      return now.registered && now.accepting && now.refusing.length === 0;
    }, { timeoutMs: 15_000 });
    expect(await tryNewSession(fleet.gateway('gw-2').address, 'newcomer-4')).toBe('welcomed');
    expect(totals(clients)).toMatchObject({ lost: 0, duplicates: 0, reorders: 0 });
  });
});
