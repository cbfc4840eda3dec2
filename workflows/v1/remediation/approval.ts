import { condition, defineSignal, setHandler } from '@temporalio/workflow';
import { type ApprovalSettings } from '#core';

export interface ApprovalDecision {
  readonly by: string;
  readonly comment?: string;
}

export const approveSignal = defineSignal<[ApprovalDecision]>('approve');
export const rejectSignal = defineSignal<[ApprovalDecision]>('reject');

export type ApprovalResult = { readonly approved: boolean; readonly by: string; readonly comment?: string; readonly timedOut: boolean };

/**
 * Waits for a human's `approve` or `reject` signal, or the policy's timeout
 * and its default. The handlers are installed at the start of the run so a
 * signal sent early is not lost.
 */
export const installApprovalHandlers = (): ((settings: ApprovalSettings) => Promise<ApprovalResult>) => {
  let answer: ApprovalResult | undefined;
  setHandler(approveSignal, (d) => void (answer ??= { approved: true, ...d, timedOut: false }));
  setHandler(rejectSignal, (d) => void (answer ??= { approved: false, ...d, timedOut: false }));
  return async (settings) => {
    const answered = await condition(() => answer !== undefined, settings.timeoutMs);
    return answered && answer ? answer : { approved: settings.onTimeout === 'approve', by: 'timeout', timedOut: true };
  };
};
