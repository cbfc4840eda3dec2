/**
 * Chooses `count` distinct gateways to hit, preferring the ones hit longest ago
 * (so one gateway does not soak up every fault and trip flap damping by
 * accident), ties broken by the seeded `random`: the same seed, the same choices.
 */
export const pickVictims = (gateways: readonly string[], count: number, lastHit: ReadonlyMap<string, number>, random: () => number): string[] => {
  if (count > gateways.length) throw new Error(`cannot pick ${count} victims from ${gateways.length} gateways`);
  const keyed = [...gateways].sort().map((id) => ({ id, last: lastHit.get(id) ?? -1, tie: random() }));
  keyed.sort((a, b) => a.last - b.last || a.tie - b.tie);
  return keyed.slice(0, count).map((k) => k.id);
};
