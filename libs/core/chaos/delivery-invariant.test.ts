import { describe, expect, it } from '@jest/globals';
import { type ClientJournal } from './client-journal.js';
import { auditDelivery } from './delivery-invariant.js';

const journal = (sessionId: string, runs: [number, number][], declaredLost = 0): ClientJournal => ({
  sessionId,
  gatewayId: 'gw-1',
  connected: true,
  arrivals: { ticker: runs },
  declaredLost: { ticker: declaredLost },
  moves: [],
});

describe(auditDelivery.name, () => {
  it('should pass clients that each got the whole window once and in order', () => {
    const totals = auditDelivery([journal('a', [[0, 20]]), journal('b', [[3, 25]])], { ticker: 5 }, { ticker: 20 });
    expect(totals).toMatchObject({ clients: 2, lost: 0, duplicated: 0, reordered: 0, delivered: 32, worst: [] });
  });

  it('should count declared gaps as lost, net of those declared before the scenario', () => {
    const totals = auditDelivery([journal('a', [[0, 20]], 7)], { ticker: 0 }, { ticker: 20 }, new Map([['a/ticker', 4]]));
    expect(totals).toMatchObject({ lost: 3, worst: ['a (3)'] });
  });

  it('should name the clients that broke the stream', () => {
    const totals = auditDelivery([journal('a', [[0, 9], [11, 20]]), journal('b', [[0, 20], [20, 20]])], { ticker: 0 }, { ticker: 20 });
    expect(totals).toMatchObject({ lost: 1, duplicated: 1, worst: ['a (1)', 'b (1)'] });
  });
});
