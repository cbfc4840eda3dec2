import { describe, expect, it } from '@jest/globals';
import { type StormLift, type StormState } from '#core';
import { type StormNotices, StormTelling } from './storm-notices.js';

const storm = (suspects: string[]): StormState => ({ sinceMs: 1_000, scope: 'fleet', suspects, lastSuspectAtMs: 1_000, reason: `${suspects.length} of 6 gateways suspect within 10000 ms` });
const lift: StormLift = { atMs: 5_000, by: 'alice', reason: 'the switch is fixed' };

/** Notices that record what they were told, failing or never answering for the gateways named. */
const recording = ({ failing = [], hanging = [] }: { failing?: string[]; hanging?: string[] } = {}) => {
  const told: string[] = [];
  const tell = async (what: string, gatewayId: string): Promise<void> => {
    if (hanging.includes(gatewayId)) return new Promise<void>(() => undefined);
    if (failing.includes(gatewayId)) throw new Error(`API server said no to ${gatewayId}`);
    told.push(`${what} ${gatewayId}`);
  };
  const notices: StormNotices = { suspect: (id) => tell('began', id), lifted: (id) => tell('lifted', id) };
  const warnings: Record<string, unknown>[] = [];
  return { notices, told, warnings, log: { warn: (_: string, attributes?: Record<string, unknown>) => void warnings.push(attributes ?? {}) } };
};

describe(StormTelling.name, () => {
  it('should tell each suspect once as it appears, and every one of them at the lift, after the began notices', async () => {
    const { notices, told, log } = recording();
    const telling = new StormTelling(notices, log);
    telling.began(storm(['gw-1', 'gw-2']));
    telling.began(storm(['gw-1', 'gw-2']));
    telling.began(storm(['gw-1', 'gw-2', 'gw-3']));
    await telling.lifted(storm(['gw-1', 'gw-2', 'gw-3']), lift);
    expect(told).toEqual(['began gw-1', 'began gw-2', 'began gw-3', 'lifted gw-1', 'lifted gw-2', 'lifted gw-3']);
  });

  it('should log a notice that fails and go on with the others', async () => {
    const { notices, told, warnings, log } = recording({ failing: ['gw-2'] });
    const telling = new StormTelling(notices, log);
    telling.began(storm(['gw-1', 'gw-2', 'gw-3']));
    await telling.lifted(storm(['gw-1', 'gw-2', 'gw-3']), null);
    expect(told).toEqual(['began gw-1', 'began gw-3', 'lifted gw-1', 'lifted gw-3']);
    expect(warnings).toEqual([
      expect.objectContaining({ event: 'storm-notice-failed', gatewayId: 'gw-2', what: 'StormBegan', err: expect.stringContaining('said no') }),
      expect.objectContaining({ event: 'storm-notice-failed', gatewayId: 'gw-2', what: 'StormLifted' }),
    ]);
  });

  it('should not wait past its bound for a notice that never answers', async () => {
    const { notices, told, log } = recording({ hanging: ['gw-2'] });
    const telling = new StormTelling(notices, log, 200);
    telling.began(storm(['gw-1', 'gw-2']));
    // The lift's notices queue behind the began ones, one of which never answers: the wait ends at the bound.
    await telling.lifted(storm(['gw-1', 'gw-2']), lift);
    expect(told).toEqual(['began gw-1']);
  });
});
