import { describe, expect, it } from '@jest/globals';
import pino from 'pino';
import { StallReport } from './stall-report.js';

describe(StallReport.name, () => {
  it('should say once a second, for all gateways, that the loop stalled', () => {
    const lines: Record<string, unknown>[] = [];
    const log = pino({ level: 'warn' }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
    let now = 0;
    const report = new StallReport(log, () => now);
    for (let gateway = 0; gateway < 2_000; gateway++) report.noticed(300 + (gateway % 7));
    now = 1_000;
    report.noticed(280);
    expect(lines.map(({ event, lateByMs, gateways }) => ({ event, lateByMs, gateways }))).toEqual([
      { event: 'detector-stalled', lateByMs: 300, gateways: 1 },
      { event: 'detector-stalled', lateByMs: 306, gateways: 2_000 },
    ]);
  });
});
