import { PushClient } from '#client';
import { waitUntil } from '#devstack';

/** `count` push clients, all starting on `addresses[0]` and falling back to the rest. */
export const connectClients = async (count: number, addresses: readonly string[], topics = ['ticker'], prefix = 'client'): Promise<PushClient[]> => {
  const clients = Array.from({ length: count }, (_, i) => new PushClient({ sessionId: `${prefix}-${i}`, gateways: addresses, topics }));
  clients.forEach((c) => c.start());
  await waitUntil(`${count} clients receiving`, async () => clients.every((c) => c.connected && [...c.ledgers.values()].every((l) => l.received > 0)));
  return clients;
};

export const totals = (clients: readonly PushClient[]): { received: number; lost: number; duplicates: number; reorders: number } => {
  const ledgers = clients.flatMap((c) => [...c.ledgers.values()]);
  const sum = (pick: (l: (typeof ledgers)[number]) => number): number => ledgers.reduce((n, l) => n + pick(l), 0);
  return { received: sum((l) => l.received), lost: sum((l) => l.lost), duplicates: sum((l) => l.duplicates), reorders: sum((l) => l.reorders) };
};
