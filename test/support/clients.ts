import { type PushClient } from '#client';

export { connectClients } from '#devstack';

export const totals = (clients: readonly PushClient[]): { received: number; lost: number; duplicates: number; reorders: number } => {
  const ledgers = clients.flatMap((c) => [...c.ledgers.values()]);
  const sum = (pick: (l: (typeof ledgers)[number]) => number): number => ledgers.reduce((n, l) => n + pick(l), 0);
  return { received: sum((l) => l.received), lost: sum((l) => l.lost), duplicates: sum((l) => l.duplicates), reorders: sum((l) => l.reorders) };
};
