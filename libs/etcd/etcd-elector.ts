import { type Campaign, type Etcd3 } from 'etcd3';
import { type Duty, type LeaderElector, LeaderDuty } from '#core';
import { type Logger } from '#runtime';

export interface EtcdElectorOptions {
  /**
   * A fresh client per campaign: after a lost lease the old client may sit behind etcd3's
   * circuit breaker (3 failures → 5 s of failing fast) and could not tell etcd is back.
   */
  readonly connect: () => Etcd3;
  readonly electionName: string;
  readonly identity: string;
  /** The campaign's lease: a leader that dies (SIGKILL) is replaced about this long later. */
  readonly ttlSeconds: number;
  readonly log: Logger;
  /** Pause before campaigning again after an error (ms). */
  readonly retryMs?: number;
}

/**
 * Leader election through etcd's own election recipe (etcd3's `Election`: a key under a
 * lease, the lowest create revision leads), for the embedded mode; K8s mode uses a Lease.
 * The duty starts when this replica is elected and stops when its campaign fails (its
 * lease lost: etcd unreachable past the TTL), before it campaigns again. Between a lost
 * lease and the old leader noticing, a new leader may already run: the duties tolerate
 * that (runs are deduplicated by workflow id), which is why nothing else is coordinated here.
 */
export class EtcdElector implements LeaderElector {
  constructor(private readonly options: EtcdElectorOptions) {}

  async campaign(duty: Duty): Promise<() => Promise<void>> {
    const { log, identity, electionName } = this.options;
    let stopped = false;
    let client: Etcd3 | undefined;
    let campaign: Campaign | undefined;
    let retryTimer: NodeJS.Timeout | undefined;
    let queue = Promise.resolve();
    // campaign() returns once this replica knows where it stands: leading (its duty started) or following.
    let settle: () => void = () => undefined;
    const settled = new Promise<void>((resolve) => (settle = resolve));
    const serial = (work: () => Promise<void>) => (queue = queue.then(work).catch((err: unknown) => log.warn({ err, event: 'leader-duty-error' }, 'leader duty')));

    const held = new LeaderDuty((why) => log.warn({ event: 'leader-lost', identity, why }, 'no longer the leader'));
    const stepDown = (why: string) => held.stepDown(why);

    const start = (): void => {
      if (stopped) return;
      client = this.options.connect();
      const election = client.election(electionName, this.options.ttlSeconds);
      const mine = election.campaign(identity);
      campaign = mine;
      void mine
        .getCampaignKey()
        .then(async () => {
          // Someone else leads: a follower. No leader seen yet (or this one): 'elected' settles it.
          const leader = await election.leader();
          if (leader !== undefined && leader !== identity) settle();
        })
        .catch(() => undefined);
      mine.on('elected', () =>
        serial(async () => {
          if (stopped || campaign !== mine || held.running) return;
          log.info({ event: 'leader-elected', identity, election: electionName }, 'leading');
          await held.start(duty);
          settle();
        }),
      );
      mine.on('error', (error: Error) =>
        serial(async () => {
          if (campaign !== mine) return;
          log.warn({ event: 'leader-campaign-error', identity, err: error.message }, 'campaign failed; campaigning again');
          await stepDown(`campaign failed: ${error.message}`);
          campaign = undefined;
          client?.close();
          if (!stopped) retryTimer = setTimeout(start, this.options.retryMs ?? 500);
        }),
      );
    };

    start();
    await settled;
    return async () => {
      stopped = true;
      clearTimeout(retryTimer);
      await queue;
      await stepDown('stopping');
      // Resigning hands over at once instead of after the TTL.
      await campaign?.resign().catch((err: unknown) => log.warn({ err }, 'could not resign'));
      client?.close();
    };
  }
}
