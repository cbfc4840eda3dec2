import { type Fleet } from '#devstack';
import { ProcessLog } from '../../support/process-log.js';

export type { LogLine } from '../../support/process-log.js';

/** A real detector process of the fleet, with its JSON log lines kept for the test to read. */
export class DetectorProcess extends ProcessLog {
  static async start(fleet: Fleet, id: string, env: Record<string, string> = {}): Promise<DetectorProcess> {
    const detector = new DetectorProcess();
    await detector.launch('detector', { name: id, env: { ...fleet.stack.env, DETECTOR_ID: id, ...env }, logDir: fleet.logDir });
    return detector;
  }
}
