import { mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/*
 * Ports handed to child processes (etcd, Temporal, kube-apiserver) are chosen
 * below the kernel's ephemeral range. A port from `listen(0)` comes from that
 * range, and between our closing it and the child binding it, any outgoing
 * connection on the machine may take it as its local port (a CI run lost etcd to
 * exactly that: "bind: address already in use"). Below the range only a listener
 * can take it, and a claim file shared by all processes of the run keeps two test
 * workers from picking the same one.
 */

const CLAIMS_DIR = join(tmpdir(), 'homeostat-port-claims');
/** A claim older than this belongs to a run that is over; the port may be reused. */
const CLAIM_TTL_MS = 30 * 60_000;
const LOWEST_PORT = 10_000;
const ATTEMPTS = 200;

const ephemeralRangeStart = (): number => {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (low && low > LOWEST_PORT + 1_000) return low;
  } catch {
    // Not Linux: fall back to the IANA dynamic range's start.
  }
  return 49_152;
};

const claim = (port: number): boolean => {
  mkdirSync(CLAIMS_DIR, { recursive: true });
  const file = join(CLAIMS_DIR, String(port));
  try {
    if (Date.now() - statSync(file).mtimeMs > CLAIM_TTL_MS) unlinkSync(file);
  } catch {
    // No claim yet.
  }
  try {
    writeFileSync(file, String(process.pid), { flag: 'wx' });
    return true;
  } catch {
    return false;
  }
};

const bindable = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

/** A free loopback port outside the ephemeral range, claimed for this run; tests and the demo never use fixed ports. */
export const freePort = async (): Promise<number> => {
  const span = ephemeralRangeStart() - LOWEST_PORT;
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    const port = LOWEST_PORT + Math.floor(Math.random() * span);
    if (claim(port) && (await bindable(port))) return port;
  }
  throw new Error(`no free port below ${LOWEST_PORT + span} after ${ATTEMPTS} attempts`);
};
