import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

/**
 * Parses /proc/net/snmp and /proc/net/netstat: pairs of lines, a header of
 * field names and a line of values, both starting with the same `Group:`.
 */
export const parseProcNet = (text: string): Map<string, Map<string, number>> => {
  const groups = new Map<string, Map<string, number>>();
  const lines = text.split('\n').filter(Boolean);
  for (let i = 0; i + 1 < lines.length; i += 2) {
    const [group, ...names] = (lines[i] as string).trim().split(/\s+/);
    const [valueGroup, ...values] = (lines[i + 1] as string).trim().split(/\s+/);
    if (!group || group !== valueGroup) continue;
    groups.set(group.replace(/:$/, ''), new Map(names.map((name, k) => [name, Number(values[k])])));
  }
  return groups;
};

export interface OsTcpCounters {
  /** Connections that left ESTABLISHED (by FIN or RST) since boot. */
  readonly connectionsEnded: number;
  /** SYN and SYN-ACK retransmissions since boot. */
  readonly synRetransmits: number;
}

/**
 * The kernel's TCP counters, or undefined where /proc does not offer them. They
 * cover the whole network namespace: per gateway in a pod, shared by every
 * process on a plain host — which `tcpCounterSource` lets the reader know.
 * Established connections that ended = (ActiveOpens + PassiveOpens − AttemptFails) − CurrEstab.
 */
export const readOsTcpCounters = (root = '/proc'): OsTcpCounters | undefined => {
  try {
    const tcp = parseProcNet(readFileSync(`${root}/net/snmp`, 'utf8')).get('Tcp');
    const ext = parseProcNet(readFileSync(`${root}/net/netstat`, 'utf8')).get('TcpExt');
    const field = (group: Map<string, number> | undefined, name: string): number => {
      const value = group?.get(name);
      if (value === undefined || !Number.isFinite(value)) throw new Error(`no ${name}`);
      return value;
    };
    const opened = field(tcp, 'ActiveOpens') + field(tcp, 'PassiveOpens') - field(tcp, 'AttemptFails');
    return { connectionsEnded: Math.max(0, opened - field(tcp, 'CurrEstab')), synRetransmits: field(ext, 'TCPSynRetrans') };
  } catch {
    return undefined;
  }
};

/** Socket inodes listed in /proc/net/tcp and tcp6 (column 10); 0 (TIME_WAIT and the like) belongs to no one. */
export const socketInodes = (text: string): number[] =>
  text
    .split('\n')
    .slice(1)
    .map((line) => Number(line.trim().split(/\s+/)[9]))
    .filter((inode) => Number.isInteger(inode) && inode > 0);

/**
 * Whose TCP counters /proc/net/snmp holds: `gateway` when every TCP socket of the
 * network namespace is this process's own (its own namespace, as in a pod),
 * `host` when other processes share it (a plain host, or a pod with sidecars),
 * undefined where /proc cannot tell.
 */
export const tcpNamespaceScope = (root = '/proc'): 'gateway' | 'host' | undefined => {
  try {
    const mine = new Set<number>();
    for (const fd of readdirSync(`${root}/self/fd`)) {
      try {
        const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`${root}/self/fd/${fd}`));
        if (match) mine.add(Number(match[1]));
      } catch {
        // closed between listing and reading
      }
    }
    const listed: number[] = [];
    for (const file of ['tcp', 'tcp6']) {
      try {
        listed.push(...socketInodes(readFileSync(`${root}/net/${file}`, 'utf8')));
      } catch {
        // no IPv6
      }
    }
    if (listed.length === 0) return undefined;
    return listed.every((inode) => mine.has(inode)) ? 'gateway' : 'host';
  } catch {
    return undefined;
  }
};
