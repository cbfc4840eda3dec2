/**
 * The write-block fault makes the gateway see what it sees when its clients stop
 * reading: their acks stop arriving while it keeps writing. Acks are dropped on
 * arrival, so every session's unacknowledged bytes and oldest unacknowledged
 * message grow exactly as for a real slow reader, and the same measurements
 * (docs/protocol.md §8) find it. Clients still receive everything, so nothing is
 * lost; once cleared, their next ack settles the backlog.
 */
export class WriteBlockFault {
  engaged = false;

  /** Whether an ack arriving now reaches its session. */
  get hearsAcks(): boolean {
    return !this.engaged;
  }
}
