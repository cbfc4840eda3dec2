import { type GatewayVitals } from '#core';
import { type DataPlaneSnapshot } from '../controlled-gateway.js';
import { type WriteBlockMonitor } from '../health/write-block-monitor.js';
import { type OsTcpCounters, readOsTcpCounters, tcpNamespaceScope } from './proc-net.js';

/** `auto`: the OS's counters where /proc offers them, the application's otherwise. */
export type TcpCounterSetting = 'auto' | 'os' | 'app';

export const RTT_SAMPLES_IN_VITALS = 64;
/** Who else shares the network namespace changes rarely (a sidecar starts); looking costs a readlink per fd. */
const SCOPE_RECHECK_MS = 30_000;

interface Counters {
  readonly at: number;
  readonly connectionsEnded: number;
  readonly synRetransmits: number;
  readonly errors: number;
}

/**
 * Builds a gateway's vitals: the data plane's snapshot, rates over the interval
 * since the last sample, and the write-block state. FIN/RST and SYN-retransmit
 * rates come from the kernel when chosen and readable; otherwise from the
 * application's own count of ended connections and failed handshakes. Kernel
 * counters are per network namespace, so the vitals say whether that namespace
 * is the gateway's alone (`tcpCounterScope`).
 */
export class VitalsSampler {
  readonly source: 'os' | 'app';
  private last: Counters | undefined;
  private scope: { readonly value: 'gateway' | 'host'; readonly at: number } | undefined;

  constructor(
    private readonly gatewayId: string,
    private readonly writeBlock: WriteBlockMonitor,
    setting: TcpCounterSetting,
    private readonly readOs: () => OsTcpCounters | undefined = readOsTcpCounters,
    private readonly readScope: () => 'gateway' | 'host' | undefined = tcpNamespaceScope,
  ) {
    const osReadable = readOs() !== undefined;
    if (setting === 'os' && !osReadable) throw new Error('TCP_COUNTERS=os, but /proc/net/snmp and /proc/net/netstat are not readable here');
    this.source = setting === 'app' || !osReadable ? 'app' : 'os';
  }

  sample(snapshot: DataPlaneSnapshot, now: number): GatewayVitals {
    const counters = this.counters(snapshot, now);
    const last = this.last ?? counters;
    this.last = counters;
    const seconds = (counters.at - last.at) / 1000;
    const rate = (pick: (c: Counters) => number): number => (seconds > 0 ? Math.max(0, pick(counters) - pick(last)) / seconds : 0);
    return {
      gatewayId: this.gatewayId,
      at: now,
      connections: snapshot.connections,
      capacity: snapshot.capacity,
      accepting: snapshot.accepting,
      rttSamplesMs: snapshot.rttSamplesMs.slice(-RTT_SAMPLES_IN_VITALS),
      finRstPerSec: rate((c) => c.connectionsEnded),
      synRetransmitPerSec: rate((c) => c.synRetransmits),
      tcpCounterSource: this.source,
      tcpCounterScope: this.counterScope(now),
      sendBufferBytes: snapshot.maxSendBufferBytes,
      sendBufferHighWater: snapshot.sendBufferHighWater,
      writeBlocked: this.writeBlock.blocked,
      writeBlockedRatio: this.writeBlock.takeRatio(now),
      blockedSessions: snapshot.blockedSessions,
      retryingSessions: snapshot.retryingSessions,
      retryPending: this.writeBlock.retryPending,
      unackedBytes: snapshot.maxUnackedBytes,
      oldestUnackedMs: snapshot.maxUnackedAgeMs,
      ackDeadlineMs: snapshot.ackDeadlineMs,
      ...(snapshot.maxKernelSendQueueBytes !== undefined ? { kernelSendQueueBytes: snapshot.maxKernelSendQueueBytes } : {}),
      kernelSendQueueHighWater: snapshot.kernelSendQueueHighWater,
      errorsPerSec: rate((c) => c.errors),
    };
  }

  /** Application counters are the gateway's own; kernel ones only if nothing else lives in its namespace. */
  private counterScope(now: number): 'gateway' | 'host' {
    if (this.source === 'app') return 'gateway';
    if (!this.scope || now - this.scope.at >= SCOPE_RECHECK_MS) this.scope = { value: this.readScope() ?? 'host', at: now };
    return this.scope.value;
  }

  private counters(snapshot: DataPlaneSnapshot, at: number): Counters {
    if (this.source === 'app') {
      return { at, connectionsEnded: snapshot.connectionsEnded, synRetransmits: snapshot.handshakeFailures, errors: snapshot.errors };
    }
    // A failed read (rare: /proc went away) repeats the last reading, i.e. a rate of 0, never a mix of sources.
    const os = this.readOs() ?? this.last ?? { connectionsEnded: 0, synRetransmits: 0 };
    return { at, connectionsEnded: os.connectionsEnded, synRetransmits: os.synRetransmits, errors: snapshot.errors };
  }
}
