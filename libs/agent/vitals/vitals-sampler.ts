import { type GatewayVitals } from '#core';
import { type DataPlaneSnapshot } from '../controlled-gateway.js';
import { type WriteBlockMonitor } from '../health/write-block-monitor.js';
import { type OsTcpCounters, readOsTcpCounters } from './proc-net.js';

/** `auto`: the OS's counters where /proc offers them, the application's otherwise. */
export type TcpCounterSetting = 'auto' | 'os' | 'app';

export const RTT_SAMPLES_IN_VITALS = 64;

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
 * application's own count of ended connections and failed handshakes.
 */
export class VitalsSampler {
  readonly source: 'os' | 'app';
  private last: Counters | undefined;

  constructor(
    private readonly gatewayId: string,
    private readonly writeBlock: WriteBlockMonitor,
    setting: TcpCounterSetting,
    private readonly readOs: () => OsTcpCounters | undefined = readOsTcpCounters,
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
      sendBufferBytes: snapshot.maxSendBufferBytes,
      sendBufferHighWater: snapshot.sendBufferHighWater,
      writeBlocked: this.writeBlock.blocked,
      writeBlockedRatio: this.writeBlock.takeRatio(now),
      errorsPerSec: rate((c) => c.errors),
    };
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
