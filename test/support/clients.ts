import { PushClient } from '#client';
import { waitUntil } from '#devstack';

/**
 * Clients started at once per wave: hundreds of simultaneous handshakes on a loaded CI machine
 * can outlast a client's handshake deadline, and such a client (rightly) falls back to the next
 * address, which leaves a test's "all on the first gateway" set-up short.
 */
const WAVE = 100;

const receiving = (c: PushClient): boolean => c.connected && [...c.ledgers.values()].every((l) => l.received > 0);

/** `count` push clients, all starting on `addresses[0]` and falling back to the rest. */
export const connectClients = async (count: number, addresses: readonly string[], topics = ['ticker'], prefix = 'client'): Promise<PushClient[]> => {
  const clients = Array.from({ length: count }, (_, i) => new PushClient({ sessionId: `${prefix}-${i}`, gateways: addresses, topics }));
  for (let from = 0; from < count; from += WAVE) {
    const wave = clients.slice(from, from + WAVE);
    wave.forEach((c) => c.start());
    await waitUntil(`clients ${from}–${from + wave.length - 1} of ${count} receiving`, async () => wave.every(receiving));
  }
  return clients;
};

export const totals = (clients: readonly PushClient[]): { received: number; lost: number; duplicates: number; reorders: number } => {
  const ledgers = clients.flatMap((c) => [...c.ledgers.values()]);
  const sum = (pick: (l: (typeof ledgers)[number]) => number): number => ledgers.reduce((n, l) => n + pick(l), 0);
  return { received: sum((l) => l.received), lost: sum((l) => l.lost), duplicates: sum((l) => l.duplicates), reorders: sum((l) => l.reorders) };
};
