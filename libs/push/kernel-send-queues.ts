import { readFileSync } from 'node:fs';

/** A TCP connection as the kernel lists it: our port, the peer's port. */
export const connectionKey = (localPort: number, remotePort: number): string => `${localPort}>${remotePort}`;

const ESTABLISHED = '01';

/**
 * Parses /proc/net/tcp or /proc/net/tcp6: per ESTABLISHED connection whose local
 * port is one of `localPorts`, the bytes in its send queue (`tx_queue`: written
 * by us, not yet acknowledged by the peer's TCP). Lines look like
 * `0: 0100007F:1F90 0100007F:C350 01 00000A00:00000000 …` (ports and sizes in hex).
 */
export const parseSendQueues = (text: string, localPorts: ReadonlySet<number>, into = new Map<string, number>()): Map<string, number> => {
  const wanted = new Set([...localPorts].map((p) => `:${p.toString(16).toUpperCase().padStart(4, '0')} `));
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    const [, local, remote, state, queues] = fields;
    if (!local || !remote || state !== ESTABLISHED || !queues) continue;
    const localPortHex = local.slice(local.lastIndexOf(':'));
    if (!wanted.has(`${localPortHex} `)) continue;
    const localPort = Number.parseInt(localPortHex.slice(1), 16);
    const remotePort = Number.parseInt(remote.slice(remote.lastIndexOf(':') + 1), 16);
    const txQueue = Number.parseInt(queues.slice(0, queues.indexOf(':')), 16);
    if (Number.isFinite(txQueue)) into.set(connectionKey(localPort, remotePort), txQueue);
  }
  return into;
};

/**
 * The kernel's send queue per client connection, where the OS exposes it per
 * socket (Linux /proc/net/tcp and tcp6, which list the gateway's own network
 * namespace). `undefined` where neither file is readable: the caller then judges
 * on acks and its own buffers only.
 */
export const readSendQueues = (localPorts: ReadonlySet<number>, root = '/proc'): Map<string, number> | undefined => {
  const queues = new Map<string, number>();
  let readable = false;
  for (const file of ['tcp', 'tcp6']) {
    try {
      parseSendQueues(readFileSync(`${root}/net/${file}`, 'utf8'), localPorts, queues);
      readable = true;
    } catch {
      // tcp6 is absent where IPv6 is off; both absent off Linux.
    }
  }
  return readable ? queues : undefined;
};
