import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { MAX_SUMMARY_LENGTH, rebalanceMetadata, remediationMetadata, restoreMetadata } from './run-summaries.js';

const request = { gatewayId: 'gw-1', trigger: 'api', reason: 'drain before\nthe kernel upgrade', requestedBy: 'alice', requestedAt: Date.UTC(2026, 11, 1, 10) } as const;

describe(remediationMetadata.name, () => {
  it('should say which gateway, what triggered it, who asked and why, on one line', () => {
    expect(remediationMetadata(request).staticSummary).toBe('gw-1 · api (alice): drain before the kernel upgrade');
    expect(remediationMetadata(request).staticDetails).toBe(
      '**gateway**: gw-1  \n**trigger**: api  \n**requested by**: alice  \n**requested at**: 2026-12-01T10:00:00.000Z  \n**reason**: drain before the kernel upgrade',
    );
  });

  it("should name a detector's facts rather than its long reason", () => {
    const detected = { ...request, trigger: 'detector', requestedBy: undefined, findings: { detectorId: 'det-a', facts: ['heartbeatLost', 'rttSpike'] } } as const;
    expect(remediationMetadata(detected).staticSummary).toBe('gw-1 · detector: heartbeatLost, rttSpike');
    expect(remediationMetadata({ ...request, dryRun: true }).staticSummary).toBe('gw-1 · api (alice) [dry run]: drain before the kernel upgrade');
  });

  it('should keep every summary to one bounded line', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 2_000 }), (reason) => {
        const { staticSummary } = remediationMetadata({ ...request, reason });
        expect(staticSummary.length).toBeLessThanOrEqual(MAX_SUMMARY_LENGTH);
        expect(staticSummary).not.toMatch(/\n/);
      }),
    );
  });
});

describe(restoreMetadata.name, () => {
  it('should name the gateway, the requester and the reason', () => {
    expect(restoreMetadata('gw-2', 'fixed the NIC', 'bob').staticSummary).toBe('gw-2 · restore (bob): fixed the NIC');
  });
});

describe(rebalanceMetadata.name, () => {
  it('should say it is fleet-wide', () => {
    expect(rebalanceMetadata('uneven after restore', 0.1, undefined)).toEqual({
      staticSummary: 'fleet · rebalance: uneven after restore',
      staticDetails: '**reason**: uneven after restore  \n**tolerance**: 0.1',
    });
  });
});
