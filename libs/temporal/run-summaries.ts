import { type RemediationRequest, type StormState } from '#core';

/** What the Temporal UI shows of a run before anyone opens it: one line in the list, a few in its header. */
export interface RunMetadata {
  readonly staticSummary: string;
  readonly staticDetails: string;
}

/** The run list shows one short line; a longer one is cut where a word ends. */
export const MAX_SUMMARY_LENGTH = 120;

const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();

const bounded = (text: string, max = MAX_SUMMARY_LENGTH): string => {
  const line = oneLine(text);
  if (line.length <= max) return line;
  const cut = line.slice(0, max - 1);
  const lastSpace = cut.lastIndexOf(' ');
  return `${lastSpace > max / 2 ? cut.slice(0, lastSpace) : cut}…`;
};

const details = (fields: Readonly<Record<string, string | number | boolean | undefined>>): string =>
  Object.entries(fields)
    .filter(([, value]) => value !== undefined && value !== '')
    .map(([name, value]) => `**${name}**: ${typeof value === 'string' ? oneLine(value) : String(value)}`)
    .join('  \n');

/** e.g. `gw-1 · detector: heartbeatLost, rttSpike` or `gw-1 · api (alice): drain before the kernel upgrade`. */
export const remediationMetadata = (request: RemediationRequest): RunMetadata => {
  const who = request.requestedBy ? `${request.trigger} (${request.requestedBy})` : request.trigger;
  const what = request.findings?.facts.length ? request.findings.facts.join(', ') : request.reason;
  return {
    staticSummary: bounded(`${request.gatewayId} · ${who}${request.dryRun ? ' [dry run]' : ''}: ${what}`),
    staticDetails: details({
      gateway: request.gatewayId,
      trigger: request.trigger,
      'requested by': request.requestedBy,
      'requested at': new Date(request.requestedAt).toISOString(),
      reason: request.reason,
      actions: request.actions?.join(', '),
      'dry run': request.dryRun || undefined,
      detector: request.findings?.detectorId,
      facts: request.findings?.facts.join(', '),
      tier: request.findings?.tier,
      classification: request.findings?.classification,
    }),
  };
};

export const restoreMetadata = (gatewayId: string, reason: string, requestedBy: string | undefined): RunMetadata => ({
  staticSummary: bounded(`${gatewayId} · restore${requestedBy ? ` (${requestedBy})` : ''}: ${reason}`),
  staticDetails: details({ gateway: gatewayId, 'requested by': requestedBy, reason }),
});

export const rebalanceMetadata = (reason: string, tolerance: number | undefined, requestedBy: string | undefined): RunMetadata => ({
  staticSummary: bounded(`fleet · rebalance${requestedBy ? ` (${requestedBy})` : ''}: ${reason}`),
  staticDetails: details({ 'requested by': requestedBy, reason, tolerance }),
});

export const stormMetadata = (storm: Pick<StormState, 'scope' | 'reason' | 'suspects'>): RunMetadata => ({
  staticSummary: bounded(`${storm.scope} · storm: ${storm.reason}`),
  staticDetails: details({ scope: storm.scope, reason: storm.reason, suspects: storm.suspects.join(', ') }),
});
