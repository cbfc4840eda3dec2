/**
 * Workflow ids carry intent: one open remediation per gateway, so a second trigger
 * for the same gateway joins the running one instead of starting another.
 */
export const remediationWorkflowId = (gatewayId: string): string => `remediate:${gatewayId}`;

export const gatewayIdFromRemediationWorkflowId = (workflowId: string): string | undefined =>
  workflowId.startsWith('remediate:') ? workflowId.slice('remediate:'.length) : undefined;

/** Gateway ids become etcd key segments and workflow ids: keep them to a safe alphabet. */
export const GATEWAY_ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,62}$/;

export const isValidGatewayId = (id: string): boolean => GATEWAY_ID_PATTERN.test(id);

/**
 * The one fleet-wide operation claim rebalances take turns on. It names no gateway and,
 * being outside the gateway-id alphabet, can never be a gateway's own claim.
 */
export const FLEET_REBALANCE_CLAIM = '~rebalance';

/** Session ids are chosen by clients; bound them so they are safe in URLs, tokens and logs. */
export const isValidSessionId = (id: string): boolean => /^[A-Za-z0-9._-]{1,128}$/.test(id);

/** One restore per gateway at a time, like remediations. */
export const restoreWorkflowId = (gatewayId: string): string => `restore:${gatewayId}`;

/** Rebalances are named by when they were asked for. */
export const rebalanceWorkflowId = (at: Date): string => `rebalance:${at.toISOString()}`;

/** One run per storm: every detector that sees it begin starts (or joins) the same one. */
export const stormWorkflowId = (sinceMs: number): string => `storm:${new Date(sinceMs).toISOString()}`;
