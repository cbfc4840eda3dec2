import { describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseProcNet, readOsTcpCounters, socketInodes, tcpNamespaceScope } from './proc-net.js';

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

describe(tcpNamespaceScope.name, () => {
  it('should read the inode column of /proc/net/tcp, skipping sockets that belong to no one', () => {
    const text = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4242 1 0 100 0 0 10 0
   1: 0100007F:1F90 0100007F:C350 06 00000000:00000000 03:00000000 00000000     0        0 0 3 0
`;
    expect(socketInodes(text)).toEqual([4242]);
  });

  it('should call a fake namespace whose only socket is ours the gateway\'s own, and one with a stranger\'s shared', () => {
    const root = mkdtempSync(join(tmpdir(), 'proc-'));
    mkdirSync(join(root, 'net'));
    mkdirSync(join(root, 'self', 'fd'), { recursive: true });
    symlinkSync('socket:[4242]', join(root, 'self', 'fd', '3'));
    const line = (inode: number) => `   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 ${inode} 1 0\n`;
    writeFileSync(join(root, 'net', 'tcp'), `header\n${line(4242)}`);
    expect(tcpNamespaceScope(root)).toBe('gateway');
    writeFileSync(join(root, 'net', 'tcp'), `header\n${line(4242)}${line(777)}`);
    expect(tcpNamespaceScope(root)).toBe('host');
    expect(tcpNamespaceScope(join(tmpdir(), 'no-such-proc'))).toBeUndefined();
  });
});
