import { describe, expect, it } from '@jest/globals';
import { processViolations } from './process-invariant.js';

describe(processViolations.name, () => {
  it('should flag a killed process still alive and a live one that died', () => {
    const alive = new Set([1, 2]);
    const problems = processViolations(
      [
        { name: 'worker', pid: 1, expectAlive: true },
        { name: 'old gateway', pid: 2, expectAlive: false },
        { name: 'detector', pid: 3, expectAlive: true },
        { name: 'old worker', pid: 4, expectAlive: false },
      ],
      (pid) => alive.has(pid),
    );
    expect(problems).toEqual(['old gateway (pid 2) was stopped but is still running (orphan)', 'detector (pid 3) died']);
  });
});
