import { type MessageFrame } from '#core';
import { RetainedLog } from './retained-log.js';

export interface FeedListener {
  pump(feed: TopicFeed): void;
}

/** One topic as this gateway sees it: the upstream's stream plus the sessions reading it. */
export class TopicFeed {
  readonly log: RetainedLog;
  readonly listeners = new Set<FeedListener>();

  constructor(
    readonly topic: string,
    replayWindow: number,
  ) {
    this.log = new RetainedLog(replayWindow);
  }

  receive(message: MessageFrame): void {
    if (!this.log.append(message)) return;
    for (const listener of this.listeners) listener.pump(this);
  }
}
