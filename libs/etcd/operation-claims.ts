import { type Etcd3 } from 'etcd3';
import { z } from 'zod';
import { changeByRevision } from './compare-and-swap.js';
import { parseRecord } from './json-value.js';
import { operationKey } from './keys.js';

const OperationClaimSchema = z.object({
  /** The run holding the gateway: its workflow id (`remediate:gw-1`, `restore:gw-1`) and run id. */
  workflowId: z.string(),
  runId: z.string(),
  /** What it does, for whoever finds the gateway busy. */
  operation: z.string(),
  since: z.number(),
});

export type OperationClaim = z.infer<typeof OperationClaimSchema>;

export type ClaimOutcome =
  | { readonly acquired: true; /** A claim left behind by a run that is no longer open (terminated, timed out). */ readonly tookOverFrom?: OperationClaim }
  | { readonly acquired: false; readonly heldBy: OperationClaim };

/** Whether a run is still open, as Temporal knows it. */
export type RunLiveness = (workflowId: string, runId: string) => Promise<boolean>;

/**
 * One operation per gateway at a time: remediations, restores and drains each hold
 * `/homeostat/operations/<gatewayId>` while they act, so a restore never races a
 * quarantine. A claim is taken and released by compare-and-swap on the key's
 * revision. A run that ends without releasing (terminated, timed out) leaves its
 * claim behind; the next claimer asks Temporal whether the holder is still open
 * and takes the claim over when it is not. Temporal is the authority on whether a
 * run lives, so no lease has to outlast an approval wait or a worker restart.
 */
export class OperationClaims {
  constructor(
    private readonly etcd: Etcd3,
    private readonly isRunOpen: RunLiveness,
  ) {}

  async holder(gatewayId: string): Promise<OperationClaim | undefined> {
    const raw = await this.etcd.get(operationKey(gatewayId)).string();
    return raw === null ? undefined : parseRecord(OperationClaimSchema, operationKey(gatewayId), raw);
  }

  /** Idempotent for the run already holding it (activities are retried). */
  claim(gatewayId: string, claim: OperationClaim): Promise<ClaimOutcome> {
    return changeByRevision(this.etcd, operationKey(gatewayId), OperationClaimSchema, async (current): Promise<{ write?: OperationClaim; result: ClaimOutcome }> => {
      if (!current) return { write: claim, result: { acquired: true } };
      if (current.runId === claim.runId) return { result: { acquired: true } };
      if (await this.isRunOpen(current.workflowId, current.runId)) return { result: { acquired: false, heldBy: current } };
      return { write: claim, result: { acquired: true, tookOverFrom: current } };
    });
  }

  /** Lets go of the gateway if `runId` holds it; idempotent. */
  release(gatewayId: string, runId: string): Promise<void> {
    return changeByRevision(this.etcd, operationKey(gatewayId), OperationClaimSchema, (current) => ({
      write: current?.runId === runId ? null : undefined,
      result: undefined,
    }));
  }
}
