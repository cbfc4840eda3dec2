import { z } from 'zod';
import { GapFrame, MessageFrame, SubscribeFrame } from '#core';

/*
 * Gateway ↔ upstream (the reference Publisher). `sub`, `msg` and `gap` are the
 * data-plane frames of libs/core; these three are the upstream's own:
 * holds keep messages alive until sessions have them, fetches back-fill a gateway
 * below its local log, `synced` marks the end of a subscription's replay.
 */
const topic = z.string().min(1).max(128);
const seq = z.number().int().nonnegative();

/** gateway → upstream: on `topic`, nothing below `seq` is needed by this gateway's sessions any more. */
export const HoldFrame = z.object({ t: z.literal('hold'), topic, seq });
/** gateway → upstream: send `from`..`to - 1` again (a `gap` first for any part already gone). */
export const FetchFrame = z.object({ t: z.literal('fetch'), topic, from: seq, to: seq });
/** upstream → gateway: the replay after `sub` is done; the live stream continues at `head`. */
export const SyncedFrame = z.object({ t: z.literal('synced'), topic, head: seq });

export const UpstreamRequest = z.discriminatedUnion('t', [SubscribeFrame, HoldFrame, FetchFrame]);
export const UpstreamReply = z.discriminatedUnion('t', [MessageFrame, GapFrame, SyncedFrame]);

export type HoldFrame = z.infer<typeof HoldFrame>;
export type FetchFrame = z.infer<typeof FetchFrame>;
export type SyncedFrame = z.infer<typeof SyncedFrame>;
export type UpstreamRequest = z.infer<typeof UpstreamRequest>;
export type UpstreamReply = z.infer<typeof UpstreamReply>;
