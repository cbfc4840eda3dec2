import { actionSeverity, mostSevereAction, type Action } from '../decision/actions.js';
import type { ApprovalSettings } from './guardrails-policy.js';

/** Whether a verdict must wait for a human `approve` signal before it is carried out. */
export const requiresApproval = (actions: readonly Action[], approval: ApprovalSettings): boolean =>
  approval.requiredFrom !== null && actionSeverity(mostSevereAction(actions)) >= actionSeverity(approval.requiredFrom);
