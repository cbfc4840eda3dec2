/** WebSocket close codes of the data plane (4000–4999 is the application range). */
export const CloseCode = {
  /** The client followed a redirect and leaves this gateway. */
  Redirected: 4000,
  /** A frame could not be parsed. */
  ProtocolError: 4002,
  /** This gateway takes no new sessions (quarantined, draining, or at capacity): try another. */
  NotAccepting: 4503,
  /** The gateway is shutting down; reconnect elsewhere. */
  GoingAway: 1001,
} as const;
