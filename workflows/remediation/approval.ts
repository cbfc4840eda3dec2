import { ApplicationFailure, condition, defineUpdate, setHandler } from '@temporalio/workflow';
import { type ApprovalSettings } from '#core';

export interface ApprovalDecision {
  /** Who decides: the caller's authenticated identity (the API passes it, never a body field). */
  readonly by: string;
  readonly comment?: string;
}

export type ApprovalResult = { readonly approved: boolean; readonly by: string; readonly comment?: string; readonly timedOut: boolean };

/** Updates, not signals: the caller learns at once whether its answer counted, and why not. */
export const approveUpdate = defineUpdate<ApprovalResult, [ApprovalDecision]>('approve');
export const rejectUpdate = defineUpdate<ApprovalResult, [ApprovalDecision]>('reject');

/** The failure type a refused approval carries to the caller (the API answers 409). */
export const APPROVAL_REFUSED = 'ApprovalRefused';

const refuse = (message: string): never => {
  throw ApplicationFailure.create({ type: APPROVAL_REFUSED, message, nonRetryable: true });
};

/**
 * A human's `approve` or `reject`, or the policy's timeout and its default. An
 * answer counts only while the run waits for one: the validator refuses an
 * answer that comes early, late (already answered, or timed out) or, under the
 * four-eyes rule, an approval from the identity that started the run. A refused
 * update leaves no trace in the history.
 */
export const installApprovalHandlers = (requestedBy: string | undefined): ((settings: ApprovalSettings) => Promise<ApprovalResult>) => {
  let waiting: ApprovalSettings | undefined;
  let answer: ApprovalResult | undefined;
  const validate = (approving: boolean) => (decision: ApprovalDecision) => {
    if (typeof decision?.by !== 'string' || decision.by.trim() === '') refuse('a decision needs the identity of who decides (by)');
    if (answer) refuse(`already ${answer.approved ? 'approved' : 'rejected'} by ${answer.by}`);
    if (!waiting) refuse('this run is not waiting for approval');
    if (approving && waiting?.fourEyes && decision.by === requestedBy) refuse(`four-eyes: ${decision.by} started this run, so someone else must approve it`);
  };
  // The Update completes only once the waiting side has taken the answer (and cancelled its
  // timeout timer): completing it in the same step as the timer's cancellation replayed into
  // "Update machine does not handle this event: TimerCanceled".
  let taken = false;
  const decide = (approved: boolean) => async (decision: ApprovalDecision): Promise<ApprovalResult> => {
    const given: ApprovalResult = { approved, by: decision.by, ...(decision.comment ? { comment: decision.comment } : {}), timedOut: false };
    answer = given;
    await condition(() => taken);
    return given;
  };
  setHandler(approveUpdate, decide(true), { validator: validate(true) });
  setHandler(rejectUpdate, decide(false), { validator: validate(false) });
  return async (settings) => {
    waiting = settings;
    try {
      await condition(() => answer !== undefined, settings.timeoutMs);
      answer ??= { approved: settings.onTimeout === 'approve', by: 'timeout', timedOut: true };
      return answer;
    } finally {
      waiting = undefined;
      taken = true;
    }
  };
};
