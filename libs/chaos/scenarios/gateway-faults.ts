import { setTimeout as sleep } from 'node:timers/promises';
import { type ChaosContext, type InjectedFault, type Scenario } from '../scenario.js';

/** SIGKILLs `ids` (in order, `gapMs` apart); recovery starts each again on its old ports. */
const killGateways = async (context: ChaosContext, ids: readonly string[], gapMs = 0): Promise<InjectedFault> => {
  const at = Date.now();
  for (const [i, id] of ids.entries()) {
    if (i > 0 && gapMs > 0) await sleep(gapMs);
    context.processes.killed(`gateway ${id}`, context.fleet.gateway(id).app.process.pid);
    context.fleet.gateway(id).app.process.signal('SIGKILL');
  }
  await Promise.all(ids.map((id) => context.fleet.killGateway(id)));
  return {
    at,
    victims: ids,
    recover: async () => {
      for (const id of ids) await context.fleet.restartGateway(id);
    },
  };
};

/** SIGSTOPs a gateway for `ms`: its sockets stay open and nothing answers; recovery waits for the thaw. */
const freezeGateway = (context: ChaosContext, id: string, ms: number): InjectedFault => {
  const { process } = context.fleet.gateway(id).app;
  const at = Date.now();
  process.signal('SIGSTOP');
  const thawed = sleep(ms).then(() => process.signal('SIGCONT'));
  return { at, victims: [id], recover: () => thawed };
};

export const gatewaySigkill: Scenario = {
  name: 'gateway-sigkill',
  fault: 'SIGKILL one gateway',
  expected: 'lease expiry / detector L3 starts one remediation; clients resume elsewhere on their own; the gateway comes back through restore',
  profiles: ['ci', 'full'],
  expectsRun: true,
  movesSessions: true,
  inject: async (context) => killGateways(context, await context.victims(1)),
};

export const twoGatewaysKilled: Scenario = {
  name: 'two-gateways-killed-50ms',
  fault: 'SIGKILL two gateways 50 ms apart',
  expected: 'one is quarantined, the blast radius refuses the second (needs-human, with the reason); every client resumes on the survivors',
  profiles: ['ci', 'full'],
  expectsRun: true,
  movesSessions: true,
  inject: async (context) => killGateways(context, await context.victims(2), 50),
};

/** A gateway frozen for `ms`: short freezes are ridden out or degraded, long ones are left by the clients themselves. */
export const gatewaySigstop = (ms: number, profiles: Scenario['profiles']): Scenario => ({
  name: `gateway-sigstop-${ms / 1_000}s`,
  fault: `SIGSTOP one gateway ${ms / 1_000} s`,
  expected:
    ms >= 5_000
      ? 'detector L2 starts a remediation; clients leave the silent gateway after their 5 s silence deadline and resume elsewhere'
      : 'detector L2 (and, past ~1.5 s, lease expiry) starts one remediation; after the thaw the gateway is out of rotation until restored',
  profiles,
  expectsRun: true,
  movesSessions: ms >= 5_000,
  inject: async (context) => freezeGateway(context, (await context.victims(1))[0] as string, ms),
});

export const writeBlock: Scenario = {
  name: 'write-block',
  fault: 'write-block fault on one gateway',
  expected: 'the gateway self-reports write-blocked; one remediation degrades it (no new sessions); no message is lost while acks are missing',
  profiles: ['ci', 'full'],
  expectsRun: true,
  movesSessions: false,
  inject: async (context) => {
    const [id] = (await context.victims(1)) as [string];
    const at = Date.now();
    await context.fleet.control(id).injectFault({ kind: 'write-block' });
    return { at, victims: [id], recover: async () => void (await context.fleet.control(id).clearFaults('write-block')) };
  },
};

/** Frozen 500 ms out of every 1.5 s, six times: a gateway that keeps coming back. */
export const flappingGateway: Scenario = {
  name: 'flapping-gateway',
  fault: 'SIGSTOP 500 ms / SIGCONT 1 s, 6 times',
  expected: 'at most one acting remediation within the cooldown (no storm); no session is moved twice by one run; nothing lost',
  profiles: ['full'],
  expectsRun: false,
  movesSessions: false,
  inject: async (context) => {
    const [id] = (await context.victims(1)) as [string];
    const { process } = context.fleet.gateway(id).app;
    const at = Date.now();
    const flapping = (async () => {
      for (let i = 0; i < 6; i++) {
        process.signal('SIGSTOP');
        await sleep(500);
        process.signal('SIGCONT');
        await sleep(1_000);
      }
    })();
    return { at, victims: [id], recover: () => flapping };
  },
};
