/** Deep link to a run's event history in the Temporal Web UI. */
export const temporalUiRunLink = (uiBaseUrl: string, namespace: string, workflowId: string, runId: string): string =>
  `${uiBaseUrl.replace(/\/+$/, '')}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}/${encodeURIComponent(runId)}/history`;
