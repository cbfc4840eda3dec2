/**
 * Cumulative event counts of the data plane; the agent turns them into rates.
 * These are the application-level stand-ins for the OS's TCP counters.
 */
export class DataPlaneCounters {
  /** Client connections that ended, cleanly or not (the app-level FIN/RST count). */
  connectionsEnded = 0;
  /** WebSocket handshakes that failed (the app-level stand-in for SYN retransmits). */
  handshakeFailures = 0;
  /** Socket errors, unparseable client frames, upstream errors. */
  errors = 0;
}
