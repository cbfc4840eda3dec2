import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectionKey, parseSendQueues, readSendQueues } from './kernel-send-queues.js';

const TCP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 100 1 0 100 0 0 10 0
   1: 0100007F:1F90 0100007F:C350 01 00000A00:00000000 00:00000000 00000000     0        0 101 1 0 20 4 30 10 -1
   2: 0100007F:C350 0100007F:1F90 01 00000000:00000A00 00:00000000 00000000     0        0 102 1 0 20 4 30 10 -1
   3: 0100007F:1F91 0100007F:C351 01 00000010:00000000 00:00000000 00000000     0        0 103 1 0 20 4 30 10 -1
   4: 0100007F:1F90 0100007F:C352 06 00000010:00000000 00:00000000 00000000     0        0 104 1 0 20 4 30 10 -1
`;

describe(parseSendQueues.name, () => {
  it('should read tx_queue of established connections on our ports only, keyed by local and remote port', () => {
    const queues = parseSendQueues(TCP, new Set([0x1f90]));
    expect([...queues]).toEqual([[connectionKey(0x1f90, 0xc350), 0xa00]]);
  });
});

describe(readSendQueues.name, () => {
  it('should answer nothing where /proc/net/tcp is not readable', () => {
    expect(readSendQueues(new Set([80]), join(tmpdir(), 'no-such-proc'))).toBeUndefined();
  });

  it('should read a fake /proc with only tcp (no IPv6)', () => {
    const root = mkdtempSync(join(tmpdir(), 'proc-'));
    mkdirSync(join(root, 'net'));
    writeFileSync(join(root, 'net', 'tcp'), TCP);
    expect(readSendQueues(new Set([0x1f91]), root)?.get(connectionKey(0x1f91, 0xc351))).toBe(16);
  });

  it('should see bytes pile up in the kernel for a peer that stops reading', async () => {
    if (readSendQueues(new Set()) === undefined) return; // not Linux
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const accepted = new Promise<Socket>((resolve) => server.once('connection', resolve));
    const peer = connect(port, '127.0.0.1');
    peer.pause(); // the peer never reads
    const socket = await accepted;
    try {
      const chunk = Buffer.alloc(64 * 1024);
      for (let i = 0; i < 200; i++) socket.write(chunk);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const queued = readSendQueues(new Set([port]))?.get(connectionKey(port, socket.remotePort as number));
      expect(queued).toBeGreaterThan(0);
    } finally {
      peer.destroy();
      socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
