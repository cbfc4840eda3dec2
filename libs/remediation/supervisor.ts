/**
 * Whatever runs the gateway processes and can end one for good: in tests the devstack fleet
 * (`SUPERVISOR_URL`, `POST /terminate/<gatewayId>`), in Kubernetes the pod's deletion. Where
 * there is none, fencing relies on the agent's self-fence and on clients leaving by themselves.
 */
export interface Supervisor {
  terminate(gatewayId: string, reason: string): Promise<{ readonly terminated: boolean; readonly how: string }>;
}

export const NO_SUPERVISOR: Supervisor = {
  terminate: async () => ({ terminated: false, how: 'no supervisor configured: the fence and the clients do the rest' }),
};

/** A supervisor reached over HTTP; idempotent (terminating a process already gone answers 200 too). */
export const httpSupervisor = (url: string): Supervisor => ({
  terminate: async (gatewayId, reason) => {
    const response = await fetch(`${url.replace(/\/$/, '')}/terminate/${encodeURIComponent(gatewayId)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ reason }),
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await response.json().catch(() => ({}))) as { terminated?: boolean; how?: string; error?: string };
    if (!response.ok) throw new Error(`supervisor refused to terminate ${gatewayId}: ${response.status} ${body.error ?? ''}`.trim());
    return { terminated: body.terminated === true, how: body.how ?? `terminated by the supervisor at ${url}` };
  },
});
