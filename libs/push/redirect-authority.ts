export type Admission = { readonly ok: true } | { readonly ok: false; readonly code: number; readonly reason: string };

/**
 * The proofs that let a session move between gateways or come back: signed redirect
 * tokens, and per-session resume secrets handed out at `welcome`.
 */
export interface RedirectAuthority {
  issue(sessionId: string, target: { readonly gatewayId: string; readonly address: string }): Promise<string>;
  /** Checks a token a client presents on arrival here (signature, expiry, target, session, single use). */
  admit(token: string, sessionId: string): Promise<Admission>;
  /** The session's resume secret: the same on every gateway of the fleet, so it needs no storage. */
  resumeSecret(sessionId: string): string;
  /** Whether `presented` is the session's resume secret (constant-time). */
  provesResume(sessionId: string, presented: string): boolean;
}
