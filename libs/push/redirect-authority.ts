export type Admission = { readonly ok: true } | { readonly ok: false; readonly code: number; readonly reason: string };

/** Issues and checks the signed tokens that let a session move between gateways. */
export interface RedirectAuthority {
  issue(sessionId: string, targetGatewayId: string): Promise<string>;
  /** Checks a token a client presents on arrival here (signature, expiry, target, single use). */
  admit(token: string, sessionId: string): Promise<Admission>;
}
