import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { FLEET_REBALANCE_CLAIM, gatewayIdFromRemediationWorkflowId, isValidGatewayId, remediationWorkflowId } from './workflow-ids.js';

describe(remediationWorkflowId.name, () => {
  it('should round-trip any valid gateway id', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,20}$/), (id) => {
        expect(isValidGatewayId(id)).toBe(true);
        expect(gatewayIdFromRemediationWorkflowId(remediationWorkflowId(id))).toBe(id);
      }),
    );
  });

  it('should reject ids that would break etcd keys or workflow ids', () => {
    for (const bad of ['', 'a/b', 'A', ' gw', 'gw:1', '-gw', 'x'.repeat(64)]) {
      expect(isValidGatewayId(bad)).toBe(false);
    }
  });

  it('should not mistake other workflow ids for remediations', () => {
    expect(gatewayIdFromRemediationWorkflowId('sweep:2026-01-01')).toBeUndefined();
  });
});

describe('FLEET_REBALANCE_CLAIM', () => {
  it('should never be a gateway id, so no gateway shares its claim', () => {
    expect(isValidGatewayId(FLEET_REBALANCE_CLAIM)).toBe(false);
  });
});
