import { readFileSync } from 'node:fs';

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
