import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Etcd3 } from 'etcd3';
import { Fleet } from '#devstack';
import { GatewayStateStore, connectEtcd } from '#etcd';
import { type RemediationActivities, createRemediationActivities } from '#remediation';

/**
 * Compensation puts a gateway back in rotation only if it answers: a frozen gateway whose
 * degrade could not be verified (its agent silent) must not get new clients. The chaos
 * matrix found it (gateway-sigstop-8s ended `compensated` while the gateway was still frozen).
 * The activity runs against a real etcd and a real gateway process.
 */
describe('compensation', () => {
  let fleet: Fleet;
  let etcd: Etcd3;
  let activities: RemediationActivities;
  const action = { gatewayId: 'gw-1', by: 'remediate:gw-1', reason: 'compensation test' };

  beforeAll(async () => {
    fleet = await Fleet.start({ gateways: 2, worker: false, useExisting: false });
    etcd = connectEtcd(fleet.stack.etcd.endpoints);
    activities = createRemediationActivities({ etcd, controlSecret: fleet.stack.controlSecret, isRunOpen: async () => true });
  });

  afterAll(async () => {
    fleet?.gateway('gw-1').app.process.signal('SIGCONT');
    etcd?.close();
    await fleet?.stop();
  });

  it('should keep a frozen gateway out of rotation, and put it back once it answers', async () => {
    await activities.degradeGateway(action);
    fleet.gateway('gw-1').app.process.signal('SIGSTOP');
    expect(await activities.returnToService({ ...action, onlyIfReachable: true })).toEqual({ reachable: false });
    expect((await new GatewayStateStore(etcd).get('gw-1'))?.state).toBe('degraded');

    fleet.gateway('gw-1').app.process.signal('SIGCONT');
    expect(await activities.returnToService({ ...action, onlyIfReachable: true })).toEqual({ reachable: true });
    expect((await new GatewayStateStore(etcd).get('gw-1'))?.state).toBe('serving');
  });
});
