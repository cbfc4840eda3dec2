/**
 * A client's connection attempt, `?attempt=<instance>.<count>`: a name the client picks once per
 * process, and how many connections it has opened so far. It lets a gateway tell a client's
 * abandoned attempt from its live connection.
 *
 * Why: under load a gateway may upgrade a connection whose client already gave up on it (the
 * handshake outlasted the client's deadline) after the client's next attempt was welcomed. The
 * late one then "resumed" the session with the same proof and the live one was closed with
 * SessionReplaced, on which a client stops for good (fighting a real second holder would only
 * bounce the session). A 10 000-session crash bench left about 1 % of its clients stopped so.
 */
export interface ConnectionAttempt {
  readonly instance: string;
  readonly count: number;
}

const ATTEMPT = /^([A-Za-z0-9_-]{1,32})\.([1-9][0-9]{0,14})$/;

export const ATTEMPT_FORMAT = '<instance>.<count>: 1–32 letters, digits, _ or -, a dot, then a whole number from 1';

/** The attempt named by `?attempt=`; undefined when absent (clients that do not send one), `invalid` when malformed. */
export const parseConnectionAttempt = (raw: string | null): ConnectionAttempt | undefined | 'invalid' => {
  if (raw === null) return undefined;
  const match = ATTEMPT.exec(raw);
  return match ? { instance: match[1] as string, count: Number(match[2]) } : 'invalid';
};

/**
 * An arriving connection is stale when the same client instance has already connected with a
 * later attempt: it must not take the session from that one. Another instance (a restarted
 * client with the resume secret), or a client that sends no attempt, replaces as before.
 */
export const isStaleAttempt = (arriving: ConnectionAttempt | undefined, holding: ConnectionAttempt | undefined): boolean =>
  arriving !== undefined && holding !== undefined && arriving.instance === holding.instance && arriving.count < holding.count;
