import { describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseProcNet, readOsTcpCounters } from './proc-net.js';

const SNMP = `Ip: Forwarding DefaultTTL
Ip: 2 64
Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens PassiveOpens AttemptFails EstabResets CurrEstab InSegs
Tcp: 1 200 120000 -1 100 60 10 3 20 5000
`;
const NETSTAT = `TcpExt: SyncookiesSent TCPSynRetrans
TcpExt: 0 7
`;

const fakeProc = (snmp: string, netstat: string): string => {
  const root = mkdtempSync(join(tmpdir(), 'proc-'));
  mkdirSync(join(root, 'net'));
  writeFileSync(join(root, 'net', 'snmp'), snmp);
  writeFileSync(join(root, 'net', 'netstat'), netstat);
  return root;
};

describe(parseProcNet.name, () => {
  it('should pair each header line with its values', () => {
    expect(parseProcNet(SNMP).get('Tcp')?.get('CurrEstab')).toBe(20);
    expect(parseProcNet(NETSTAT).get('TcpExt')?.get('TCPSynRetrans')).toBe(7);
  });
});

describe(readOsTcpCounters.name, () => {
  it('should count established connections that ended, and SYN retransmits', () => {
    // opened = 100 + 60 − 10 = 150, of which 20 are still established.
    expect(readOsTcpCounters(fakeProc(SNMP, NETSTAT))).toEqual({ connectionsEnded: 130, synRetransmits: 7 });
  });

  it('should answer nothing where a counter is missing, so the agent falls back to its own', () => {
    expect(readOsTcpCounters(fakeProc(SNMP, 'TcpExt: SyncookiesSent\nTcpExt: 0\n'))).toBeUndefined();
    expect(readOsTcpCounters(join(tmpdir(), 'no-such-proc'))).toBeUndefined();
  });

  it('should read this machine\'s counters where it has them', () => {
    if (!existsSync('/proc/net/snmp')) return;
    expect(readOsTcpCounters()).toEqual({ connectionsEnded: expect.any(Number), synRetransmits: expect.any(Number) });
  });
});
