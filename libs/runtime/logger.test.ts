import { describe, expect, it } from '@jest/globals';
import { formatLine } from './logger.js';

describe(formatLine.name, () => {
  it('should print time, level, process and message first, then the other fields', () => {
    const line = JSON.stringify({ level: 40, time: Date.UTC(2026, 0, 1, 12, 0, 1, 123), pid: 7, name: 'api', msg: 'refused', gatewayId: 'gw-1', counts: { moved: 2 } });
    expect(formatLine(line)).toBe('12:00:01.123 WARN  api: refused gatewayId=gw-1 counts={"moved":2}');
  });
});
