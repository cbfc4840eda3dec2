import { describe, expect, it } from '@jest/globals';
import { BenchRecorder, figureId, toFigure } from './bench-json.js';
import { timingRow } from './report-table.js';

describe(BenchRecorder.name, () => {
  it('should derive a stable id from the section and metric', () => {
    expect(figureId('remediation', { metric: 'SIGKILL → out of rotation (detector)' })).toBe('remediation.sigkill-out-of-rotation-detector');
    expect(figureId('remediation', { id: 'remediation.kill-to-out', metric: 'anything' })).toBe('remediation.kill-to-out');
  });

  it('should write distributions and single figures with their units', () => {
    expect(toFigure('sweep', timingRow('sweep of 1 000', [1, 2, 3]))).toMatchObject({ id: 'sweep.sweep-of-1-000', unit: 'ms', n: 3, p50: 2, max: 3, value: null });
    expect(toFigure('data-plane', { metric: 'messages lost', count: 0 })).toMatchObject({ n: null, p50: null, value: 0, unit: '' });
  });

  it('should refuse two rows with the same id', () => {
    const recorder = new BenchRecorder(1);
    recorder.add('a', [{ metric: 'x y', count: 1 }]);
    expect(() => recorder.add('a', [{ metric: 'x-y', count: 2 }])).toThrow(/a\.x-y/);
  });

  it('should record the commit and every figure added', () => {
    const recorder = new BenchRecorder(3);
    recorder.add('a', [{ metric: 'one', count: 1 }]);
    recorder.add('b', [timingRow('two', [5])]);
    const doc = recorder.document();
    expect(doc.runs).toBe(3);
    expect(doc.commit).toMatch(/^([0-9a-f]{40}|unknown)$/);
    expect(doc.figures.map((f) => f.id)).toEqual(['a.one', 'b.two']);
  });
});
