import { z } from 'zod';

export const FAULT_KINDS = ['write-block', 'latency', 'hang', 'crash'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

const timing = {
  /** Apply after this long (ms); with GATEWAY_FAULTS at start, e.g. "crash 3 s after start". */
  afterMs: z.number().int().nonnegative().max(3_600_000).optional(),
  /** Clear by itself after this long (ms); otherwise it stays until DELETE /control/faults. */
  forMs: z.number().int().positive().max(3_600_000).optional(),
};

/**
 * A fault to inject (`POST /control/faults`, or the `GATEWAY_FAULTS` setting, a
 * JSON array of these):
 * - `write-block`: the gateway hears no more acks while it keeps writing, as when its clients stop reading;
 * - `latency`: every message and pong is delayed by `ms`;
 * - `hang`: pings go unanswered and nothing is sent, but every socket stays open;
 * - `crash`: the process dies — `exit` (process.exit with `exitCode`), `abort` (SIGABRT) or `sigkill`.
 */
export const FaultSpec = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('write-block'), ...timing }).strict(),
  z.object({ kind: z.literal('latency'), ms: z.number().int().positive().max(60_000), ...timing }).strict(),
  z.object({ kind: z.literal('hang'), ...timing }).strict(),
  z
    .object({
      kind: z.literal('crash'),
      mode: z.enum(['exit', 'abort', 'sigkill']).default('exit'),
      exitCode: z.number().int().min(1).max(255).default(70),
      afterMs: timing.afterMs,
    })
    .strict(),
]);
export type FaultSpec = z.output<typeof FaultSpec>;

export const FaultList = z.array(FaultSpec);
