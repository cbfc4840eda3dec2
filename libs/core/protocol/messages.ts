import { z } from 'zod';

/*
 * Every frame on the data plane is one JSON text message with a `t` tag.
 * Client ↔ gateway and gateway ↔ publisher share the same shapes, so a gateway in
 * another language needs to implement only these (docs/protocol.md).
 */

const topic = z.string().min(1).max(128);
const seq = z.number().int().nonnegative();

/** client → gateway, and gateway → publisher: start (or resume) a topic from `from`. */
export const SubscribeFrame = z.object({ t: z.literal('sub'), topic, from: seq.optional() });
/** client → gateway: stop reading `topic` (what is not acked stops being held for this session). */
export const UnsubscribeFrame = z.object({ t: z.literal('unsub'), topic });
/** client → gateway: everything up to `seq` on `topic` reached the application. */
export const AckFrame = z.object({ t: z.literal('ack'), topic, seq });

/** publisher → gateway → client. */
export const MessageFrame = z.object({ t: z.literal('msg'), topic, seq, data: z.string() });
/**
 * gateway → client: the session is accepted here. `resume` is the session's resume secret:
 * presented as `&resume=` it proves the session is the client's own, on any gateway of the fleet.
 */
export const WelcomeFrame = z.object({ t: z.literal('welcome'), gatewayId: z.string(), session: z.string(), resume: z.string().max(128).optional() });
/** gateway → client: move to `url`, presenting `token`; keep this connection until the target welcomes you. */
export const RedirectFrame = z.object({ t: z.literal('redirect'), url: z.string(), token: z.string(), target: z.string() });
/** gateway → client: the `sub` for `topic` is in force (`from` echoed when given); messages follow as they exist. */
export const SubscribedFrame = z.object({ t: z.literal('subscribed'), topic, from: seq.optional() });
/** gateway → client: the `unsub` for `topic` is done; nothing more on it arrives on this connection. */
export const UnsubscribedFrame = z.object({ t: z.literal('unsubscribed'), topic });
/** gateway → client: messages `from`..`to` are gone for good (older than the replay window). */
export const GapFrame = z.object({ t: z.literal('gap'), topic, from: seq, to: seq });

export const ClientFrame = z.discriminatedUnion('t', [SubscribeFrame, UnsubscribeFrame, AckFrame]);
export const ServerFrame = z.discriminatedUnion('t', [MessageFrame, WelcomeFrame, RedirectFrame, GapFrame, SubscribedFrame, UnsubscribedFrame]);

export type SubscribeFrame = z.infer<typeof SubscribeFrame>;
export type AckFrame = z.infer<typeof AckFrame>;
export type UnsubscribeFrame = z.infer<typeof UnsubscribeFrame>;
export type SubscribedFrame = z.infer<typeof SubscribedFrame>;
export type UnsubscribedFrame = z.infer<typeof UnsubscribedFrame>;
export type MessageFrame = z.infer<typeof MessageFrame>;
export type WelcomeFrame = z.infer<typeof WelcomeFrame>;
export type RedirectFrame = z.infer<typeof RedirectFrame>;
export type GapFrame = z.infer<typeof GapFrame>;
export type ClientFrame = z.infer<typeof ClientFrame>;
export type ServerFrame = z.infer<typeof ServerFrame>;

/** Parses one frame; `undefined` for anything malformed (the peer closes with PROTOCOL_ERROR). */
export const parseFrame = <S extends z.ZodType>(schema: S, raw: string): z.infer<S> | undefined => {
  try {
    const parsed = schema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
};
