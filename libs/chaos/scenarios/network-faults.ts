import { setTimeout as sleep } from 'node:timers/promises';
import { GOOD_LINK, type LinkConditions } from '#core';
import { seededRandom } from '#core/rebalance/seeded-random';
import { waitUntil } from '#devstack';
import { watchVitals } from '#etcd';
import { LossyLink } from '../network/lossy-link.js';
import { type ChaosContext, type InjectedFault, type Scenario } from '../scenario.js';
import { noRunActed } from './fault-tools.js';

const BAD_LINK: LinkConditions = { delayMs: 150, jitterMs: 50, lossRate: 0.05 };
const BAD_FOR_MS = 8_000;
/** The link stays, good again, this long before its clients go back to the gateway's own port. */
const GOOD_AGAIN_MS = 1_000;

/** `address` (a gateway's client URL) with the link's port instead of the gateway's. */
const through = (address: string, port: number): string => {
  const url = new URL(address);
  url.port = String(port);
  return url.toString();
};

const allConnected = async (context: ChaosContext): Promise<boolean> => {
  const report = await context.load.report();
  return report.connected === report.clients;
};

/**
 * The highest client round trip `id`'s own RTT probe reports (in its vitals) from `since` on:
 * whether the gateway's real signals saw the bad link that automation is expected not to punish.
 */
const watchClientRtt = async (context: ChaosContext, id: string, since: number): Promise<{ readonly highestMs: () => number; readonly stop: () => Promise<void> }> => {
  const etcd = context.fleet.stack.connectEtcd();
  let highestMs = 0;
  const stop = await watchVitals(etcd, {
    onVitals: (vitals) => {
      if (vitals.gatewayId === id && vitals.at >= since) highestMs = Math.max(highestMs, ...vitals.rttSamplesMs);
    },
    onGone: () => undefined,
    onError: () => undefined,
  }).catch((error: unknown) => {
    etcd.close();
    throw error;
  });
  return {
    highestMs: () => highestMs,
    stop: async () => {
      await stop().catch(() => undefined);
      etcd.close();
    },
  };
};

/**
 * Puts a LossyLink in front of `id`'s client port and moves a third of its clients behind it
 * (a resume on the new address); the link turns bad at the returned fault's `at`, good again
 * BAD_FOR_MS later. Recovery moves them back and closes the link.
 */
const badLinkInFrontOf = async (context: ChaosContext, id: string): Promise<InjectedFault> => {
  const { address } = context.fleet.gateway(id);
  const target = new URL(address);
  // Its own stream from the seed: one draw, so the traffic's timing cannot shift later scenarios' victims.
  const link = await LossyLink.open({ target: { host: target.hostname, port: Number(target.port) }, random: seededRandom(Math.floor(context.random() * 2 ** 32)) });
  try {
    const on = (await context.load.report()).byGateway[id] ?? 0;
    const moved = await context.load.moveTo(id, through(address, link.port), Math.ceil(on / 3));
    if (moved.length === 0) throw new Error(`no client on ${id} to put behind the link`);
    await waitUntil(`the ${moved.length} clients moved behind the link to resume`, () => allConnected(context), { timeoutMs: 20_000 });
    context.log(`${link.connections} of ${on} clients reach ${id} through a link on port ${link.port}`);
  } catch (error) {
    await link.close();
    throw error;
  }
  const at = Date.now();
  link.set(BAD_LINK);
  // From a second in: the probe's samples from before the link went bad have been replaced by then.
  const rtt = await watchClientRtt(context, id, at + 1_000).catch(() => undefined);
  const goodAgain = sleep(BAD_FOR_MS).then(() => link.set(GOOD_LINK));
  return {
    at,
    victims: [id],
    recover: async () => {
      await goodAgain;
      await rtt?.stop();
      context.log(`while the link was bad, ${id}'s own client RTT probe saw up to ${rtt?.highestMs().toFixed(0) ?? '?'} ms`);
      await sleep(GOOD_AGAIN_MS);
      const behind = link.connections;
      await context.load.moveTo(id, address, Number.MAX_SAFE_INTEGER);
      // Whoever could not move (a redirect under way, say) is reset by the close and reconnects by itself.
      await waitUntil('the link to be empty', async () => link.connections === 0, { timeoutMs: 10_000 }).catch(() => undefined);
      context.log(`link on ${id}: ${link.accepted} connections, ${link.chunks} chunks carried, ${link.losses} held back for a retransmission; ${behind} moved back`);
      await link.close();
    },
    problems: () => (link.losses === 0 ? [`the link lost nothing: the fault was not injected (${link.accepted} connections carried)`] : []),
  };
};

/**
 * A share of one gateway's clients reach it over a bad network: 150 ± 50 ms each way and 5 %
 * of chunks stalled for a retransmission timeout, for 8 s. The gateway itself is healthy, so
 * nothing may take it out of rotation, and the clients behind the link must lose nothing.
 */
export const lossyClientLink: Scenario = {
  name: 'lossy-client-link',
  fault: `a third of one gateway's clients over ${BAD_LINK.delayMs}±${BAD_LINK.jitterMs} ms, ${BAD_LINK.lossRate * 100} % loss for ${BAD_FOR_MS / 1_000} s`,
  expected:
    'every client behind the bad link gets every message in order, only later; the gateway is healthy, so no run takes it out of rotation and no session is moved',
  profiles: ['ci', 'full'],
  expectsRun: false,
  movesSessions: false,
  inject: async (context) => badLinkInFrontOf(context, ((await context.victims(1)) as [string])[0]),
  check: noRunActed,
};
