import { ControlApiError } from '#agent';

/** Why an agent did not answer: what tells a dead process (refused) from a hung one (timeout). */
export type AgentSilence = 'refused' | 'timeout' | 'error';

export const classifyAgentError = (error: unknown): AgentSilence => {
  if (error instanceof ControlApiError) return 'error';
  const cause = (error as { cause?: { code?: string } } | undefined)?.cause;
  if (cause?.code === 'ECONNREFUSED' || cause?.code === 'ECONNRESET' || cause?.code === 'EHOSTUNREACH') return 'refused';
  return 'timeout';
};
