import { z } from 'zod';

const score = z.number().min(0).max(100);
const duration = z.int().min(0);

/**
 * The alarm fires once the score stayed below `fireBelow` for `fireAfterMs`, and clears
 * once it stayed above `clearAbove` for `clearAfterMs`; the gap between the two damps flapping.
 */
export const HysteresisSchema = z
  .strictObject({ fireBelow: score, fireAfterMs: duration, clearAbove: score, clearAfterMs: duration })
  .superRefine((h, ctx) => {
    if (h.clearAbove < h.fireBelow) {
      ctx.addIssue({
        code: 'custom',
        path: ['clearAbove'],
        input: h.clearAbove,
        message: `must be at least fireBelow (${h.fireBelow}), or the alarm could fire and clear on the same score`,
      });
    }
  });

export type HysteresisSettings = z.output<typeof HysteresisSchema>;
