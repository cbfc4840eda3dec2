// Absorbs float error such as 30 × 0.9 = 26.999…, which would otherwise cost a whole session.
const ROUNDING_SLACK = 1e-9;

/** The most connections a gateway may hold once the policy's headroom is kept free. */
export const limitAfterHeadroom = (capacity: number, headroomFraction: number): number =>
  Math.floor(capacity * (1 - headroomFraction) + ROUNDING_SLACK);

/** How many more sessions a gateway may receive without eating into its headroom. */
export const freeAfterHeadroom = (capacity: number, connections: number, headroomFraction: number): number =>
  Math.max(0, limitAfterHeadroom(capacity, headroomFraction) - connections);
