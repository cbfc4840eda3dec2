/**
 * mulberry32: a tiny, well-distributed 32-bit PRNG. Jitter must be reproducible — a workflow
 * replaying its history has to compute the same plan — so randomness comes from a seed the
 * caller chose, never from the ambient `Math.random`.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}
