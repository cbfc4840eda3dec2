import { PushClient } from '#client';
import { waitUntil } from '../wait-until.js';

/**
 * Clients started at once per wave: hundreds of simultaneous handshakes on a loaded machine
 * can outlast a client's handshake deadline, and such a client (rightly) falls back to the next
 * address, which leaves an "all on the first gateway" set-up short.
 */
const WAVE = 100;

const receiving = (c: PushClient): boolean => c.connected && [...c.ledgers.values()].every((l) => l.received > 0);

/** `count` push clients, all starting on `addresses[0]` and falling back to the rest, each receiving once this resolves. */
export const connectClients = async (count: number, addresses: readonly string[], topics = ['ticker'], prefix = 'client'): Promise<PushClient[]> => {
  const clients = Array.from({ length: count }, (_, i) => new PushClient({ sessionId: `${prefix}-${i}`, gateways: addresses, topics }));
  for (let from = 0; from < count; from += WAVE) {
    const wave = clients.slice(from, from + WAVE);
    wave.forEach((c) => c.start());
    await waitUntil(`clients ${from}–${from + wave.length - 1} of ${count} receiving`, async () => wave.every(receiving));
  }
  return clients;
};
