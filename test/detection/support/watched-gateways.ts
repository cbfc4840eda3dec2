import { type DetectorProcess, type LogLine } from './detector-process.js';

const STARTS = new Set(['gateway-joined']);
const ENDS = new Set(['gateway-handed-over', 'gateway-left', 'gateway-vanished']);

/**
 * Which gateways a detector watches, replayed from its own log: the list in its ready line,
 * then joins in, hand-overs, leaves and vanished leases out. Follows the log as it grows, reading each line once, so a test can
 * sample it every few milliseconds while a fleet of detectors comes and goes.
 */
export class WatchedGateways {
  private readonly watched = new Set<string>();
  private read = 0;

  constructor(private readonly detector: DetectorProcess) {}

  /** The gateways watched as of the last line logged so far. */
  now(): ReadonlySet<string> {
    const { lines } = this.detector;
    for (; this.read < lines.length; this.read++) this.apply(lines[this.read]!);
    return this.watched;
  }

  private apply(line: LogLine): void {
    // The ready line lists what the detector watches then: the joins before it may have left the
    // process's 200-line tail (30 gateways' joins and probes come first), so it is the starting point.
    if (line.event === 'ready' && Array.isArray(line.gateways)) {
      this.watched.clear();
      for (const id of line.gateways) if (typeof id === 'string') this.watched.add(id);
      return;
    }
    const id = line.gatewayId;
    if (typeof id !== 'string' || line.event === undefined) return;
    if (STARTS.has(line.event)) this.watched.add(id);
    if (ENDS.has(line.event)) this.watched.delete(id);
  }
}

/** A snapshot of what `detector` watches now (see WatchedGateways). */
export const watchedBy = (detector: DetectorProcess): Set<string> => new Set(new WatchedGateways(detector).now());
