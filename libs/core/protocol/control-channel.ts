import { z } from 'zod';

/*
 * The detector ↔ gateway control channel: a WebSocket at `<controlUrl>/control/channel`
 * (ws:// in place of http://). The detector pings every `pingIntervalMs`; the
 * gateway answers at once and also pushes self-reports the moment it knows
 * something is wrong, so the detector need not wait for missed pongs.
 */

/** detector → gateway. `sentAt` is the detector's clock, echoed back for RTT. */
export const PingFrame = z.object({ t: z.literal('ping'), id: z.number().int().nonnegative(), sentAt: z.number() });

/** gateway → detector, in answer to a ping. */
export const PongFrame = z.object({
  t: z.literal('pong'),
  id: z.number().int().nonnegative(),
  sentAt: z.number(),
  gatewayId: z.string(),
});

export const SELF_REPORT_KINDS = ['write-blocked', 'write-unblocked', 'error-burst', 'shutdown'] as const;
export type SelfReportKind = (typeof SELF_REPORT_KINDS)[number];

/** gateway → detector, unprompted. */
export const SelfReportFrame = z.object({
  t: z.literal('report'),
  gatewayId: z.string(),
  kind: z.enum(SELF_REPORT_KINDS),
  at: z.number(),
  detail: z.record(z.string(), z.unknown()).optional(),
});

export const DetectorFrame = z.discriminatedUnion('t', [PingFrame]);
export const GatewayChannelFrame = z.discriminatedUnion('t', [PongFrame, SelfReportFrame]);

export type PingFrame = z.infer<typeof PingFrame>;
export type PongFrame = z.infer<typeof PongFrame>;
export type SelfReportFrame = z.infer<typeof SelfReportFrame>;
export type GatewayChannelFrame = z.infer<typeof GatewayChannelFrame>;

export const CONTROL_CHANNEL_PATH = '/control/channel';
