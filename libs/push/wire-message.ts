import { type MessageFrame } from '#core';

/** A message with its frame serialised once, so fanning out to thousands of sessions never re-encodes it. */
export interface WireMessage {
  readonly seq: number;
  readonly wire: Buffer;
}

export const wireMessage = (frame: MessageFrame): WireMessage => ({ seq: frame.seq, wire: Buffer.from(JSON.stringify(frame)) });
