import { setTimeout as sleep } from 'node:timers/promises';
import { type ChaosContext, type InjectedFault, type Scenario } from '../scenario.js';
import { freeze, onOneGateway } from './fault-tools.js';

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

/** `count` gateways SIGKILLed `gapMs` apart: their clients must resume elsewhere by themselves. */
const gatewaysKilled = (name: string, fault: string, expected: string, count: number, gapMs?: number): Scenario => ({
  name,
  fault,
  expected,
  profiles: ['ci', 'full'],
  expectsRun: true,
  movesSessions: true,
  inject: async (context) => killGateways(context, await context.victims(count), gapMs),
});

export const gatewaySigkill = gatewaysKilled(
  'gateway-sigkill',
  'SIGKILL one gateway',
  'lease expiry / detector L3 starts one remediation; clients resume elsewhere on their own; the gateway comes back through restore',
  1,
);

export const twoGatewaysKilled = gatewaysKilled(
  'two-gateways-killed-50ms',
  'SIGKILL two gateways 50 ms apart',
  'one is quarantined, the blast radius refuses the second (needs-human, with the reason); every client resumes on the survivors',
  2,
  50,
);

/** A gateway frozen for `ms`: its sockets stay open and nothing answers. Short freezes are ridden out or degraded, long ones are left by the clients themselves. */
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
  inject: onOneGateway(async (context, id) => {
    const thawed = freeze(context.fleet.gateway(id).app.process, ms);
    return () => thawed;
  }),
});

export const writeBlock: Scenario = {
  name: 'write-block',
  fault: 'write-block fault on one gateway',
  expected: 'the gateway self-reports write-blocked; one remediation degrades it (no new sessions); no message is lost while acks are missing',
  profiles: ['ci', 'full'],
  expectsRun: true,
  movesSessions: false,
  inject: onOneGateway(async (context, id) => {
    await context.fleet.control(id).injectFault({ kind: 'write-block' });
    return async () => void (await context.fleet.control(id).clearFaults('write-block'));
  }),
};

/** How long the slow consumers stop reading: past the gateway's 5 s ack deadline (plus its 0.5 s write-block threshold and up to 2 s since their last ack). */
const STALL_MS = 8_000;

/**
 * A third of one gateway's clients stop reading their sockets (real slow consumers, not an
 * injected fault): the gateway must notice from their missing acks, hold what they have not
 * taken, and deliver it in order once they read again.
 */
export const slowConsumers: Scenario = {
  name: 'slow-consumer',
  fault: `a third of one gateway's clients stop reading ${STALL_MS / 1_000} s`,
  expected:
    'the gateway sees the late acks and self-reports write-blocked; one remediation degrades it (no new sessions); the stalled sessions stay, and once they read again they get every message in order',
  profiles: ['ci', 'full'],
  expectsRun: true,
  movesSessions: false,
  inject: onOneGateway(async (context, id) => {
    const on = (await context.load.report()).byGateway[id] ?? 0;
    const stalled = await context.load.stall(id, Math.ceil(on / 3), STALL_MS);
    if (stalled.length === 0) throw new Error(`no client on ${id} to stall`);
    context.log(`${stalled.length} of ${on} clients on ${id} stopped reading`);
    const resumed = sleep(STALL_MS);
    return () => resumed;
  }),
};

/** Frozen 500 ms out of every 1.5 s, six times: a gateway that keeps coming back. */
export const flappingGateway: Scenario = {
  name: 'flapping-gateway',
  fault: 'SIGSTOP 500 ms / SIGCONT 1 s, 6 times',
  expected: 'at most one acting remediation within the cooldown (no storm); no session is moved twice by one run; nothing lost',
  profiles: ['full'],
  expectsRun: false,
  movesSessions: false,
  inject: onOneGateway(async (context, id) => {
    const { process } = context.fleet.gateway(id).app;
    const flapping = (async () => {
      for (let i = 0; i < 6; i++) {
        await freeze(process, 500);
        await sleep(1_000);
      }
    })();
    return () => flapping;
  }),
};
