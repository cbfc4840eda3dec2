/** WebSocket close codes of the data plane (4000–4999 is the application range; 1xxx are RFC 6455's). */
export const CloseCode = {
  /** The client followed a redirect and leaves this gateway. */
  Redirected: 4000,
  /** Another connection resumed this session with proof (resume secret or redirect token), or this one is an attempt its client had already given up on: this one is over. */
  SessionReplaced: 4001,
  /** A frame could not be parsed. */
  ProtocolError: 4002,
  /** `sub` named a topic this gateway does not serve (a configuration error: reconnecting will not help). */
  UnknownTopic: 4404,
  /** The session is connected here already; taking it over needs its resume secret or a redirect token. */
  SessionProofRequired: 4412,
  /** Too many connections from this client's IP address (MAX_CONNECTIONS_PER_IP). */
  TooManyConnections: 4429,
  /** This gateway takes no new sessions (quarantined, draining, or at capacity): try another. */
  NotAccepting: 4503,
  /** The gateway was fenced out of the fleet and sheds every session: resume on another gateway at once. */
  Fenced: 4504,
  /** The gateway is shutting down; reconnect elsewhere. */
  GoingAway: 1001,
  /** A frame larger than the documented maximum (MAX_FRAME_BYTES); sent by the WebSocket layer itself. */
  FrameTooLarge: 1009,
  /** The connection's send backlog went over its memory budget: reconnect and resume from the last sequence. */
  BacklogExceeded: 1013,
} as const;
