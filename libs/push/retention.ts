export interface RetentionRule {
  /** Sequence the next message will carry. */
  readonly head: number;
  /** Always keep at least this many recent messages, held or not (cheap resumes for newcomers). */
  readonly minRetain: number;
  /** Never keep more than this many: past it a holder gets an explicit gap instead of unbounded memory. */
  readonly maxRetain: number;
  /** Lowest sequence some session may still need; undefined when nobody holds anything. */
  readonly held: number | undefined;
}

export interface RetentionFloor {
  /** Everything below this may be dropped. */
  readonly floor: number;
  /** True when the hard cap, not the holds, set the floor: some holder will see a gap. */
  readonly capped: boolean;
}

/**
 * Where a log may be trimmed: below the oldest held sequence and below the
 * always-kept recent window, but never keeping more than the hard cap.
 */
export const retentionFloor = ({ head, minRetain, maxRetain, held }: RetentionRule): RetentionFloor => {
  const recent = head - minRetain;
  const wanted = held === undefined ? recent : Math.min(recent, held);
  const cap = head - maxRetain;
  return { floor: Math.max(0, wanted, cap), capped: cap > wanted && cap > 0 };
};
